"""The command line: thin click commands, and the only place that maps errors to exit codes.

Data (plans, schemas) goes to stdout, diagnostics and progress to stderr, so
`actito-iac schema > file` and piping a plan stay clean. Everything printed or written goes
through the run's masker (terminal.py, render/streams.py).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn, TypeVar

import click

from actito_iac import __version__, exit_codes
from actito_iac.cli_options import (
    data_sample_option,
    env_option,
    exclude_option,
    format_option,
    paths_argument,
    project_option,
    prune_option,
    target_option,
    verbose_option,
)
from actito_iac.constants import KEY_OVERRIDE
from actito_iac.errors import (
    ActitoIacError,
    ApplyInterrupted,
    ApplyRefused,
    Diagnostic,
    LiveStateError,
    ManifestError,
    Severity,
)
from actito_iac.heap import imported, owned_by_command
from actito_iac.render.streams import masked_streams
from actito_iac.terminal import Terminal

if TYPE_CHECKING:
    from actito_iac.plan.select import Selection
    from actito_iac.session import Inputs

# Each command imports the stages it runs when it runs: pydantic, httpx, asyncio and rich are
# loaded by the commands that use them, so `--version`, `--help`, completion requests and
# `capabilities` start in a fraction of the time (benchmarks/README: startup).

T = TypeVar("T")

PLAN_SUFFIX = ".json"
"""`apply FILE.json` applies a saved plan: manifests are .yaml/.yml, so there is no clash."""


def _run(coro: Coroutine[Any, Any, T]) -> T:
    import asyncio

    imported()  # the command's imports are done (heap.py)

    # The command's result (a plan of 10,000 changes) is not left as the main task's result:
    # the HTTP stack's cancel scopes put `repr(task)` in their messages, and a finished task's
    # repr holds its result's, written out whole (0.8 s and 60 MiB for such a plan).
    results: list[T] = []

    async def main() -> None:
        results.append(await coro)

    asyncio.run(main())
    return results[0]


def _terminal() -> Terminal:
    """The run's context: made by `main`, or here when the group is invoked directly."""
    return click.get_current_context().ensure_object(Terminal)


def _inputs(term: Terminal, paths: tuple[Path, ...], project_file: Path | None) -> Inputs:
    from actito_iac.session import api_key_values, locate_inputs

    inputs = locate_inputs(paths, project_file, Path.cwd())
    term.learn(api_key_values(inputs, term.environ))  # masked even before a key is used
    return inputs


def _selection(
    targets: tuple[str, ...], excludes: tuple[str, ...], prune: tuple[str, ...]
) -> Selection:
    """What the plan covers; `--prune` values are checked before anything is read."""
    from actito_iac.kinds.registry import KINDS
    from actito_iac.plan.prune import prune_of
    from actito_iac.plan.select import Selection

    prune_of(prune, KINDS)
    return Selection(targets, excludes, prune)


class _Commands(click.Group):
    """The commands, with `emulator` loaded only when it is the one run.

    It brings the web server stack (Starlette, uvicorn) that no other command needs, and every
    run — in CI, in a pre-commit hook, for each completion request — starts faster without it.
    """

    LAZY: ClassVar[dict[str, tuple[str, str]]] = {
        "emulator": ("actito_iac.emulator.command", "emulator")
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.LAZY])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.LAZY:
            module, name = self.LAZY[cmd_name]
            command = getattr(importlib.import_module(module), name)
            if not isinstance(command, click.Command):
                raise TypeError(f"{module}.{name} is not a click command")
            imported()  # a server runs for hours: its collector is on from the start
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="actito-iac")
@verbose_option
def cli() -> None:
    """Configuration as code for ACTITO licences: validate, plan, apply."""


