"""The commands' flows: plan, apply, apply a saved plan. Stages come from session.py; what is
shown comes from render/; this module only chains them for one CLI invocation.

Every plan is masked (render/masked.py) before anything sees it but the executor.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from actito_iac import exit_codes
from actito_iac.actual import Actual
from actito_iac.api.client import ActitoClient
from actito_iac.apply import check_applicable
from actito_iac.apply_log import ApplyLog
from actito_iac.apply_result import ApplyResult, Outcome
from actito_iac.errors import ApplyRefused, ConfigError, Diagnostic, Severity
from actito_iac.licence_lock import licence_lock
from actito_iac.manifest.desired import Desired
from actito_iac.manifest.reader import read_limited
from actito_iac.plan.fingerprint import fingerprints, touched
from actito_iac.plan.model import ManualStep, Plan, manual_steps
from actito_iac.plan.saved import (
    SavedPlan,
    StalePlan,
    context_changes,
    live_changes,
    manifest_changes,
    plan_changes,
    read_saved,
    saved_document,
)
from actito_iac.plan.select import Selection
from actito_iac.render import human
from actito_iac.render.apply_problems import Places, outcome_problem, refusals
from actito_iac.render.github import append_step_summary
from actito_iac.render.json_apply import apply_document
from actito_iac.render.json_plan import (
    DocumentError,
    check_version,
    dumps,
    plan_document,
    selection_of,
)
from actito_iac.render.markdown import render_markdown
from actito_iac.render.masked import mask_plan
from actito_iac.session import (
    Chosen,
    Inputs,
    api_key_values,
    apply_against,
    connection_for,
    environment_for,
    load_desired,
    locate_inputs,
    open_client,
    plan_against,
    recorded_inputs,
)
from actito_iac.terminal import Terminal
from actito_iac.vocabulary import Address


def load_for(term: Terminal, inputs: Inputs, env: Chosen | None) -> Desired:
    """Load the manifests, learning their secrets first-hand; print the warnings."""
    desired = load_desired(inputs, term.environ, env=env, on_secret=term.masker.add)
    if desired.warnings:
        term.diagnostics(desired.warnings)
    return desired


def print_plan(
    term: Terminal,
    plan: Plan,
    output: str,
    *,
    environment: str,
    selection: Selection,
    title: str = "",
    full_plan: str | None = None,
) -> None:
    """The (masked) plan on stdout in the chosen format."""
    if output == "json":
        document = plan_document(plan, environment=environment, selection=selection)
        click.echo(dumps(document), nl=False)
    elif output == "markdown":
        text = render_markdown(
            plan, environment=environment, selection=selection, full_plan=full_plan
        )
        click.echo(text)
    else:
        human.render_plan(term.out(), plan, title=title)


async def plan_now(
    term: Terminal,
    inputs: Inputs,
    env_name: str | None,
    selection: Selection,
    *,
    output: str,
    out_file: Path | None,
) -> Plan:
    desired = load_for(term, inputs, environment_for(inputs, env_name, term.environ))
    connection = connection_for(inputs, env_name, term.environ)
    term.masker.add(connection.api_key)
    async with open_client(connection) as client:
        actual, plan = await plan_against(
            client,
            desired,
            selection=selection,
            data_sample=term.data_sample,
            progress=term.progress,
        )
    environment = connection.environment
    masked = mask_plan(plan, term.masker)
    if out_file is not None:
        project, paths = recorded_inputs(inputs)
        saved = SavedPlan(
            document=plan_document(masked, environment=environment, selection=selection),
            environment=environment,
            api_url=connection.api_url,
            manifest_hash=desired.manifest_hash(),
            manifests=desired.source_digests(),
            fingerprints=fingerprints(touched(plan), actual),
            project=project,
            paths=paths,
        )
        term.write_file(out_file, dumps(saved_document(saved)))
        term.message(
            f"Plan saved to {escape(str(out_file))}; apply exactly it with "
            f"`actito-iac apply {escape(str(out_file))}`."
        )
    full = f"`{out_file}`" if out_file else None
    title = _title(environment, connection.api_url)
    print_plan(
        term,
        masked,
        output,
        environment=environment,
        selection=selection,
        title=title,
        full_plan=full,
    )

    def summary() -> str:
        markdown = render_markdown(
            masked, environment=environment, selection=selection, full_plan=full
        )
        return term.masker.text(markdown)

    append_step_summary(term.environ, summary)
    return plan


@dataclass(frozen=True)
class ApplyOptions:
    """How an apply runs and reports, as the command line asked."""

    allow_destructive: bool = False
    fail_on_manual: bool = False
    """Exit MANUAL_PENDING (5) while manual steps remain, once the API's part is done."""
    output: str = "human"
    """`json`: the apply's result as one document on stdout; the plan and outcomes on stderr."""
    wait_lock: float = 0.0


