"""An apply's refusals and failures as problems at the manifest objects they concern: inside
GitHub Actions the terminal shows them as annotations (github.py)."""

from __future__ import annotations

from collections.abc import Mapping

from actito_iac.apply_result import Outcome, Status
from actito_iac.errors import Diagnostic, Severity, SourceLocation
from actito_iac.plan.model import Action, Change, Plan
from actito_iac.vocabulary import Address, Risk

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
