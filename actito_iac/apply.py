"""apply(plan, actual, client) -> ApplyResult: walks the plan; no diffing, no printing.

Refusals come first and change nothing: a plan with blocked changes, or with destructive
changes when they were not allowed, does not start. Then changes run in plan order. A failed
change does not stop the run: objects that do not depend on it still converge, those that do
are skipped, and the next plan picks up whatever is left (the live licence is the state).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from actito_iac.address import Address
from actito_iac.errors import ActitoIacError, ApplyRefused
from actito_iac.kinds import KINDS
from actito_iac.kinds.base import JSON, IdLookup, Kind, LiveObject, Risk
from actito_iac.live import Actual
from actito_iac.plan.fingerprint import payload_fingerprint
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
    run = _Run(actual, client, {k.name: k for k in kinds})
    outcomes: list[Outcome] = []
    for change in plan.executable:
        outcome = await run.execute(change)
        outcomes.append(outcome)
        if report is not None:
            report(outcome)
    return ApplyResult(tuple(outcomes))


class _Run:
    """One apply's memory: ids of objects it created, and what failed (for dependants)."""

    def __init__(self, actual: Actual, client: ActitoClient, kinds: dict[str, Kind]) -> None:
        self.actual = actual
        self.client = client
        self.kinds = kinds
        self.created: dict[Address, str] = {}
        self.failed: set[Address] = set()

    async def execute(self, change: Change) -> Outcome:
        outcome = await self._execute(change)
        if outcome.status is not Status.DONE and change.action is Action.CREATE:
            # Only a missing object stops its dependants; one whose update failed still exists.
            self.failed.add(change.address)
        return outcome

    async def _execute(self, change: Change) -> Outcome:
        address = change.address
        blockers = [d for d in change.depends_on if d in self.failed]
        if blockers:
            why = "depends on " + ", ".join(str(d) for d in blockers) + ", which was not applied"
            return Outcome(address, change.action, Status.SKIPPED, why)
        kind = self.kinds[address.kind]
        live = self.actual.objects.get(address)
        if change.spec is None:
            return Outcome(address, change.action, Status.SKIPPED, "nothing the API can do")
        try:
            if change.action is Action.CREATE:
                body = kind.payload(change.spec, self._ids(address.entity), None)
                new_id = await kind.create(self.client, address.entity, body)
                self.created[address] = new_id
                return Outcome(address, change.action, Status.DONE, f"id {new_id}")
            if change.action is Action.UPDATE and live is not None:
                current = await kind.read(self.client, address.entity, live.id)
                moved = _moved(live, current)
                if moved:
                    return Outcome(address, change.action, Status.FAILED, moved)
                assert current is not None
                body = kind.payload(change.spec, self._ids(address.entity), current)
                await kind.update(self.client, address.entity, live.id, body)
                return Outcome(address, change.action, Status.DONE)
        except KeyError as missing:
            return Outcome(address, change.action, Status.FAILED, f"cannot resolve {missing}")
        except ActitoIacError as exc:
            return Outcome(address, change.action, Status.FAILED, str(exc))
        return Outcome(address, change.action, Status.SKIPPED, "nothing the API can do")

    def _ids(self, entity: str) -> IdLookup:
        def lookup(kind: str, name: str) -> str:
            address = Address(entity, kind, name)
            found = self.created.get(address) or self.actual.id_of(address)
            if found is None:
                raise KeyError(f"{kind} {name!r} (not in the licence)")
            return found

        return lookup


MOVED = "nothing of it was written: plan again to see what changed, then apply"


def _moved(live: LiveObject, current: Mapping[str, JSON] | None) -> str:
    """Why the object must not be written: it changed or went since the plan; empty if not.

    ACTITO has no compare-and-swap, so the executor re-reads each object just before writing
    it. A change request carries the whole definition: built on what the plan saw, it would
    undo whatever was changed meanwhile (an attribute added in the UI while the apply waited
    at its prompt would be removed with its values).
    """
    if current is None:
        return f"it was deleted since the plan; {MOVED}"
    if payload_fingerprint(current) != payload_fingerprint(live.payload):
        return f"it changed since the plan; {MOVED}"
    return ""
