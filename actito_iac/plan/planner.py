"""plan(desired, actual) -> Plan. Pure: no HTTP, no clock, no printing.

Objects are matched by address: each desired object is compared with its live self
(`compare.py`); live objects of the managed entities that no manifest names are unmanaged, or
deleted when pruned (`prune.py`); a change that would break an object that stays is blocked
(`references.py`). Then the changes are put in execution order: what an object refers to
comes first, and an object others stop relying on changes (or goes) after them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from actito_iac.actual import Actual
from actito_iac.errors import Diagnostic, Severity
from actito_iac.heap import collector_paused
from actito_iac.kinds.base import Kind
from actito_iac.kinds.registry import KINDS
from actito_iac.manifest.desired import Desired
from actito_iac.plan.compare import plan_object
from actito_iac.plan.model import Action, Change, Plan
from actito_iac.plan.order import ReferenceCycle, topological
from actito_iac.plan.prune import Prune, leftovers
from actito_iac.plan.references import (
    block_breaking,
    check_against_licence,
    check_declared_uses,
)
from actito_iac.vocabulary import Address, SpecModel


def make_plan(
    desired: Desired, actual: Actual, kinds: Sequence[Kind] = KINDS, prune: Prune | None = None
) -> Plan:
    with collector_paused():
        return _make_plan(desired, actual, kinds, prune)


def _make_plan(
    desired: Desired, actual: Actual, kinds: Sequence[Kind], prune: Prune | None
) -> Plan:
    by_name = {k.name: k for k in kinds}
    check_against_licence(desired, actual, by_name)
    planned: dict[Address, list[Change]] = {}
    renamed: set[Address] = set()
    for obj in desired.objects:
        changes, old = plan_object(by_name[obj.address.kind], obj, actual)
        planned[obj.address] = changes
        if old is not None:
            renamed.add(old)
    rest = leftovers(actual, desired.entities, [*planned, *renamed], by_name, prune or Prune())
    for change in rest:
        planned[change.address] = [change]
    checked = block_breaking([c for cs in planned.values() for c in cs], desired, actual, by_name)
    planned = {}
    for change in checked:
        planned.setdefault(change.address, []).append(change)
    after = _runs_after(planned, desired, actual, by_name)
    order = _order(planned, after)
    ordered = [_with_runs_after(c, after.get(a, set())) for a in order for c in planned[a]]
    unmanaged = [c for c in ordered if c.action is Action.UNMANAGED]
    return Plan(tuple([c for c in ordered if c.action is not Action.UNMANAGED] + unmanaged))


def _runs_after(
    planned: Mapping[Address, list[Change]],
    desired: Desired,
    actual: Actual,
    kinds: Mapping[str, Kind],
) -> dict[Address, set[Address]]:
    """For each object, the objects that stop relying on it in this plan and change first.

    A table that stops linking to another is changed before it (the target may be dropping
    the attribute the link held, which ACTITO refuses while the link holds it); a subscription
    being deleted goes before its table's change (or deletion).
    """
    wanted = desired.by_address()
    changing = {a for a, changes in planned.items() if any(c.action in _CHANGING for c in changes)}
    out: dict[Address, set[Address]] = {}
    for address in changing:
        live = actual.objects.get(address)
        if live is None:
            continue
        kind = kinds[address.kind]
        obj = wanted.get(address)
        kept = set(_relied_on(kind, address.entity, obj.spec)) if obj is not None else set()
        # An object left as it is waits for nothing: ordering it would only make false cycles
        # (and the plan would then be listed in an order apply does not follow).
        for target in (set(_relied_on(kind, address.entity, live.spec)) - kept) & changing:
            if target != address:
                out.setdefault(target, set()).add(address)
    return out


_CHANGING = frozenset({Action.UPDATE, Action.DELETE, Action.REPLACE, Action.BLOCKED})


def _relied_on(kind: Kind, entity: str, spec: SpecModel) -> list[Address]:
    refs = list(kind.references(entity, spec))
    return refs + [u.target for u in kind.uses(entity, spec) if u.target not in refs]


def _order(
    planned: Mapping[Address, list[Change]], after: Mapping[Address, set[Address]]
) -> list[Address]:
    """Creates and updates after what they refer to; an object after those that stop relying
    on it. Should the two rules ever conflict, the references that remain decide."""
    forward = {a: set(c[0].depends_on) for a, c in planned.items()}
    both = {a: forward[a] | after.get(a, set()) for a in planned}
    try:
        return topological(planned, both)
    except ReferenceCycle:
        return topological(planned, forward)


def _with_runs_after(change: Change, after: set[Address]) -> Change:
    if change.action not in _CHANGING or not after:
        return change
    return replace(change, runs_after=tuple(sorted(after)))


def check_manifests(desired: Desired, kinds: Sequence[Kind] = KINDS) -> list[Diagnostic]:
    """What `validate` finds across manifests, offline: reference cycles, and what one object
    relies on that the manifests do not declare on the other (plan/references.py)."""
    by_name = {k.name: k for k in kinds}
    return check_cycles(desired, kinds) + check_declared_uses(desired, by_name)


def check_cycles(desired: Desired, kinds: Sequence[Kind] = KINDS) -> list[Diagnostic]:
    """Reference cycles among the manifests' objects; found offline, before any API call."""
    by_name = {k.name: k for k in kinds}
    objects = desired.by_address()
    edges = {a: by_name[a.kind].references(a.entity, o.spec) for a, o in objects.items()}
    try:
        topological(objects, edges)
    except ReferenceCycle as cycle:
        first = objects[cycle.cycle[0]]
        names = " → ".join(f"{a.kind} {a.name!r}" for a in cycle.cycle)
        message = f"reference cycle: {names}; ACTITO needs each object to exist before the next"
        return [Diagnostic(Severity.ERROR, message, first.location)]
    return []
