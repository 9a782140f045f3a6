"""apply(plan, actual, client) -> ApplyResult: walks the plan; no diffing, no printing.

Refusals come first and change nothing: a plan with blocked changes, or with destructive
changes when they were not allowed, does not start. Then every change starts as soon as the
changes it waits for are over — those that make what it refers to (`depends_on`), those that
must stop relying on it first (`runs_after`), an earlier change of the same object — with at
most as many changes running as the client has requests in flight (ACTITO's 5), so a long
apply runs at the API's bound instead of one request at a time. Outcomes are reported in plan
order whatever order they finish in; `started` is told each change as it starts, so an
interruption can say exactly which were in flight.

A failed change does not stop the run: objects that do not depend on it still converge, those
that do are skipped, and the next plan picks up whatever is left (the live licence is the
state).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from actito_iac.actual import Actual, LiveObject
from actito_iac.api.errors import RequestRejected
from actito_iac.api.resource import Resource
from actito_iac.apply_result import ApplyResult, Outcome, Status
from actito_iac.errors import ActitoIacError, ApplyRefused
from actito_iac.kinds.base import IdLookup, Kind
from actito_iac.kinds.endpoints import Part
from actito_iac.kinds.registry import KINDS
from actito_iac.plan.fingerprint import payload_fingerprint
from actito_iac.plan.model import Action, Change, Plan
from actito_iac.vocabulary import JSON, Address, Risk, SpecModel

if TYPE_CHECKING:
    from actito_iac.api.client import ActitoClient


def check_applicable(plan: Plan, *, allow_destructive: bool) -> None:
    """Raise ApplyRefused when the plan must not start; nothing has been changed then."""
    blocked = [c for c in plan.changes if c.action is Action.BLOCKED]
    if blocked:
        names = ", ".join(str(c.address) for c in blocked)
        raise ApplyRefused(
            f"{len(blocked)} change(s) are blocked by ACTITO's rules or by objects that rely "
            f"on them ({names}); change the manifests as the plan explains, then plan again"
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
    started: Callable[[Change], None] | None = None,
    finished: Callable[[Outcome], None] | None = None,
) -> ApplyResult:
    """Apply the plan's executable changes; see the module's docstring.

    `report` gets each outcome in plan order; `started` each change as its first request is
    about to go, and `finished` each outcome as soon as it is known (in the order they end).
    As many changes run at once as the client lets requests be in flight.
    """
    check_applicable(plan, allow_destructive=allow_destructive)
    run = _Run(actual, client, {k.name: k for k in kinds})
    changes = plan.executable
    waits = _waits(changes)
    over = [asyncio.Event() for _ in changes]
    outcomes: list[Outcome | None] = [None] * len(changes)
    slots = asyncio.Semaphore(client.max_in_flight)
    reported = 0

    async def one(index: int) -> None:
        nonlocal reported
        for earlier in waits[index]:
            await over[earlier].wait()
        async with slots:
            if started is not None:
                started(changes[index])
            outcome = await run.execute(changes[index])
        outcomes[index] = outcome
        over[index].set()
        if finished is not None:
            finished(outcome)
        while reported < len(changes) and (ready := outcomes[reported]) is not None:
            reported += 1
            if report is not None:
                report(ready)

    tasks = [asyncio.ensure_future(one(i)) for i in range(len(changes))]
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:  # interrupted: nothing is left running behind the caller's back
            task.cancel()
    return ApplyResult(tuple(o for o in outcomes if o is not None))


def _waits(changes: Sequence[Change]) -> list[list[int]]:
    """For each change, the earlier changes it must wait for: those of the objects it depends
    on or runs after, and any earlier change of the same object. Only earlier ones: the plan
    is in an order where they all come first (plan/order.py), so waiting cannot deadlock."""
    position: dict[Address, list[int]] = {}
    out: list[list[int]] = []
    for index, change in enumerate(changes):
        needed = {change.address, *change.depends_on, *change.runs_after}
        out.append(sorted(i for a in needed for i in position.get(a, ())))
        position.setdefault(change.address, []).append(index)
    return out


class _Run:
    """One apply's memory: ids of objects it created, and what did not succeed (dependants of
    a missing object are skipped, and so are the changes that wait for a failed one)."""

    def __init__(self, actual: Actual, client: ActitoClient, kinds: dict[str, Kind]) -> None:
        self.actual = actual
        self.client = client
        self.kinds = kinds
        self.created: dict[Address, str] = {}
        self.missing: set[Address] = set()
        """Objects a create or replace was meant to make and did not."""
        self.unfinished: set[Address] = set()
        """Objects whose change did not succeed."""

    async def execute(self, change: Change) -> Outcome:
        outcome = await self._execute(change)
        if outcome.status is not Status.DONE:
            self.unfinished.add(change.address)
            # Only a missing object stops what refers to it; one whose update failed exists.
            if change.action in (Action.CREATE, Action.REPLACE):
                self.missing.add(change.address)
        return outcome

    async def _execute(self, change: Change) -> Outcome:
        address, action = change.address, change.action
        waits = [d for d in change.depends_on if d in self.missing]
        waits += [d for d in change.runs_after if d in self.unfinished]
        if waits:
            why = "needs " + ", ".join(str(d) for d in waits) + ", whose change was not applied"
            return Outcome(address, action, Status.SKIPPED, why)
        kind = self.kinds[address.kind]
        resource = Resource(self.client, kind.endpoints)
        live = self.actual.objects.get(address)
        try:
            if action is Action.CREATE and change.spec is not None:
                new_id = await self._create(kind, resource, address, change)
                return Outcome(address, action, Status.DONE, f"id {new_id}")
            if live is None:
                return Outcome(address, action, Status.SKIPPED, "nothing the API can do")
            current = await resource.get(address.entity, live.id)
            moved = _moved(live, current)
            if moved:
                return Outcome(address, action, Status.FAILED, moved)
            assert current is not None
            if action is Action.DELETE:
                await resource.delete(address.entity, live.id)
                return Outcome(address, action, Status.DONE)
            if action is Action.UPDATE and change.spec is not None:
                await self._update(kind, resource, change, live.id, current)
                return Outcome(address, action, Status.DONE)
            if action is Action.REPLACE and change.spec is not None:
                return await self._replace(kind, resource, change, live.id)
        except KeyError as missing:
            return Outcome(address, action, Status.FAILED, f"cannot resolve {missing}")
        except PartFailed as unfinished:
            return Outcome(address, action, Status.FAILED, unfinished.explain(action))
        except ActitoIacError as exc:
            return Outcome(address, action, Status.FAILED, str(exc))
        return Outcome(address, action, Status.SKIPPED, "nothing the API can do")

    async def _create(
        self, kind: Kind, resource: Resource, address: Address, change: Change
    ) -> str:
        assert change.spec is not None
        body = kind.payload(change.spec, self._ids(address.entity), None)
        try:
            new_id = await resource.create(address.entity, body)
        except RequestRejected as refused:
            if refused.status == 409:
                raise NameTaken(kind, address, refused) from None
            raise
        self.created[address] = new_id
        await self._write_parts(kind, resource, address, change.spec, new_id, kind.endpoints.parts)
        return new_id

    async def _update(
        self,
        kind: Kind,
        resource: Resource,
        change: Change,
        object_id: str,
        current: Mapping[str, JSON],
    ) -> None:
        """The object's own body if a field of its own changed, then each part that did."""
        assert change.spec is not None
        address, parts = change.address, kind.endpoints.parts
        heads = {f.path[0] for f in change.fields if f.path}
        own = {k: v for k, v in current.items() if k not in kind.endpoints.part_keys}
        if not parts or heads - kind.endpoints.part_keys:
            body = kind.payload(change.spec, self._ids(address.entity), own)
            await resource.update(address.entity, object_id, body)
        changed = tuple(p for p in parts if p.key in heads)
        await self._write_parts(kind, resource, address, change.spec, object_id, changed)

    async def _write_parts(
        self,
        kind: Kind,
        resource: Resource,
        address: Address,
        spec: SpecModel,
        object_id: str,
        parts: tuple[Part, ...],
    ) -> None:
        """Each part in turn. One that fails stops the rest: the object exists, unfinished,
        and the next plan — which finds it by its name — shows what is left (PartFailed)."""
        written: list[str] = []
        for part in parts:
            body = kind.part_payload(spec, part.key)
            if body is None:
                continue
            try:
                await resource.write_part(address.entity, object_id, part, body)
            except ActitoIacError as exc:
                raise PartFailed(object_id, written, part.key, exc) from None
            written.append(part.key)

    async def _replace(
        self, kind: Kind, resource: Resource, change: Change, old_id: str
    ) -> Outcome:
        """Delete then create, or create then delete where the kind says both can coexist.

        Each step is reported: a replace that stops half-way says which half is done, and the
        next plan shows what is left (a create, or the old object as unmanaged)."""
        address, entity = change.address, change.address.entity
        if kind.replace_creates_first:
            new_id = await self._create(kind, resource, address, change)
            try:
                await resource.delete(entity, old_id)
            except ActitoIacError as exc:
                why = f"created id {new_id}, but the old one (id {old_id}) was not deleted: {exc}"
                return Outcome(address, Action.REPLACE, Status.FAILED, why)
            return Outcome(address, Action.REPLACE, Status.DONE, f"id {old_id} → id {new_id}")
        await resource.delete(entity, old_id)
        try:
            new_id = await self._create(kind, resource, address, change)
        except ActitoIacError as exc:
            why = f"deleted id {old_id}, but the new one was not created: {exc}"
            return Outcome(address, Action.REPLACE, Status.FAILED, why)
        return Outcome(address, Action.REPLACE, Status.DONE, f"id {old_id} → id {new_id}")

    def _ids(self, entity: str) -> IdLookup:
        def lookup(kind: str, name: str) -> str:
            address = Address(entity, kind, name)
            found = self.created.get(address) or self.actual.id_of(address)
            if found is None:
                raise KeyError(f"{kind} {name!r} (not in the licence)")
            return found

        return lookup