async def apply_now(
    term: Terminal,
    inputs: Inputs,
    env_name: str | None,
    selection: Selection,
    *,
    auto_approve: bool,
    options: ApplyOptions,
) -> int:
    desired = load_for(term, inputs, environment_for(inputs, env_name, term.environ))
    connection = connection_for(inputs, env_name, term.environ)
    term.masker.add(connection.api_key)
    out = _console(term, options)
    # The lock is taken before the licence is read: a plan made while another apply changes
    # the licence would be built on a state that is moving.
    async with (
        _lock(term, connection.api_url, options.wait_lock),
        open_client(connection) as client,
    ):
        actual, plan = await plan_against(
            client,
            desired,
            selection=selection,
            data_sample=term.data_sample,
            progress=term.progress,
        )
        masked = mask_plan(plan, term.masker)
        human.render_plan(out, masked, title=_title(connection.environment, connection.api_url))
        run = _Run(client, out, options, connection.environment, term, _places(desired))
        return await run.execute(plan, actual, lambda n: _confirm(auto_approve, n))


MAX_PLAN_BYTES = 256 * 1024 * 1024
"""Far above any real plan (its JSON repeats each manifest object twice at most)."""


def read_plan_file(path: Path) -> dict[str, Any]:
    """A plan document from a file, checked to be one this version reads."""
    try:
        # Like manifests: a FIFO or a device is refused, not read forever.
        document = json.loads(read_limited(path, MAX_PLAN_BYTES).decode("utf-8"))
        return check_version(document)
    except OSError as exc:
        raise ConfigError(f"cannot read the plan {path}: {exc.strerror or exc}") from None
    except (ValueError, DocumentError) as exc:  # JSONDecodeError is a ValueError
        raise ConfigError(f"{path} is not an actito-iac plan: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path} is not an actito-iac plan: nested too deeply") from None


async def apply_saved(
    term: Terminal,
    plan_file: Path,
    project_file: Path | None,
    env_name: str | None,
    *,
    options: ApplyOptions,
) -> int:
    """Apply exactly the saved plan, or refuse (StalePlan) before writing anything."""
    saved = read_saved(read_plan_file(plan_file))
    recorded = Path(saved.project) if saved.project else None
    inputs = locate_inputs([Path(p) for p in saved.paths], project_file or recorded, Path.cwd())
    term.learn(api_key_values(inputs, term.environ))
    known = inputs.project.environments if inputs.project else {}
    wanted = env_name or (saved.environment if saved.environment in known else None)
    env = environment_for(inputs, wanted, term.environ)
    if env[0] != saved.environment:
        raise StalePlan(context_changes(saved, env[0], saved.api_url))
    desired = load_for(term, inputs, env)
    connection = connection_for(inputs, wanted, term.environ)
    term.masker.add(connection.api_key)
    stale = context_changes(saved, connection.environment, connection.api_url)
    stale += manifest_changes(saved, desired.source_digests(), desired.manifest_hash())
    if stale:
        raise StalePlan(stale)
    selection = selection_of(saved.document)
    out = _console(term, options)
    async with (
        _lock(term, connection.api_url, options.wait_lock),
        open_client(connection) as client,
    ):
        actual, plan = await plan_against(
            client,
            desired,
            selection=selection,
            data_sample=term.data_sample,
            progress=term.progress,
        )
        now = fingerprints([Address.parse(a) for a in saved.fingerprints], actual)
        masked = mask_plan(plan, term.masker)
        fresh = plan_document(masked, environment=connection.environment, selection=selection)
        stale = live_changes(saved, now) + plan_changes(saved, fresh)
        if stale:
            raise StalePlan(stale)
        title = f"Saved plan {plan_file}: " + _title(connection.environment, connection.api_url)
        human.render_plan(out, masked, title=title)
        # A saved plan was reviewed already: no confirmation.
        run = _Run(client, out, options, connection.environment, term, _places(desired))
        return await run.execute(plan, actual, lambda n: None)


