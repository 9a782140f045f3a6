"""plan(desired, actual) -> Plan. Pure: no HTTP, no clock, no printing.

Objects are matched by address. A missing live object is a create; a present one is compared
in canonical form, and each field difference is judged by its kind (risk, and whether ACTITO
forbids it). One forbidden field makes the whole object `blocked`: applying the rest of an
object's changes would leave it half-way between two designs. Live objects of the managed
entities that no manifest names are `unmanaged` — listed, never touched.
"""

from __future__ import annotations

from collections.abc import Sequence

from actito_iac.address import Address
from actito_iac.kinds import KINDS
from actito_iac.kinds.base import Kind, Risk
from actito_iac.live import Actual
from actito_iac.manifest.desired import Desired, DesiredObject
from actito_iac.plan.diff import field_differences
from actito_iac.plan.model import Action, Change, FieldChange, Plan
from actito_iac.plan.order import topological

UNMANAGED_REASON = "exists in the licence but in no manifest; left untouched"


def make_plan(desired: Desired, actual: Actual, kinds: Sequence[Kind] = KINDS) -> Plan:
    by_name = {k.name: k for k in kinds}
    planned = {o.address: _plan_object(by_name[o.address.kind], o, actual) for o in desired.objects}
    edges = {a: c.depends_on for a, c in planned.items()}
    ordered = [planned[a] for a in topological(planned, edges)]
    managed_entities = set(desired.entities)
    unmanaged = [
        _unmanaged(by_name[address.kind], address, actual)
        for address in sorted(actual.objects)
        if address.entity in managed_entities and address not in planned
    ]
    return Plan(tuple(ordered + unmanaged))


def _plan_object(kind: Kind, obj: DesiredObject, actual: Actual) -> Change:
    after = kind.canonical(obj.spec)
    deps = tuple(sorted(set(kind.references(obj.address.entity, obj.spec))))
    live = actual.objects.get(obj.address)
    if live is None:
        return Change(obj.address, Action.CREATE, None, after, depends_on=deps, spec=obj.spec)
    before = kind.canonical(live.spec)
    fields = tuple(
        FieldChange(path, old, new, verdict.risk, verdict.blocked)
        for path, old, new in field_differences(before, after)
        for verdict in (kind.judge(path, old, new),)
    )
    if not fields:
        return Change(obj.address, Action.NO_OP, before, after, depends_on=deps, spec=obj.spec)
    risk = max((f.risk for f in fields), key=lambda r: r.rank)
    blocked = [f.blocked for f in fields if f.blocked]
    action = Action.BLOCKED if blocked else Action.UPDATE
    return Change(
        obj.address, action, before, after, fields, risk, "; ".join(blocked), deps, obj.spec
    )


def _unmanaged(kind: Kind, address: Address, actual: Actual) -> Change:
    live = actual.objects[address]
    reason = UNMANAGED_REASON
    if not kind.capabilities.delete.supported:
        reason += f" (a {kind.name} cannot be deleted through the API)"
    return Change(
        address, Action.UNMANAGED, kind.canonical(live.spec), None, risk=Risk.SAFE, reason=reason
    )
