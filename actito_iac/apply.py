"""apply(plan, actual, client) -> ApplyResult: walks the plan; no diffing, no printing.

Refusals come first and change nothing: a plan with blocked changes, or with destructive
changes when they were not allowed, does not start. Then changes run in plan order. A failed
change does not stop the run: objects that do not depend on it still converge, those that do
are skipped, and the next plan picks up whatever is left (the live licence is the state).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from actito_iac.address import Address
from actito_iac.errors import ActitoIacError, ApplyRefused
from actito_iac.kinds import KINDS
from actito_iac.kinds.base import Kind, Risk
from actito_iac.live import Actual
from actito_iac.plan.model import Action, Change, Plan

if TYPE_CHECKING:
    from actito_iac.api.client import ActitoClient


class Status(StrEnum):
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Outcome:
    address: Address
    action: Action
    status: Status
    message: str = ""


@dataclass(frozen=True)
class ApplyResult:
    outcomes: tuple[Outcome, ...]

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status is not Status.DONE)

    @property
    def ok(self) -> bool:
        return not self.failed


def check_applicable(plan: Plan, *, allow_destructive: bool) -> None:
    """Raise ApplyRefused when the plan must not start; nothing has been changed then."""
    blocked = [c for c in plan.changes if c.action is Action.BLOCKED]
    if blocked:
        names = ", ".join(str(c.address) for c in blocked)
        raise ApplyRefused(
            f"{len(blocked)} change(s) are blocked by ACTITO's rules ({names}); "
            "change the manifests as the plan explains, then plan again"
        )
    destructive = [c for c in plan.executable if c.risk is Risk.DESTRUCTIVE]
    if destructive and not allow_destructive:
        names = ", ".join(str(c.address) for c in destructive)
        raise ApplyRefused(
            f"{len(destructive)} destructive change(s) would lose data ({names}); "
            "re-run with --allow-destructive once reviewed",
            destructive=True,
        )


async def apply_plan(
    plan: Plan,
    actual: Actual,
    client: ActitoClient,
    *,
    allow_destructive: bool = False,
    kinds: Sequence[Kind] = KINDS,
    report: Callable[[Outcome], None] | None = None,
) -> ApplyResult:
    check_applicable(plan, allow_destructive=allow_destructive)
    by_name = {k.name: k for k in kinds}
    failed: set[Address] = set()
    outcomes: list[Outcome] = []
    for change in plan.executable:
        outcome = await _run(change, by_name[change.address.kind], actual, client, failed)
        if outcome.status is not Status.DONE:
            failed.add(change.address)
        outcomes.append(outcome)
        if report is not None:
            report(outcome)
    return ApplyResult(tuple(outcomes))


async def _run(
    change: Change, kind: Kind, actual: Actual, client: ActitoClient, failed: set[Address]
) -> Outcome:
    blockers = [d for d in change.depends_on if d in failed]
    if blockers:
        why = "depends on " + ", ".join(str(d) for d in blockers) + ", which was not applied"
        return Outcome(change.address, change.action, Status.SKIPPED, why)
    entity = change.address.entity
    try:
        if change.action is Action.CREATE and change.spec is not None:
            new_id = await kind.create(client, entity, change.spec)
            return Outcome(change.address, change.action, Status.DONE, f"id {new_id}")
        if change.action is Action.UPDATE and change.spec is not None:
            await kind.update(client, entity, actual.objects[change.address], change.spec)
            return Outcome(change.address, change.action, Status.DONE)
    except ActitoIacError as exc:
        return Outcome(change.address, change.action, Status.FAILED, str(exc))
    return Outcome(change.address, change.action, Status.SKIPPED, "nothing the API can do")
