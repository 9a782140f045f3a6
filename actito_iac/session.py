"""One run's inputs and the stages chained for the commands: load, connect, read, plan, apply.

The CLI calls these and only prints; tests call them with an in-process transport. The client
is opened here so its lifetime (token, connection pool) is exactly one run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from actito_iac.actual import Actual
from actito_iac.api.client import ActitoClient
from actito_iac.apply import apply_plan, check_applicable
from actito_iac.apply_log import ApplyLog
from actito_iac.apply_result import ApplyResult, Outcome, Status
from actito_iac.errors import ConfigError, ManifestError
from actito_iac.heap import collector_paused
from actito_iac.kinds.registry import KINDS
from actito_iac.live import read_actual, read_samples
from actito_iac.manifest.desired import Desired
from actito_iac.manifest.loader import load
from actito_iac.manifest.project import (
    KEY_OVERRIDE,
    PROJECT_FILE,
    Connection,
    Environment,
    Project,
    choose_environment,
    find_project,
    load_project,
    resolve_connection,
)
from actito_iac.manifest.reader import display_path
from actito_iac.plan.impact import DATA_SAMPLE, quantify
from actito_iac.plan.model import Plan
from actito_iac.plan.planner import check_manifests, make_plan
from actito_iac.plan.prune import prune_of
from actito_iac.plan.select import Selection, select
from actito_iac.progress import SILENT, Progress, Stage

Chosen = tuple[str, Environment | None]
"""An environment's name and definition (None: no project environment applies)."""


@dataclass(frozen=True)
class Inputs:
    project: Project | None
    manifest_paths: tuple[Path, ...]
    project_file: Path | None = None
    """The project file read, if any (recorded in saved plans)."""
    given: tuple[Path, ...] = ()
    """The paths given on the command line (recorded in saved plans)."""


def locate_inputs(paths: Sequence[Path], project_file: Path | None, cwd: Path) -> Inputs:
    """Which project file and which manifest paths this run uses.

    Paths given on the command line win; otherwise the project file's `manifests`.
    """
    found = project_file or find_project(cwd)
    project = load_project(found) if found else None
    if paths:
        return Inputs(project, tuple(paths), found, tuple(paths))
    if project is not None:
        return Inputs(project, tuple(project.manifests), found)
    raise ConfigError(
        f"no manifests to read: pass paths (files or folders) or create {PROJECT_FILE} "
        "naming them (see the README's quick start)"
    )


def environment_for(
    inputs: Inputs, env_name: str | None, environ: Mapping[str, str], *, required: bool = True
) -> Chosen:
    return choose_environment(inputs.project, env_name, environ, required=required)


def api_key_values(inputs: Inputs, environ: Mapping[str, str]) -> list[str]:
    """Every value that may be an API key of this project: all are masked in every output,
    whichever environment the run uses."""
    names = {KEY_OVERRIDE}
    if inputs.project is not None:
        names.update(e.api_key_env for e in inputs.project.environments.values())
    return [environ[n] for n in sorted(names) if environ.get(n)]


def load_desired(
    inputs: Inputs,
    environ: Mapping[str, str],
    *,
    env: Chosen | None = None,
    on_secret: Callable[[str], None] | None = None,
) -> Desired:
    name, environment = env or ("", None)
    variables = environment.variables if environment is not None else None
    with collector_paused():
        desired = load(
            list(inputs.manifest_paths),
            environ,
            variables,
            environment=name,
            on_secret=on_secret,
        )
        problems = check_manifests(desired)
    if problems:
        raise ManifestError(problems)
    return desired


def connection_for(inputs: Inputs, env_name: str | None, environ: Mapping[str, str]) -> Connection:
    return resolve_connection(inputs.project, env_name, environ)


def open_client(
    connection: Connection, transport: httpx.AsyncBaseTransport | None = None
) -> ActitoClient:
    return ActitoClient(
        connection.api_url,
        connection.api_key,
        transport=transport,
        calls_per_minute=connection.calls_per_minute,
    )


def recorded_inputs(inputs: Inputs) -> tuple[str | None, tuple[str, ...]]:
    """What a saved plan keeps to re-load the same manifests: the project file and paths."""
    project = display_path(inputs.project_file) if inputs.project_file else None
    return project, tuple(str(p) for p in inputs.given)


async def plan_against(
    client: ActitoClient,
    desired: Desired,
    *,
    data_sample: int = DATA_SAMPLE,
    selection: Selection | None = None,
    progress: Progress = SILENT,
) -> tuple[Actual, Plan]:
    """Read, plan, keep the selected changes, then quantify their risk from the data."""
    chosen = selection if selection is not None else Selection()
    prune = prune_of(chosen.prune, KINDS)
    actual = await read_actual(client, desired, progress=progress)
    plan = select(make_plan(desired, actual, prune=prune), chosen)
    samples = await read_samples(client, plan, actual, data_sample, progress=progress)
    return actual, quantify(plan, samples)


async def apply_against(
    client: ActitoClient,
    plan: Plan,
    actual: Actual,
    *,
    allow_destructive: bool,
    report: Callable[[Outcome], None] | None = None,
    progress: Progress = SILENT,
    log: ApplyLog | None = None,
) -> ApplyResult:
    """Apply the plan; `report` gets each outcome in plan order, and `log` is told what starts
    and ends as it does (what an interruption reports)."""
    check_applicable(plan, allow_destructive=allow_destructive)

    def each(outcome: Outcome) -> None:
        progress.advance(Stage.APPLY)
        if report is not None:
            report(outcome)

    progress.start(Stage.APPLY, len(plan.executable))
    result = await apply_plan(
        plan,
        actual,
        client,
        allow_destructive=allow_destructive,
        report=each,
        started=log.start if log is not None else None,
        finished=log.finish if log is not None else None,
    )
    progress.finish(Stage.APPLY, sum(1 for o in result.outcomes if o.status is Status.DONE))
    return result
