"""Objects that rely on others: what they refer to must exist, and must not go from under them.

An object refers to others (`Kind.references`: a link's table, a webhook's table), and may rely
on fields of them (`Kind.uses`: the attributes a webhook watches). Three checks, all pure:

- offline (`validate`), among the manifests: a used field must be declared by its object;
- when planning, against the licence: a used field of an object the manifests do not declare
  must exist live;
- when planning, against the changes: a change that removes a used field, deletes a used
  object, or replaces it (its id changes) is blocked, naming every object that relies on it and
  stays — one in the manifests, or a live one not pruned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from actito_iac.actual import Actual
from actito_iac.errors import Diagnostic, Severity
from actito_iac.kinds.base import Kind
from actito_iac.manifest.desired import Desired
from actito_iac.plan.model import Action, Change
from actito_iac.vocabulary import Address, Use


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
            declared = kinds[use.target.kind].canonical(target.spec)
            if not use.met_by(declared):
                problems.append(_missing(obj.address, use, "the manifests do not declare it", obj))
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
            held = kinds[use.target.kind].canonical(live.spec)
            if not use.met_by(held):
                problems.append(_missing(obj.address, use, "the licence does not have it", obj))
    return problems


def block_breaking(
    changes: Sequence[Change], desired: Desired, actual: Actual, kinds: Mapping[str, Kind]
) -> list[Change]:
    """`changes` with each one that would break an object that stays turned into `blocked`."""
    deleted = {c.address for c in changes if c.action is Action.DELETE}
    users = _users(desired, actual, kinds, deleted)
    return [_blocked_if_breaking(change, users.get(change.address, [])) for change in changes]


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


def _blocked_if_breaking(change: Change, users: list[tuple[Address, Use, bool]]) -> Change:
    if change.action not in (Action.DELETE, Action.REPLACE, Action.UPDATE) or not users:
        return change
    broken = []
    for who, use, managed in users:
        gone = change.action is not Action.UPDATE or (
            bool(use.path or use.holds)
            and change.after is not None
            and not use.met_by(change.after)
            and change.before is not None
            and use.met_by(change.before)
        )
        if gone:
            broken.append(_breaks(change, who, use, managed))
    if not broken:
        return change
    return replace(change, action=Action.BLOCKED, reason="; ".join(broken))


def _breaks(change: Change, who: Address, use: Use, managed: bool) -> str:
    if change.action is Action.DELETE:
        what = "deleting it"
    elif change.action is Action.REPLACE:
        what = "replacing it (a new object, a new id)"
    elif use.holds is not None:  # what it needs is a condition on the field, not the field
        what = f"this change of {'.'.join(use.path)}"
    else:
        what = f"removing {'.'.join(use.path)}"
    where = "in the manifests" if managed else "in the licence, in no manifest"
    way = (
        "change that object in the manifests first"
        if managed
        else f"delete it too (--prune {who.kind}), or declare it in the manifests and change it"
    )
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