@cli.command()
@paths_argument
@project_option
@env_option
@click.option(
    "--format",
    "output",
    type=click.Choice(["human", "json"]),
    default="human",
    show_default=True,
    help="json: the diagnostics as one document on stdout, for editors and tools (README).",
)
@verbose_option
def validate(
    paths: tuple[Path, ...], project_file: Path | None, env_name: str | None, output: str
) -> int:
    """Check manifests offline: syntax, fields, types, references. No credentials needed.

    `${var:…}` values come from --env's variables (default: the default environment).
    """
    from actito_iac.render.diagnostics_json import Checked, diagnostics_document
    from actito_iac.render.json_plan import dumps
    from actito_iac.runs import load_for
    from actito_iac.session import environment_for

    term = _terminal()
    try:
        inputs = _inputs(term, paths, project_file)
        env = environment_for(inputs, env_name, term.environ, required=False)
        desired = load_for(term, inputs, env)
    except ActitoIacError as exc:
        if output == "json":
            found = getattr(exc, "diagnostics", None) or [Diagnostic(Severity.ERROR, str(exc))]
            click.echo(dumps(diagnostics_document(found)), nl=False)
        raise  # and on stderr for people, with the usual exit code
    entities = len(desired.entities)
    if output == "json":
        checked = Checked(len(desired.files), entities, len(desired.objects))
        click.echo(dumps(diagnostics_document(desired.warnings, checked=checked)), nl=False)
    term.message(
        f"[green]Valid:[/] {len(desired.files)} file(s), {entities} entit"
        f"{'y' if entities == 1 else 'ies'}, {len(desired.objects)} object(s)."
    )
    return exit_codes.OK


@cli.command()
@paths_argument
@project_option
@env_option
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 0 when nothing would change, 2 when changes are pending, 1 on error.",
)
@format_option
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also save the plan (JSON) for `apply FILE`, which applies exactly it.",
)
@target_option
@exclude_option
@prune_option
@data_sample_option
@verbose_option
def plan(
    paths: tuple[Path, ...],
    project_file: Path | None,
    env_name: str | None,
    detailed_exitcode: bool,
    output: str,
    out_file: Path | None,
    targets: tuple[str, ...],
    excludes: tuple[str, ...],
    prune: tuple[str, ...],
) -> int:
    """Read the live licence and show what apply would change."""
    from actito_iac.runs import plan_now

    term = _terminal()
    inputs = _inputs(term, paths, project_file)
    selection = _selection(targets, excludes, prune)
    result = _run(plan_now(term, inputs, env_name, selection, output=output, out_file=out_file))
    if detailed_exitcode and result.has_changes:
        return exit_codes.CHANGES_PENDING
    return exit_codes.OK


@cli.command()
@paths_argument
@project_option
@env_option
@click.option("--auto-approve", is_flag=True, help="Do not ask for confirmation (CI).")
@click.option(
    "--allow-destructive",
    is_flag=True,
    help="Allow changes that lose data (removing an attribute…). Refused otherwise (exit 3).",
)
@click.option(
    "--wait-lock",
    type=click.FloatRange(min=0),
    default=0,
    metavar="SECONDS",
    help="If another apply on this machine holds the licence, wait up to SECONDS for it "
    "(default: refuse at once).",
)
@click.option(
    "--fail-on-manual",
    is_flag=True,
    help="Exit 5 while manual steps remain for the ACTITO UI (after applying the rest), so CI "
    "fails until a person has done them.",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["human", "json"]),
    default="human",
    show_default=True,
    help="json: the apply's result (outcomes, manual steps still to do) as one document on "
    "stdout; the plan and progress go to stderr.",
)
@target_option
@exclude_option
@prune_option
@data_sample_option
@verbose_option
def apply(
    paths: tuple[Path, ...],
    project_file: Path | None,
    env_name: str | None,
    auto_approve: bool,
    allow_destructive: bool,
    wait_lock: float,
    fail_on_manual: bool,
    output: str,
    targets: tuple[str, ...],
    excludes: tuple[str, ...],
    prune: tuple[str, ...],
) -> int:
    """Plan, confirm, and make the changes through the API in dependency order.

    `apply PLAN.json` applies a plan saved with `plan --out PLAN.json` exactly, without asking
    (it was reviewed): it refuses with exit 4 if the manifests, the environment or any live
    object it touches changed since. Either way it ends by listing the manual steps still to
    do in the ACTITO UI.
    """
    from actito_iac.runs import ApplyOptions, apply_now, apply_saved

    term = _terminal()
    options = ApplyOptions(allow_destructive, fail_on_manual, output, wait_lock)
    saved = [p for p in paths if p.suffix == PLAN_SUFFIX]
    if saved:
        if len(paths) > 1 or targets or excludes or prune:
            raise click.UsageError(
                "apply PLAN.json takes no manifest paths, --target, --exclude or --prune: "
                "the saved plan records them"
            )
        return _run(apply_saved(term, saved[0], project_file, env_name, options=options))
    inputs = _inputs(term, paths, project_file)
    selection = _selection(targets, excludes, prune)
    return _run(
        apply_now(
            term,
            inputs,
            env_name,
            selection,
            auto_approve=auto_approve,
            options=options,
        )
    )


