"""Objects that rely on others: what they refer to must exist, and must not go from under them.

An object refers to others (`Kind.references`: a link's table, a webhook's table), and may rely
on fields of them (`Kind.uses`: the attributes a webhook watches, a link's target attribute),
sometimes on what they hold (`Use.requires`: that target attribute must be unique). Three
checks, all pure, so that what ACTITO would refuse at apply time is found before:

- offline (`validate`), among the manifests: a used field must be declared by its object, with
  the values it requires;
- when planning, against the licence: the same, for a used object the manifests do not declare;
- when planning, against the changes: a change that removes a used field or breaks what it
  must hold, deletes a used object, or replaces it (its id changes) is blocked, naming every
  object that relies on it and stays — one in the manifests, or a live one not pruned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from actito_iac.actual import Actual
from actito_iac.errors import Diagnostic, Severity
from actito_iac.kinds.base import Kind
from actito_iac.manifest.desired import Desired
from actito_iac.plan.model import Action, Change
from actito_iac.vocabulary import JSON, Address, Use, weakest


def check_declared_uses(desired: Desired, kinds: Mapping[str, Kind]) -> list[Diagnostic]:
    """Uses of fields of objects in the manifests, checked against their declarations."""
    objects = desired.by_address()
    problems = []
    for obj in desired.objects:
        kind = kinds[obj.address.kind]
        for use in kind.uses(obj.address.entity, obj.spec):
            target = objects.get(use.target)
            if target is None or not _checked(use):
                continue
            target_kind = kinds[use.target.kind]
            held = target_kind.used_field(target_kind.canonical(target.spec), use.path)
            why = _unmet(use, held, "the manifests do not declare it", "the manifests declare")
            if why:
                problems.append(_missing(obj.address, use, why, obj))
    return problems


def check_live_uses(
    desired: Desired, actual: Actual, kinds: Mapping[str, Kind]
) -> list[Diagnostic]:
    """Uses of fields of objects only the licence holds, checked against the live object."""
    objects = desired.by_address()
    problems = []
    for obj in desired.objects:
        for use in kinds[obj.address.kind].uses(obj.address.entity, obj.spec):
            live = actual.objects.get(use.target)
            if use.target in objects or live is None or not _checked(use):
                continue
            target_kind = kinds[use.target.kind]
            held = target_kind.used_field(target_kind.canonical(live.spec), use.path)
            why = _unmet(use, held, "the licence does not have it", "the licence has")
            if why:
                problems.append(_missing(obj.address, use, why, obj))
    return problems


def _unmet(use: Use, held: JSON, absent: str, present: str) -> str:
    """Why the used field does not serve the user (absent, or not holding what it requires);
    empty when it does."""
    if held is None or (use.holds is not None and not use.holds(held)):
        return absent
    wrong = [(key, wanted) for key, wanted in use.requires if _value(held, key) != wanted]
    if not wrong:
        return ""
    found = ", ".join(f"{key}: {_flow(_value(held, key))}" for key, _ in wrong)
    needed = ", ".join(f"{key}: {_flow(wanted)}" for key, wanted in wrong)
    return f"{present} it with {found} (it needs {needed})"


def _value(held: JSON, key: str) -> JSON:
    return held.get(key) if isinstance(held, dict) else None


def _flow(value: JSON) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "none" if value is None else str(value)


def block_breaking(
    changes: Sequence[Change],
    desired: Desired,
    actual: Actual,
    kinds: Mapping[str, Kind],
) -> list[Change]:
    """`changes` with each one that would break an object that stays turned into `blocked`."""
    deleted = {c.address for c in changes if c.action is Action.DELETE}
    users = _users(desired, actual, kinds, deleted)
    deletable = {name for name, kind in kinds.items() if kind.endpoints.delete}
    return [
        _blocked_if_breaking(
            change, kinds[change.address.kind], users.get(change.address, []), deletable
        )
        for change in changes
    ]


def _users(
    desired: Desired, actual: Actual, kinds: Mapping[str, Kind], deleted: set[Address]
) -> dict[Address, list[tuple[Address, Use, bool]]]:
    """For each object relied on: (who, how, whether the user is in the manifests), for the
    users that stay after the plan."""
    found: dict[Address, list[tuple[Address, Use, bool]]] = {}
    wanted = desired.by_address()
    sources = [(o.address, o.spec, True) for o in desired.objects]
    sources += [
        (a, live.spec, False)
        for a, live in actual.objects.items()
        if a not in wanted and a not in deleted
    ]
    for address, spec, managed in sources:
        kind = kinds[address.kind]
        uses = kind.uses(address.entity, spec)
        used = {u.target for u in uses}
        uses += [
            Use(t, (), "refers to it")
            for t in kind.references(address.entity, spec)
            if t not in used
        ]
        for use in uses:
            if use.target != address:
                found.setdefault(use.target, []).append((address, use, managed))
    return found


def _blocked_if_breaking(
    change: Change, kind: Kind, users: list[tuple[Address, Use, bool]], deletable: set[str]
) -> Change:
    if change.action not in (Action.DELETE, Action.REPLACE, Action.UPDATE) or not users:
        return change
    broken = []
    for who, use, managed in users:
        if change.action is not Action.UPDATE:
            broken.append((use, _breaks(change, who, use, managed, "", deletable)))
            continue
        if not (use.path or use.holds) or change.before is None or change.after is None:
            continue
        before = kind.used_field(change.before, use.path)
        after = kind.used_field(change.after, use.path)
        if not use.served_by(before) or use.served_by(after):
            continue  # it does not rely on it live yet, or still gets what it needs
        setting = ""
        if after is not None and use.holds is None:
            lost = [key for key, wanted in use.requires if _value(after, key) != wanted]
            setting = ", ".join(f"{key}: {_flow(_value(after, key))}" for key in lost)
        broken.append((use, _breaks(change, who, use, managed, setting, deletable)))
    if not broken:
        return change
    return replace(
        change,
        action=Action.BLOCKED,
        reason="; ".join(text for _, text in broken),
        source=weakest(use.source for use, _ in broken),
    )


def _breaks(
    change: Change, who: Address, use: Use, managed: bool, setting: str, deletable: set[str]
) -> str:
    if change.action is Action.DELETE:
        what = "deleting it"
    elif change.action is Action.REPLACE:
        what = "replacing it (a new object, a new id)"
    elif setting:
        what = f"setting {'.'.join(use.path)} to {setting}"
    elif use.holds is not None:  # what it needs is a condition on the field, not the field
        what = f"this change of {'.'.join(use.path)}"
    else:
        what = f"removing {'.'.join(use.path)}"
    where = "in the manifests" if managed else "in the licence, in no manifest"
    if managed:
        way = "change that object in the manifests first"
    elif who.kind in deletable:
        way = f"delete it too (--prune {who.kind}), or declare it in the manifests and change it"
    else:
        way = "declare it in the manifests and change it first"
    return f"{what} would break {who.kind} {who.name!r} ({where}), which {use.what}: {way}"


def _checked(use: Use) -> bool:
    """Whether a use is checked for existence: one that names a field (or a condition) and
    is required; a use of the whole object is checked by its reference."""
    return use.required and bool(use.path or use.holds)


def _missing(address: Address, use: Use, why: str, obj: object) -> Diagnostic:
    location = getattr(obj, "location", None)
    target = f"{use.target.kind} {use.target.name!r}"
    message = f"{address.kind} {address.name!r} {use.what} of {target}, but {why}"
    return Diagnostic(Severity.ERROR, message, location)
