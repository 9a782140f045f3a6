"""plan(desired, actual) -> Plan. Pure: no HTTP, no clock, no printing.

Objects are matched by address. A missing live object is a create; a present one is compared
in canonical form, and each field difference is judged by its kind: its risk, and whether the
API can make it (else `blocked`, ACTITO forbids it, or `manual`, only the UI can). One
forbidden field blocks the object's API changes: applying the rest would leave it half-way
between two designs. Manual field changes become a `manual` change of their own, listed
beside the object's update. Live objects of the managed entities that no manifest names are
`unmanaged` — listed, never touched. Rename intents (`renamedFrom`) are explained, never
turned into a silent drop and create.
"""

from __future__ import annotations

from collections.abc import Sequence

from actito_iac.address import Address
from actito_iac.errors import Diagnostic, LiveStateError, Severity
from actito_iac.kinds import KINDS
from actito_iac.kinds.base import JSON, Kind, Path, Risk
from actito_iac.live import Actual
from actito_iac.manifest.desired import Desired, DesiredObject
from actito_iac.plan.diff import drop_undeclared, field_differences
from actito_iac.plan.model import Action, Change, FieldChange, Plan
from actito_iac.plan.order import ReferenceCycle, topological

UNMANAGED_REASON = "exists in the licence but in no manifest; left untouched"


def make_plan(desired: Desired, actual: Actual, kinds: Sequence[Kind] = KINDS) -> Plan:
    by_name = {k.name: k for k in kinds}
    _check_references(desired, actual, by_name)
    planned: dict[Address, list[Change]] = {}
    renamed: set[Address] = set()
    for obj in desired.objects:
        changes, old = _plan_object(by_name[obj.address.kind], obj, actual)
        planned[obj.address] = changes
        renamed.update(old)
    ordered = [c for a in _order(planned, desired, actual, by_name) for c in planned[a]]
    managed_entities = set(desired.entities)
    unmanaged = [
        _unmanaged(by_name[address.kind], address, actual)
        for address in sorted(actual.objects)
        if address.entity in managed_entities and address not in planned and address not in renamed
    ]
    return Plan(tuple(ordered + unmanaged))


def _order(
    planned: dict[Address, list[Change]], desired: Desired, actual: Actual, kinds: dict[str, Kind]
) -> list[Address]:
    """Creates and updates after what they link to; a link's removal before its target's update.

    The second rule is why a table that stops linking to another is changed first: the target
    may be dropping the attribute the link pointed at, which ACTITO refuses while a link holds
    it. Should the two rules ever conflict, the links that remain decide.
    """
    forward = {a: set(c[0].depends_on) for a, c in planned.items()}
    both = {a: set(deps) for a, deps in forward.items()}
    for obj in desired.objects:
        live = actual.objects.get(obj.address)
        if live is None:
            continue
        kind = kinds[obj.address.kind]
        kept = set(kind.references(obj.address.entity, obj.spec))
        for target in set(kind.references(obj.address.entity, live.spec)) - kept:
            if target in both:
                both[target].add(obj.address)
    try:
        return topological(planned, both)
    except ReferenceCycle:
        return topological(planned, forward)


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
        message = f"reference cycle: {names}; ACTITO needs one table to exist before the other"
        return [Diagnostic(Severity.ERROR, message, first.location)]
    return []


def _check_references(desired: Desired, actual: Actual, kinds: dict[str, Kind]) -> None:
    wanted = desired.by_address()
    problems = [
        Diagnostic(
            Severity.ERROR,
            f"{obj.address.kind} {obj.address.name!r} links to {ref.kind} {ref.name!r}, "
            "which is neither in the manifests nor in the licence",
            obj.location,
        )
        for obj in desired.objects
        for ref in kinds[obj.address.kind].references(obj.address.entity, obj.spec)
        if ref not in wanted and ref not in actual.objects
    ]
    if problems:
        raise LiveStateError(problems)


