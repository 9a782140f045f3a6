"""The options several commands share, declared once."""

from __future__ import annotations

from pathlib import Path

import click
from click.shell_completion import CompletionItem

from actito_iac.constants import DATA_SAMPLE, DATA_SAMPLE_MAX, EVERY_KIND
from actito_iac.errors import ActitoIacError
from actito_iac.render import logs
from actito_iac.terminal import Terminal

paths_argument = click.argument(
    "paths", nargs=-1, type=click.Path(path_type=Path, exists=False, dir_okay=True)
)
project_option = click.option(
    "--project",
    "project_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Project file (default: actito-iac.yaml in this folder or a parent).",
)
def _environment_names(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion of --env: the environments of the project file, if one can be read."""
    from actito_iac.manifest.project import find_project, load_project

    try:
        found = ctx.params.get("project_file") or find_project(Path.cwd())
        project = load_project(found) if found else None
    except (ActitoIacError, OSError):
        return []  # completion stays silent: the command itself will say what is wrong
    names = sorted(project.environments) if project else []
    return [CompletionItem(name) for name in names if name.startswith(incomplete)]


env_option = click.option(
    "--env",
    "env_name",
    metavar="NAME",
    shell_complete=_environment_names,
    help="Environment of the project file (default: its defaultEnvironment).",
)
format_option = click.option(
    "--format",
    "output",
    type=click.Choice(["human", "json", "markdown"]),
    default="human",
    show_default=True,
    help="How the plan is printed on stdout (JSON: see README, 'Plan output').",
)
target_option = click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="KIND/NAME",
    help="Only this object and what it depends on (repeatable; ENTITY/KIND/NAME also works).",
)
exclude_option = click.option(
    "--exclude",
    "excludes",
    multiple=True,
    metavar="KIND/NAME",
    help="Leave this object out (repeatable; ENTITY/KIND/NAME also works).",
)


prune_option = click.option(
    "--prune",
    "prune",
    multiple=True,
    is_flag=False,
    flag_value=EVERY_KIND,
    metavar="[KIND]",
    help="Delete live objects in no manifest: of every kind the API can delete, or of KIND "
    "(repeatable). Deletes are destructive: apply also needs --allow-destructive.",
)


def _data_sample(ctx: click.Context, param: click.Parameter, value: int) -> None:
    if value > DATA_SAMPLE_MAX:
        raise click.BadParameter(
            f"{value:,} rows is above {DATA_SAMPLE_MAX:,}, the most actito-iac asks ACTITO for "
            "in one call (ACTITO documents no maximum: this bound is inferred, see the README)",
            ctx,
            param,
        )
    ctx.ensure_object(Terminal).data_sample = value


data_sample_option = click.option(
    "--data-sample",
    type=click.IntRange(min=0),
    default=DATA_SAMPLE,
    show_default=True,
    metavar="ROWS",
    expose_value=False,
    callback=_data_sample,
    help="Rows read per table to count what a risky change would fail on or lose "
    f"(0: read no data; counts then say 'unknown'; at most {DATA_SAMPLE_MAX:,}).",
)


def _verbose(ctx: click.Context, param: click.Parameter, value: int) -> None:
    term = ctx.ensure_object(Terminal)
    # Given before and after the command (`-v plan -v`), the larger count wins.
    term.verbosity = max(term.verbosity, value)
    logs.configure(term.verbosity)


verbose_option = click.option(
    "-v",
    "--verbose",
    count=True,
    expose_value=False,
    callback=_verbose,
    help="Log each API call (method, path, status, ms) and retry to stderr; -vv adds the HTTP "
    "libraries' own lines. Never a key or token.",
)
"""Accepted before the command (`actito-iac -v plan`) and after it (`actito-iac plan -v`)."""