@cli.command()
@click.argument("plan_file", type=click.Path(path_type=Path, dir_okay=False))
@format_option
@verbose_option
def show(plan_file: Path, output: str) -> int:
    """Print a plan saved with `plan --out FILE`, in any format. Offline."""
    from actito_iac.render.json_plan import plan_from_document, selection_of
    from actito_iac.runs import print_plan, read_plan_file

    term = _terminal()
    document = read_plan_file(plan_file)
    environment = str(document.get("environment", ""))
    print_plan(
        term,
        plan_from_document(document),
        output,
        environment=environment,
        selection=selection_of(document),
        title=f"Saved plan {plan_file}: environment {environment}",
        full_plan=f"`{plan_file}`",
    )
    return exit_codes.OK


@cli.command()
@click.option(
    "--project-file",
    "which",
    flag_value="project",
    help="Print the project file's schema instead of the manifests'.",
)
def schema(which: str | None) -> int:
    """Print the JSON Schema of manifests (for editors and CI checks)."""
    import json

    from actito_iac.manifest.schema import manifest_schema, project_schema

    document = project_schema() if which == "project" else manifest_schema()
    click.echo(json.dumps(document, indent=2))
    return exit_codes.OK


@cli.command()
@project_option
@env_option
@click.option(
    "--entity",
    "entities",
    multiple=True,
    metavar="NAME",
    help="Export this entity (repeatable; default: every entity of the licence).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("manifests"),
    show_default=True,
    help="Folder to write ENTITY/SECTION/NAME.yaml files into.",
)
@click.option("--force", is_flag=True, help="Overwrite files that exist with other content.")
@click.option(
    "--update",
    is_flag=True,
    help="Merge the licence into the manifests already there: objects they declare keep "
    "their file, comments and key order; new objects get files; objects gone are reported.",
)
@verbose_option
def export(
    project_file: Path | None,
    env_name: str | None,
    entities: tuple[str, ...],
    out_dir: Path,
    force: bool,
    update: bool,
) -> int:
    """Write the live licence as manifests, one file per object, ready to commit.

    Into the folder the project loads its manifests from, only with --update (a plain export
    there would declare every object twice).
    """
    from actito_iac.export_run import export_now

    term = _terminal()
    return _run(export_now(term, project_file, env_name, entities, out_dir, force, update))


@cli.command()
@click.argument(
    "directory",
    default=".",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="[DIR]",
)
@click.option(
    "--from-licence",
    "from_licence",
    is_flag=True,
    help="Also export the live licence into the new manifests folder (credentials as for "
    "plan: ACTITO_API_URL / ACTITO_API_KEY, or --env).",
)
@env_option
@click.option("--force", is_flag=True, help="Overwrite files that exist with other content.")
@verbose_option
def init(directory: Path, from_licence: bool, env_name: str | None, force: bool) -> int:
    """Start a project in DIR (default: here): project file, manifests folder, example
    GitHub workflows, pre-commit configuration. Existing files are kept unless --force."""
    from actito_iac.init_run import init_now

    term = _terminal()
    return _run(
        init_now(term, directory, force=force, from_licence=from_licence, env_name=env_name)
    )


@cli.command()
def capabilities() -> int:
    """Print, as a Markdown table, what the API lets actito-iac do for each kind."""
    from actito_iac.render.capabilities import capability_table

    click.echo(capability_table(), nl=False)
    return exit_codes.OK



