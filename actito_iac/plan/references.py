"""Objects that rely on others: what they refer to must exist, and must not go from under them.

One mechanism for every kind. An object declares what it relies on — other objects
(`Kind.references`: a link's table) and fields of them (`Kind.uses`: the attribute a webhook
watches, the event a scenario starts on, the attribute a form enriches) — and this module
checks it, all pure:

- offline (`validate`), among the manifests: a used field of a declared object must be
  declared (unless the manifest leaves that part unmanaged) and be what the user `holds` it
  to; a use that must be `declared` names an object of the manifests; a use that is not
  `required` (a personalisation that may be mapped in the UI) may be absent;
- when planning, against the licence: every object referred to exists (in the manifests or
  the licence), and a used field of an object the manifests do not fully declare exists live;
- when planning, against the changes: a change that removes a used field, changes one the
  user `keeps`, makes it stop being what the user `holds` it to or sets one of the values it
  `requires` otherwise (a link's target attribute made non-unique), deletes a used object or
  replaces it (its id changes) is blocked, naming every object that relies on it and stays —
  one in the manifests, a live one in no manifest, or a live one whose own change waits for
  a person in the ACTITO UI — and the order that makes it possible.

Every unknown name ends with the closest known one and the names that exist (suggest.py).
The target's kind says what a used field holds (`Kind.used_field`: a profile table's technical
`profileId`, which a link may target, is in no canonical form), and each block says how sure
it is (`Use.source`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from actito_iac.actual import Actual
from actito_iac.errors import Diagnostic, LiveStateError, Severity
from actito_iac.kinds.base import Kind
from actito_iac.manifest.desired import Desired, DesiredObject
from actito_iac.plan.model import Action, Change
from actito_iac.suggest import known_names
from actito_iac.vocabulary import (
    JSON,
    Address,
    Path,
    SpecModel,
    Use,
    source_mark,
    value_at,
    weakest,
)

UNKNOWN = "not known"
"""A used part the manifest leaves unmanaged, or a live answer does not carry: not checked."""


# -- offline: among the manifests ------------------------------------------------------------


def check_declared_uses(desired: Desired, kinds: Mapping[str, Kind]) -> list[Diagnostic]:
    """Uses of objects of the manifests, checked against their declarations (`validate`)."""
    objects = desired.by_address()
    declared_form = _forms(kinds)
    problems = []
    for obj, use in _uses_of(desired, kinds):
        target = objects.get(use.target)
        if target is None:
            if use.declared:
                names = [a.name for a in objects if _same_kind(a, use.target)]
                why = f"which the manifests do not declare{_names(use.target, names, kinds)}"
                problems.append(_problem(obj, use, why))
            continue
        target_kind = kinds[use.target.kind]
        found = resolve(use, declared_form(use.target, target.spec), target_kind)
        if isinstance(found, Lack):
            problems.append(_problem(obj, use, found.said("manifests")))
    return problems


# -- at plan time: against the licence -------------------------------------------------------


def check_against_licence(desired: Desired, actual: Actual, kinds: Mapping[str, Kind]) -> None:
    """Every object referred to exists, in the manifests or live, and every used field of an
    object the manifests do not fully declare exists live; LiveStateError lists the rest."""
    problems = _missing_objects(desired, actual, kinds) + check_live_uses(desired, actual, kinds)
    if problems:
        raise LiveStateError(problems)


def check_live_uses(
    desired: Desired, actual: Actual, kinds: Mapping[str, Kind]
) -> list[Diagnostic]:
    """Uses of fields the manifests cannot vouch for (the object is live only, or its manifest
    leaves that part unmanaged), checked against the live object."""
    objects = desired.by_address()
    declared_form, live_form = _forms(kinds), _forms(kinds)
    problems = []
    for obj, use in _uses_of(desired, kinds):
        live = actual.objects.get(use.target)
        if live is None:
            continue
        target_kind = kinds[use.target.kind]
        declared = objects.get(use.target)
        if declared is not None:
            offline = resolve(use, declared_form(use.target, declared.spec), target_kind)
            if offline != UNKNOWN:
                continue  # decided offline, from the manifests
        form = live.canonical or live_form(use.target, live.spec)  # the reader's, if it made it
        found = resolve(use, form, target_kind)
        if isinstance(found, Lack):
            problems.append(_problem(obj, use, found.said("licence")))
    return problems


def _forms(kinds: Mapping[str, Kind]) -> Callable[[Address, SpecModel], Mapping[str, JSON]]:
    """The canonical form of one side's specs (the manifests' or the licence's), made once per
    object: a table that thousands of webhooks rely on is not made again for each use."""
    made: dict[Address, Mapping[str, JSON]] = {}

    def form(address: Address, spec: SpecModel) -> Mapping[str, JSON]:
        if address not in made:
            made[address] = kinds[address.kind].canonical(spec)
        return made[address]

    return form


def _missing_objects(
    desired: Desired, actual: Actual, kinds: Mapping[str, Kind]
) -> list[Diagnostic]:
    wanted = desired.by_address()
    known = set(wanted) | set(actual.objects)
    read = set(desired.entities)  # the entities read live: those the manifests name
    problems = []
    for obj in desired.objects:
        kind = kinds[obj.address.kind]
        uses = kind.uses(obj.address.entity, obj.spec)
        targets = dict.fromkeys(
            [*kind.references(obj.address.entity, obj.spec), *(u.target for u in uses)]
        )
        for target in targets:
            if target in known or target.entity not in read:
                continue  # an entity no manifest names is not read: what it holds is unknown
            at = next((u.at for u in uses if u.target == target and u.at), ())
            names = [a.name for a in known if _same_kind(a, target)]
            message = (
                f"{obj.address.kind} {obj.address.name!r} refers to {target.kind} "
                f"{target.name!r}, which is neither in the manifests nor in the licence"
                f"{_names(target, names, kinds)}"
            )
            problems.append(Diagnostic(Severity.ERROR, message, obj.place(at)))
    return problems


@dataclass(frozen=True)
class Lack:
    """What a target lacks for a use: the used field itself (`missing`), or what it must be."""

    missing: bool
    detail: str
    """Missing: the names that exist; else what the field is ("start is 'API (Start block)'")."""

    def said(self, source: str) -> str:
        """`source` is "manifests" or "licence"."""
        if not self.missing and self.detail:
            return f"but in the {source} {self.detail}"
        if source == "manifests":
            return f"but the manifests do not declare it{self.detail}"
        return f"but the licence does not have it{self.detail}"


def resolve(use: Use, document: Mapping[str, JSON], kind: Kind) -> Lack | str:
    """What `use` finds in the target's canonical `document`: "" (all it needs, or a use that
    may be absent), UNKNOWN (the document leaves that part out: unmanaged, or not in the
    answer), or a Lack."""
    if not (use.required and (use.path or use.holds)):
        return ""  # a use of the whole object is checked by its existence
    optional = kind.live_optional | {p[0] for p in kind.declared_only if len(p) == 1}
    if use.path and use.path[0] not in document and use.path[0] in optional:
        return UNKNOWN
    value = kind.used_field(document, use.path)
    if use.served_by(value):
        return ""
    if use.path and value is None:
        siblings = value_at(document, use.path[:-1])
        names = list(siblings) if isinstance(siblings, dict) else []
        return Lack(True, known_names(use.path[-1], names, _plural(use.path)))
    if isinstance(value, str | int | float | bool):  # short enough to show what it is
        return Lack(False, f"{'.'.join(use.path) or 'it'} is {_shown(value)}")
    unmet = _unmet(use, value)
    if unmet:
        found = ", ".join(f"{key}: {_shown(held)}" for key, held, _ in unmet)
        needed = ", ".join(f"{key}: {_shown(wanted)}" for key, _, wanted in unmet)
        return Lack(False, f"it has {found} (it needs {needed})")
    return Lack(False, "")


def _unmet(use: Use, value: JSON) -> list[tuple[str, JSON, JSON]]:
    """(key, held, wanted) of each value the used field must hold and does not."""
    held = value if isinstance(value, dict) else {}
    return [(k, held.get(k), wanted) for k, wanted in use.requires if held.get(k) != wanted]


def _shown(value: JSON) -> str:
    if value is None:
        return "(none)"
    return repr(value) if isinstance(value, str) else json.dumps(value)


# -- at plan time: against the changes -------------------------------------------------------


@dataclass(frozen=True)
class _Holder:
    """An object that relies on another and stays after the plan."""

    address: Address
    use: Use
    managed: bool
    """In the manifests (else live only)."""
    waiting: bool = False
    """A use only its live self holds, until a person makes its manual step in the UI."""


def block_breaking(
    changes: Sequence[Change], desired: Desired, actual: Actual, kinds: Mapping[str, Kind]
) -> list[Change]:
    """`changes` with each one that would break an object that stays turned into `blocked`."""
    deleted = {c.address for c in changes if c.action is Action.DELETE}
    by_hand = {c.address for c in changes if c.action is Action.MANUAL}
    holders = _holders(desired, actual, kinds, deleted, by_hand)
    return [_blocked_if_breaking(c, holders.get(c.address, []), kinds) for c in changes]


def _holders(
    desired: Desired,
    actual: Actual,
    kinds: Mapping[str, Kind],
    deleted: set[Address],
    by_hand: set[Address],
) -> dict[Address, list[_Holder]]:
    """For each object relied on, who relies on it after the plan and how."""
    found: dict[Address, list[_Holder]] = {}
    wanted = desired.by_address()

    def add(address: Address, uses: list[Use], managed: bool, waiting: bool = False) -> None:
        for use in uses:
            if use.target != address:
                found.setdefault(use.target, []).append(_Holder(address, use, managed, waiting))

    for obj in desired.objects:
        uses = _all_uses(kinds[obj.address.kind], obj.address, obj.spec)
        add(obj.address, uses, True)
        live = actual.objects.get(obj.address)
        if live is not None and obj.address in by_hand:
            # The API cannot change it: until a person does, it relies on what it relies on live.
            held = {(u.target, u.path) for u in uses}
            still = _all_uses(kinds[obj.address.kind], obj.address, live.spec)
            add(obj.address, [u for u in still if (u.target, u.path) not in held], True, True)
    for address, live in actual.objects.items():
        if address not in wanted and address not in deleted:
            add(address, _all_uses(kinds[address.kind], address, live.spec), False)
    return found


def _all_uses(kind: Kind, address: Address, spec: SpecModel) -> list[Use]:
    uses = kind.uses(address.entity, spec)
    used = {u.target for u in uses}
    refs = kind.references(address.entity, spec)
    return uses + [Use(t, (), "refers to it") for t in refs if t not in used]


def _blocked_if_breaking(
    change: Change, holders: list[_Holder], kinds: Mapping[str, Kind]
) -> Change:
    if not holders:
        return change
    if change.action is Action.DELETE:
        broken = [(h, "deleting it") for h in holders]
    elif change.action is Action.REPLACE:
        broken = [(h, "replacing it (a new object, a new id)") for h in holders]
    elif change.action in (Action.UPDATE, Action.MANUAL, Action.BLOCKED):
        target = kinds[change.address.kind]
        broken = [(h, what) for h in holders for what in (_breaks(change, h.use, target),) if what]
    else:
        return change
    if not broken:
        return change
    reasons = [_explain(h, what, kinds) for h, what in broken]
    sources = [h.use.source for h, _ in broken]
    if change.action is Action.BLOCKED:  # ACTITO's own refusal first, then who else breaks
        reasons.insert(0, change.reason)
        sources.append(change.source)  # type: ignore[arg-type]
    return replace(
        change,
        action=Action.BLOCKED,
        reason="; ".join(dict.fromkeys(reasons)),
        source=weakest(sources),
    )


def _breaks(change: Change, use: Use, target: Kind) -> str:
    """What this change does to the used field ("removing attributes.x"), or "" if nothing
    the user relies on. Only the change's own fields count: a table's update and its manual
    step share `before` and `after`, and each answers for its own differences."""
    if not any(_related(f.path, use.path) for f in change.fields):
        return ""
    before = target.used_field(change.before or {}, use.path)
    after = target.used_field(change.after or {}, use.path)
    dotted = ".".join(use.path) or "it"
    if before is None:
        return ""  # nothing relied on it live yet
    if after is None and use.holds is None:
        return f"removing {dotted}"
    for name in use.keeps:
        if value_at(before, (name,)) != value_at(after, (name,)):
            return f"changing {dotted}.{name}"
    if use.holds is not None and use.served_by(before) and not use.served_by(after):
        return f"this change of {dotted}"  # what it needs is a condition on it
    unmet_before = {key for key, _, _ in _unmet(use, before)}
    lost = [(key, held) for key, held, _ in _unmet(use, after) if key not in unmet_before]
    if lost:
        return f"setting {dotted} to " + ", ".join(f"{k}: {_shown(v)}" for k, v in lost)
    return ""


def _explain(holder: _Holder, what: str, kinds: Mapping[str, Kind]) -> str:
    who, kind = holder.address, kinds[holder.address.kind]
    if holder.waiting:
        where = "in the licence, until its manual step is done"
        way = "make its manual step in the ACTITO UI first (this plan lists it), then plan again"
    elif holder.managed and kind.capabilities.update.supported:
        where = "in the manifests"
        way = "change that object in the manifests first"
    elif holder.managed:
        where = "in the manifests"
        way = (
            "stop relying on it in that object's manifest first, then make the manual step "
            "the plan gives for it in the ACTITO UI"
        )
    elif kind.capabilities.delete.supported:
        where = "in the licence, in no manifest"
        way = f"delete it too (--prune {who.kind}), or declare it in the manifests and change it"
    else:
        where = "in the licence, in no manifest"
        way = f"change or delete that {kind.label} in the ACTITO UI first, then plan again"
    mark = source_mark(holder.use.source)  # each reliance says how sure it is, if unsure
    said = f"{what} would break {who.kind} {who.name!r} ({where}), which {holder.use.what}: {way}"
    return f"{said} ({mark})" if mark else said


# -- shared ----------------------------------------------------------------------------------


def _uses_of(desired: Desired, kinds: Mapping[str, Kind]) -> Iterator[tuple[DesiredObject, Use]]:
    for obj in desired.objects:
        for use in kinds[obj.address.kind].uses(obj.address.entity, obj.spec):
            yield obj, use


def _problem(obj: DesiredObject, use: Use, why: str) -> Diagnostic:
    target = f"{use.target.kind} {use.target.name!r}"
    message = f"{obj.address.kind} {obj.address.name!r} {use.what} of {target}, {why}"
    return Diagnostic(Severity.ERROR, message, obj.place(use.at))


def _same_kind(address: Address, target: Address) -> bool:
    return address.entity == target.entity and address.kind == target.kind


def _names(target: Address, names: list[str], kinds: Mapping[str, Kind]) -> str:
    kind = kinds.get(target.kind)
    label = kind.label if kind is not None else target.kind
    return known_names(target.name, names, f"{label}s in entity {target.entity!r}")


def _plural(path: Path) -> str:
    """How a missing field's siblings are named: `attributes`, `events`, `subscriptions`."""
    return path[-2] if len(path) >= 2 else "fields"


def _related(a: Path, b: Path) -> bool:
    """One path is the other or lies inside it."""
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]
