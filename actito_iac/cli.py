"""The command line: thin click commands, and the only place that maps errors to exit codes.

Data (plans, schemas) goes to stdout, diagnostics and progress to stderr, so
`actito-iac schema > file` and piping a plan stay clean.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from actito_iac import __version__, exit_codes
from actito_iac.api.errors import ApiError
from actito_iac.apply import check_applicable
from actito_iac.emulator.command import emulator
from actito_iac.errors import (
    ActitoIacError,
    ApplyRefused,
    Diagnostic,
    LiveStateError,
    ManifestError,
    Severity,
)
from actito_iac.manifest.schema import manifest_schema, project_schema
from actito_iac.plan.model import Plan
from actito_iac.render import human
from actito_iac.render.capabilities import capability_table
from actito_iac.session import (
    Inputs,
    apply_against,
    connection_for,
    load_desired,
    locate_inputs,
    open_client,
    plan_against,
)

T = TypeVar("T")

paths_argument = click.argument(
    "paths", nargs=-1, type=click.Path(path_type=Path, exists=False, dir_okay=True)
)
project_option = click.option(
    "--project",
    "project_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Project file (default: actito-iac.yaml in this folder or a parent).",
)
env_option = click.option(
    "--env",
    "env_name",
    metavar="NAME",
    help="Environment of the project file (default: its defaultEnvironment).",
)


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="actito-iac")
@click.option("-v", "--verbose", is_flag=True, help="Log API calls (never keys) to stderr.")
def cli(verbose: bool) -> None:
    """Configuration as code for ACTITO licences: validate, plan, apply."""
    if verbose:
        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")


@cli.command()
@paths_argument
@project_option
def validate(paths: tuple[Path, ...], project_file: Path | None) -> int:
    """Check manifests offline: syntax, fields, types, references. No credentials needed."""
    inputs = locate_inputs(paths, project_file, Path.cwd())
    desired = load_desired(inputs, os.environ)
    entities = len(desired.entities)
    _err().print(
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
def plan(
    paths: tuple[Path, ...],
    project_file: Path | None,
    env_name: str | None,
    detailed_exitcode: bool,
) -> int:
    """Read the live licence and show what apply would change."""
    inputs = locate_inputs(paths, project_file, Path.cwd())
    result = _run(_plan(inputs, env_name))
    if detailed_exitcode and result.has_changes:
        return exit_codes.CHANGES_PENDING
    return exit_codes.OK


async def _plan(inputs: Inputs, env_name: str | None) -> Plan:
    desired = load_desired(inputs, os.environ)
    connection = connection_for(inputs, env_name, os.environ)
    async with open_client(connection) as client:
        _, result = await plan_against(client, desired)
    human.render_plan(_out(), result, title=_title(connection.environment, connection.api_url))
    return result


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
def apply(
    paths: tuple[Path, ...],
    project_file: Path | None,
    env_name: str | None,
    auto_approve: bool,
    allow_destructive: bool,
) -> int:
    """Plan, confirm, and make the changes through the API in dependency order."""
    inputs = locate_inputs(paths, project_file, Path.cwd())
    return _run(_apply(inputs, env_name, auto_approve, allow_destructive))


async def _apply(
    inputs: Inputs, env_name: str | None, auto_approve: bool, allow_destructive: bool
) -> int:
    desired = load_desired(inputs, os.environ)
    connection = connection_for(inputs, env_name, os.environ)
    out = _out()
    async with open_client(connection) as client:
        actual, result = await plan_against(client, desired)
        human.render_plan(out, result, title=_title(connection.environment, connection.api_url))
        check_applicable(result, allow_destructive=allow_destructive)  # before asking anything
        if not result.executable:
            return exit_codes.OK
        out.print()
        _confirm(auto_approve, len(result.executable))
        outcome = await apply_against(
            client,
            result,
            actual,
            allow_destructive=allow_destructive,
            report=lambda o: human.render_outcome(out, o),
        )
    human.render_apply_summary(out, outcome)
    return exit_codes.OK if outcome.ok else exit_codes.ERROR


def _confirm(auto_approve: bool, count: int) -> None:
    if auto_approve:
        return
    if not sys.stdin.isatty():
        raise click.ClickException(
            "refusing to apply without a terminal to confirm on; pass --auto-approve in CI"
        )
    if not click.confirm(f"Apply these {count} change(s)?", default=False, err=True):
        raise click.Abort


def _title(environment: str, url: str) -> str:
    return f"Environment {environment} ({url})"


@cli.command()
@click.option(
    "--project-file",
    "which",
    flag_value="project",
    help="Print the project file's schema instead of the manifests'.",
)
def schema(which: str | None) -> int:
    """Print the JSON Schema of manifests (for editors and CI checks)."""
    document = project_schema() if which == "project" else manifest_schema()
    click.echo(json.dumps(document, indent=2))
    return exit_codes.OK


@cli.command()
def capabilities() -> int:
    """Print, as a Markdown table, what the API lets actito-iac do for each kind."""
    click.echo(capability_table(), nl=False)
    return exit_codes.OK


cli.add_command(emulator)


def main(argv: list[str] | None = None) -> NoReturn:
    """Console-script entry point: run, then exit with the documented code."""
    sys.exit(_main(argv))


def _main(argv: list[str] | None) -> int:
    err = _err()
    try:
        code = cli.main(args=argv, prog_name="actito-iac", standalone_mode=False)
    except click.exceptions.Abort:
        err.print("Aborted; nothing was changed.")
        return exit_codes.ERROR
    except click.ClickException as exc:  # usage errors included: never 2, which means "changes"
        exc.show()
        return exit_codes.ERROR
    except ActitoIacError as exc:
        return _report(err, exc)
    except KeyboardInterrupt:
        err.print("Interrupted.")
        return exit_codes.INTERRUPTED
    return code if isinstance(code, int) else exit_codes.OK


def _report(err: Console, exc: ActitoIacError) -> int:
    if isinstance(exc, ManifestError):
        human.render_diagnostics(err, exc.diagnostics)
        errors = sum(1 for d in exc.diagnostics if d.severity is Severity.ERROR)
        err.print(f"[red]{errors} error(s)[/] in the manifests; nothing was read or changed.")
        return exit_codes.ERROR
    if isinstance(exc, LiveStateError):
        human.render_diagnostics(err, exc.diagnostics)
        return exit_codes.ERROR
    if isinstance(exc, ApplyRefused):
        err.print(f"[red]Apply refused:[/] {escape(str(exc))}. Nothing was changed.")
        return exit_codes.DESTRUCTIVE_REFUSED if exc.destructive else exit_codes.ERROR
    if isinstance(exc, ApiError):
        human.render_diagnostics(err, [Diagnostic(Severity.ERROR, f"ACTITO API: {exc}")])
        return exit_codes.ERROR
    human.render_diagnostics(err, [Diagnostic(Severity.ERROR, str(exc))])
    return exit_codes.ERROR
