"""Inside GitHub Actions: diagnostics as annotations, and the plan in the job summary.

Annotations are workflow commands (`::error file=…,line=…,col=…,title=…::message`), which the
runner reads from both output streams; they go to stderr so stdout stays data (a JSON plan).
The runner shows at most 10 errors and 10 warnings per step, so beyond that the rest are
counted and one line says how many were left out (they are all printed normally anyway).

Escaping follows the workflow-command rules: in the message `%`, CR and LF are percent-encoded;
in property values `:` and `,` as well, since they delimit properties.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from actito_iac.apply_result import Outcome, Status
from actito_iac.errors import Diagnostic, Severity, SourceLocation
from actito_iac.plan.model import Action, Change, Plan
from actito_iac.vocabulary import Address, Risk

log = logging.getLogger(__name__)

TITLE = "actito-iac"
PER_STEP = 10
"""The runner's cap per step and per severity."""


def in_github_actions(environ: Mapping[str, str]) -> bool:
    return environ.get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(diagnostic: Diagnostic) -> str:
    command = "error" if diagnostic.severity is Severity.ERROR else "warning"
    properties: list[tuple[str, str]] = []
    where = diagnostic.location
    if where is not None:
        properties.append(("file", where.file))
        if where.line:
            properties.append(("line", str(where.line)))
            if where.column:
                properties.append(("col", str(where.column)))
    properties.append(("title", TITLE))
    listed = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    message = diagnostic.message
    if diagnostic.field:
        message = f"{diagnostic.field}: {message}"
    return f"::{command} {listed}::{escape_data(message)}"


@dataclass
class Annotations:
    """The annotations of one run (one step): counts per severity, to respect the cap."""

    shown: dict[Severity, int] = field(default_factory=dict)

    def lines(self, diagnostics: Iterable[Diagnostic]) -> list[str]:
        out: list[str] = []
        omitted: dict[Severity, int] = {}
        for diagnostic in diagnostics:
            severity = diagnostic.severity
            if self.shown.get(severity, 0) < PER_STEP:
                self.shown[severity] = self.shown.get(severity, 0) + 1
                out.append(workflow_command(diagnostic))
            else:
                omitted[severity] = omitted.get(severity, 0) + 1
        for severity, count in sorted(omitted.items()):
            out.append(
                f"{count} more {severity}(s) not annotated (GitHub shows {PER_STEP} per step); "
                "all are listed in the log"
            )
        return out


Places = Mapping[Address, SourceLocation]
"""Where each object of the manifests is declared: annotations point at it."""


def refusals(plan: Plan, places: Places, *, allow_destructive: bool) -> list[Diagnostic]:
    """One error per change that makes `apply` refuse the plan: each blocked change (with why
    and the way around), and each destructive change when they were not allowed."""
    found = [
        Diagnostic(
            Severity.ERROR,
            f"apply refused: {c.address} is blocked: {_reason(c)}",
            places.get(c.address),
        )
        for c in plan.changes
        if c.action is Action.BLOCKED
    ]
    if not found and not allow_destructive:
        found = [
            Diagnostic(
                Severity.ERROR,
                f"apply refused: {c.action} {c.address} is destructive"
                + (f" ({c.impact})" if c.impact else "")
                + "; re-run with --allow-destructive once reviewed",
                places.get(c.address),
            )
            for c in plan.executable
            if c.risk is Risk.DESTRUCTIVE
        ]
    return found


def _reason(change: Change) -> str:
    blocked = "; ".join(f.blocked for f in change.fields if f.blocked)
    return change.reason or blocked or "see the plan"


def outcome_problem(outcome: Outcome, places: Places) -> Diagnostic | None:
    """An error for a change the API refused (or that failed), a warning for one skipped
    because it waited on a change that failed; nothing for a change done."""
    if outcome.status is Status.DONE:
        return None
    severity = Severity.ERROR if outcome.status is Status.FAILED else Severity.WARNING
    what = "failed" if outcome.status is Status.FAILED else "skipped"
    detail = f": {outcome.message}" if outcome.message else ""
    message = f"apply {what}: {outcome.action} {outcome.address}{detail}"
    return Diagnostic(severity, message, places.get(outcome.address))


def append_step_summary(environ: Mapping[str, str], markdown: str) -> bool:
    """Append to $GITHUB_STEP_SUMMARY when it is set; True when written."""
    target = environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    try:
        with Path(target).open("a", encoding="utf-8") as summary:
            summary.write(markdown if markdown.endswith("\n") else markdown + "\n")
    except OSError as exc:  # the plan itself succeeded; a summary is a courtesy
        log.warning("cannot append the plan to %s: %s", target, exc.strerror or exc)
        return False
    return True