def _plan_object(
    kind: Kind, obj: DesiredObject, actual: Actual
) -> tuple[list[Change], list[Address]]:
    address, spec = obj.address, obj.spec
    after = kind.canonical(spec)
    deps = tuple(sorted(set(kind.references(address.entity, spec)) - {address}))
    live = actual.objects.get(address)
    if live is None:
        former = getattr(spec, "renamedFrom", None)
        old = Address(address.entity, address.kind, former) if former else None
        if old is not None and old in actual.objects:
            return [_table_rename(kind, obj, old, actual, deps)], [old]
        refused = kind.refuse_create(spec)
        if refused:
            refusal = Change(address, Action.BLOCKED, None, after, reason=refused, depends_on=deps)
            return [refusal], []
        return [Change(address, Action.CREATE, None, after, depends_on=deps, spec=spec)], []
    before = drop_undeclared(kind.canonical(live.spec), after, kind.declared_only)
    unknown = tuple(k for k in after if k in kind.live_optional and k not in before)
    compared = {k: v for k, v in after.items() if k not in unknown}
    fields = _judged(kind, before, compared, address.name)
    fields = _explain_renames(kind, fields, before, compared, kind.renames(spec))
    if not fields:
        same = Change(
            address, Action.NO_OP, before, after, depends_on=deps, spec=spec, not_compared=unknown
        )
        return [same], []
    manual = tuple(f for f in fields if f.manual)
    api = tuple(f for f in fields if not f.manual)
    changes = []
    if api:
        blocked = [f.blocked for f in api if f.blocked]
        action = Action.BLOCKED if blocked else Action.UPDATE
        reason = "; ".join(blocked)
        changes.append(
            Change(
                address,
                action,
                before,
                after,
                api,
                _worst(api),
                reason,
                deps,
                spec=spec,
                not_compared=unknown,
            )
        )
    if manual:
        reason = "; ".join(f.manual for f in manual)
        changes.append(
            Change(address, Action.MANUAL, before, after, manual, _worst(manual), reason, deps)
        )
    return changes, []


def _judged(
    kind: Kind, before: dict[str, JSON], after: dict[str, JSON], name: str
) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(path, old, new, verdict.risk, verdict.blocked, verdict.manual)
        for path, old, new in field_differences(before, after)
        for verdict in (kind.judge(path, old, new, table=name),)
    )


def _explain_renames(
    kind: Kind,
    fields: tuple[FieldChange, ...],
    before: dict[str, JSON],
    after: dict[str, JSON],
    renames: list[tuple[Path, Path]],
) -> tuple[FieldChange, ...]:
    """Turn an add + remove pair that the manifest declares a rename into one blocked change."""
    out = list(fields)
    for new, old in renames:
        if _get(before, new) is not None or _get(before, old) is None:
            continue  # already renamed by hand, or nothing to rename: nothing to explain
        out = [f for f in out if f.path not in (new, old)]
        why = (
            f"{kind.name} attribute rename {old[-1]!r} → {new[-1]!r}: ACTITO cannot rename an "
            f"attribute (technical names are immutable); add {new[-1]!r}, copy the values, then "
            f"remove {old[-1]!r} — remove renamedFrom to plan exactly that"
        )
        out.append(FieldChange((*new, "name"), old[-1], new[-1], Risk.SAFE, why))
    return tuple(sorted(out, key=lambda f: f.path))


def _table_rename(
    kind: Kind, obj: DesiredObject, old: Address, actual: Actual, deps: tuple[Address, ...]
) -> Change:
    before = kind.canonical(actual.objects[old].spec)
    why = (
        f"rename {old.name!r} → {obj.address.name!r}: ACTITO cannot rename a {kind.name} "
        "(technical names are immutable). Keep the old name in the manifest, or remove "
        f"renamedFrom to create {obj.address.name!r}, migrate the data, and delete "
        f"{old.name!r} in the ACTITO UI"
    )
    field = FieldChange(("name",), old.name, obj.address.name, Risk.SAFE, why)
    return Change(
        obj.address,
        Action.BLOCKED,
        before,
        kind.canonical(obj.spec),
        (field,),
        Risk.SAFE,
        why,
        deps,
        spec=obj.spec,
    )


def _get(document: dict[str, JSON], path: Path) -> JSON:
    node: JSON = document
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _worst(fields: tuple[FieldChange, ...]) -> Risk:
    return max((f.risk for f in fields), key=lambda r: r.rank)


def _unmanaged(kind: Kind, address: Address, actual: Actual) -> Change:
    live = actual.objects[address]
    reason = UNMANAGED_REASON
    if not kind.capabilities.delete.supported:
        reason += f" (a {kind.name} cannot be deleted through the API)"
    before = kind.canonical(live.spec)
    return Change(address, Action.UNMANAGED, before, None, risk=Risk.SAFE, reason=reason)