def _places(desired: Desired) -> Places:
    return {o.address: o.location for o in desired.objects}


@dataclass(frozen=True)
class _Run:
    """One apply's execution and its report. Inside GitHub Actions each refusal and each
    failed change is also an annotation, at the manifest object it concerns (`places`)."""

    client: ActitoClient
    out: Console
    options: ApplyOptions
    environment: str
    term: Terminal
    places: Places

    async def execute(self, plan: Plan, actual: Actual, confirm: Callable[[int], None]) -> int:
        """Refuse before anything is written, confirm, apply and report each change, then
        list the manual steps still to do: an apply never ends on them silently."""
        allow = self.options.allow_destructive
        try:
            check_applicable(plan, allow_destructive=allow)
        except ApplyRefused:
            self.term.annotate(refusals(plan, self.places, allow_destructive=allow))
            raise
        result = ApplyResult(())
        if plan.executable:
            self.out.print()
            confirm(len(plan.executable))
            result = await self._apply(plan, actual)
        steps = manual_steps(plan)
        if steps:
            self.out.print()
            human.render_manual_steps(self.out, steps)
        code = apply_exit(result, steps, fail_on_manual=self.options.fail_on_manual)
        if code == exit_codes.MANUAL_PENDING:
            self.out.print(
                f"[magenta]{len(steps)} manual step(s) still to do[/] (--fail-on-manual): "
                f"exit {exit_codes.MANUAL_PENDING}."
            )
        if self.options.output == "json":
            document = apply_document(result, steps, environment=self.environment, exit_code=code)
            click.echo(dumps(document), nl=False)
        return code

    async def _apply(self, plan: Plan, actual: Actual) -> ApplyResult:
        applied = ApplyLog(plan.executable)

        def report(outcome: Outcome) -> None:
            human.render_outcome(self.out, outcome)
            problem = outcome_problem(outcome, self.places)
            if problem is not None:
                self.term.annotate([problem])

        try:
            result = await apply_against(
                self.client,
                plan,
                actual,
                allow_destructive=self.options.allow_destructive,
                report=report,
                progress=self.term.progress,
                log=applied,
            )
        except (asyncio.CancelledError, KeyboardInterrupt):
            # Ctrl-C: asyncio cancels the run at the requests in flight. Say exactly what was
            # changed, what may have been, and what was not (the CLI exits 130).
            raise applied.interrupted() from None
        human.render_apply_summary(self.out, result)
        return result


def apply_exit(result: ApplyResult, steps: tuple[ManualStep, ...], *, fail_on_manual: bool) -> int:
    """How an apply that ran ends: an error if a change failed or was skipped; with
    `--fail-on-manual`, MANUAL_PENDING while manual steps remain; else OK."""
    if not result.ok:
        return exit_codes.ERROR
    if steps and fail_on_manual:
        return exit_codes.MANUAL_PENDING
    return exit_codes.OK


def _console(term: Terminal, options: ApplyOptions) -> Console:
    """Where the plan and outcomes go: stdout, or stderr when stdout holds the JSON result."""
    return term.err() if options.output == "json" else term.out()


def _lock(term: Terminal, api_url: str, wait: float) -> AbstractAsyncContextManager[None]:
    def warn(text: str) -> None:
        term.diagnostics([Diagnostic(Severity.WARNING, text)])

    return licence_lock(api_url, term.environ, wait=wait, warn=warn)


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