def main(argv: list[str] | None = None) -> NoReturn:
    """Console-script entry point: run, then exit with the documented code."""
    owned_by_command()  # the process ends with the command (heap.py)
    # httpx imports its own command-line tool whenever click and rich are installed (they are:
    # this one is built on them), and with it pygments and rich's progress bars and syntax
    # highlighting: 20 ms of every command, for a tool this process never runs. A module
    # marked absent fails to import, which httpx expects (it then defines a stub instead).
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    sys.exit(_main(argv))


def _main(argv: list[str] | None) -> int:
    term = Terminal(dict(os.environ))
    term.learn([term.environ.get(KEY_OVERRIDE, "")])  # before anything can fail
    with masked_streams(term.masker):
        try:
            return _invoke(term, argv)
        finally:
            term.close()  # a bar a failed stage left drawn


def _invoke(term: Terminal, argv: list[str] | None) -> int:
    try:
        code = cli.main(args=argv, prog_name="actito-iac", standalone_mode=False, obj=term)
    except click.exceptions.Abort as abort:
        # click turns Ctrl-C (KeyboardInterrupt) into Abort; a "no" at the prompt is one too.
        # An interrupted apply that had started changing raises ApplyInterrupted instead.
        if isinstance(abort.__cause__ or abort.__context__, KeyboardInterrupt):
            term.message("Interrupted; nothing was changed.")
            return exit_codes.INTERRUPTED
        term.message("Aborted; nothing was changed.")
        return exit_codes.ERROR
    except click.ClickException as exc:  # usage errors included: never 2, which means "changes"
        exc.show()
        return exit_codes.ERROR
    except ActitoIacError as exc:
        return _report(term, exc)
    except KeyboardInterrupt:
        term.message("Interrupted.")
        return exit_codes.INTERRUPTED
    except OSError as exc:  # a file that cannot be read or written: the user's to fix
        where = f": {exc.filename}" if exc.filename else ""
        term.diagnostics([Diagnostic(Severity.ERROR, f"{exc.strerror or exc}{where}")])
        return exit_codes.ERROR
    return code if isinstance(code, int) else exit_codes.OK


def _report(term: Terminal, exc: ActitoIacError) -> int:
    from rich.markup import escape

    from actito_iac.api.errors import ApiError
    from actito_iac.plan.saved import StalePlan
    from actito_iac.render import human

    if isinstance(exc, ManifestError):
        term.diagnostics(exc.diagnostics)
        errors = sum(1 for d in exc.diagnostics if d.severity is Severity.ERROR)
        term.message(f"[red]{errors} error(s)[/] in the manifests; nothing was read or changed.")
        return exit_codes.ERROR
    if isinstance(exc, LiveStateError):
        term.diagnostics(exc.diagnostics)
        return exit_codes.ERROR
    if isinstance(exc, StalePlan):
        reasons = "".join(f"\n  - {escape(r)}" for r in exc.reasons)
        term.message(
            f"[red]Saved plan is stale:[/]{reasons}\nNothing was changed. "
            "Run plan again, review it, and apply the new plan."
        )
        stale = "; ".join(exc.reasons)
        term.annotate(
            [Diagnostic(Severity.ERROR, f"saved plan is stale, nothing was changed: {stale}")]
        )
        return exit_codes.STALE_PLAN
    if isinstance(exc, ApplyInterrupted):
        human.render_interrupted(term.err(), exc)
        return exit_codes.INTERRUPTED
    if isinstance(exc, ApplyRefused):
        term.message(f"[red]Apply refused:[/] {escape(str(exc))}. Nothing was changed.")
        term.annotate([Diagnostic(Severity.ERROR, f"apply refused: {exc}; nothing was changed")])
        return exit_codes.DESTRUCTIVE_REFUSED if exc.destructive else exit_codes.ERROR
    if isinstance(exc, ApiError):
        term.diagnostics([Diagnostic(Severity.ERROR, f"ACTITO API: {exc}")])
        return exit_codes.ERROR
    term.diagnostics([Diagnostic(Severity.ERROR, str(exc))])
    return exit_codes.ERROR