class NameTaken(ActitoIacError):
    """A create ACTITO refused with 409: another object of the kind holds the name."""

    def __init__(self, kind: Kind, address: Address, refused: RequestRejected) -> None:
        said = f": {refused.message}" if refused.message else ""
        super().__init__(
            f"ACTITO refuses to create {kind.label} {address.name!r}: the name is already used "
            f"in entity {address.entity!r} (409 Conflict{said}). Another {kind.label} took it "
            "since the plan, or holds it in a form the plan did not match: plan again to see "
            "it, or give this one another name"
        )


class PartFailed(Exception):
    """A part of an object could not be written; what was written before it stays."""

    def __init__(
        self, object_id: str, written: list[str], part: str, cause: ActitoIacError
    ) -> None:
        self.object_id, self.written, self.part, self.cause = object_id, written, part, cause
        super().__init__(str(cause))

    def explain(self, action: Action) -> str:
        done = f" and its {', '.join(self.written)}" if self.written else ""
        if action is Action.UPDATE:
            return (
                f"changed (id {self.object_id}){done}, but its {self.part} was not written: "
                f"{self.cause}. Plan again to see what is left"
            )
        return (
            f"created (id {self.object_id}){done}, but its {self.part} was not written: "
            f"{self.cause}. The object exists, unfinished: plan again — it is found by its "
            "name and the plan shows what is left (nothing is created twice)"
        )


MOVED = "nothing of it was written: plan again to see what changed, then apply"


def _moved(live: LiveObject, current: Mapping[str, JSON] | None) -> str:
    """Why the object must not be written: it changed or went since the plan; empty if not.

    ACTITO has no compare-and-swap, so the executor re-reads each object just before writing
    it — before an update, a delete and a replace alike. A change request carries the whole
    definition: built on what the plan saw, it would undo whatever was changed meanwhile (an
    attribute added in the UI while the apply waited at its prompt would be removed with its
    values); a delete would throw away a change nobody reviewed.
    """
    if current is None:
        return f"it was deleted since the plan; {MOVED}"
    if payload_fingerprint(current) != payload_fingerprint(live.payload):
        return f"it changed since the plan; {MOVED}"
    return ""
