"""One desired object against its live self: the changes that would make them equal. Pure.

A missing live object is a create (or, for a kind only ACTITO's UI can create, a `manual` step
saying how). A present one is compared in canonical form, and each field
difference is judged by its kind: its risk, and whether the API can make it — in place, by a
`replace` (delete and create again), or not at all (`blocked`: ACTITO forbids it; `manual`: only
its UI can). One forbidden field blocks the object's API changes: applying the rest would leave
it half-way between two designs. Manual field changes become a `manual` change of their own,
beside the object's update. A live value the API does not return is never compared; the change
says so. Rename intents (`renamedFrom`) are explained, never turned into a drop and a create.

An object whose live state forbids API changes (a sent campaign: `Kind.locked`) has each of
its field changes blocked, or made a manual step, with the kind's reason. Long texts a kind
holds as a digest (`Kind.texts`) come with a line diff (plan/textdiff.py).
"""

from __future__ import annotations

from dataclasses import replace

import orjson

from actito_iac.actual import Actual
from actito_iac.kinds.base import Kind
from actito_iac.manifest.desired import DesiredObject
from actito_iac.plan.diff import drop_undeclared, field_differences
from actito_iac.plan.model import Action, Change, FieldChange
from actito_iac.plan.textdiff import TextDiff, text_diff
from actito_iac.vocabulary import (
    JSON,
    UNREAD,
    Address,
    Path,
    Risk,
    Source,
    Verdict,
    value_at,
    weakest,
    worst,
)


def plan_object(
    kind: Kind, obj: DesiredObject, actual: Actual
) -> tuple[list[Change], Address | None]:
    """The object's changes, and the live object it renames (which is then not unmanaged)."""
    address, spec = obj.address, obj.spec
    after = kind.canonical(spec)
    deps = tuple(sorted(set(kind.references(address.entity, spec)) - {address}))
    live = actual.objects.get(address)
    if live is None:
        former = kind.renamed_from(spec)
        old = Address(address.entity, address.kind, former) if former else None
        if old is not None and old in actual.objects:
            return [_object_rename(kind, obj, old, actual, deps)], old
        refused = kind.refuse_create(spec)
        if refused:
            refusal = Change(address, Action.BLOCKED, None, after, reason=refused, depends_on=deps)
            return [refusal], None
        if not kind.capabilities.create.supported:
            # Designed in the ACTITO UI only (a form, a scenario): a person creates it.
            how = kind.manual_create(spec)
            return [Change(address, Action.MANUAL, None, after, reason=how, depends_on=deps)], None
        diffs = _diffs({}, kind.texts(spec), [()])
        create = Change(address, Action.CREATE, None, after, depends_on=deps, spec=spec)
        return [replace(create, diffs=diffs)], None
    known = live.canonical if live.canonical is not None else kind.canonical(live.spec)
    before = drop_undeclared(known, after, kind.declared_only)
    # What the live answer does not carry (a part it leaves out, a value it does not return)
    # is "not known", never "none": it is not compared, and the change says so.
    absent = [k for k in after if k in kind.live_optional and k not in before]
    compared = field_differences(before, {k: v for k, v in after.items() if k not in absent})
    unknown = (*absent, *(".".join(path) for path, old, _ in compared if old == UNREAD))
    fields = _judged(kind, [c for c in compared if c[1] != UNREAD], address.name)
    fields = _explain_renames(kind, fields, before, after, kind.renames(spec))
    fields = _locked(fields, kind.locked(live.spec, address.name))
    status = kind.status(live.spec)
    if not fields:
        after = _one_copy(before, after)
        same = Change(
            address,
            Action.NO_OP,
            before,
            after,
            depends_on=deps,
            not_compared=unknown,
            status=status,
            spec=spec,
        )
        return [same], None
    texts = (kind.texts(live.spec), kind.texts(spec))
    manual = tuple(f for f in fields if f.manual)
    api = tuple(f for f in fields if not f.manual)
    changes = []
    if api:
        blocked = [f for f in api if f.blocked]
        replaced = [f for f in api if f.replace]
        action = Action.BLOCKED if blocked else Action.REPLACE if replaced else Action.UPDATE
        deciding = blocked or replaced or list(api)
        reason = "; ".join(dict.fromkeys(f.blocked or f.replace for f in blocked or replaced))
        risk = worst([f.risk for f in api])
        change = Change(address, action, before, after, api, risk, reason, deps, spec=spec)
        diffs = _diffs(*texts, [f.path for f in api])
        changes.append(
            replace(
                change,
                not_compared=unknown,
                status=status,
                diffs=diffs,
                source=_source(deciding),
            )
        )
    if manual:
        reason = "; ".join(dict.fromkeys(f.manual for f in manual))
        risk = worst([f.risk for f in manual])
        step = Change(address, Action.MANUAL, before, after, manual, risk, reason, deps)
        diffs = _diffs(*texts, [f.path for f in manual])
        changes.append(replace(step, status=status, diffs=diffs, source=_source(manual)))
    return changes, None


def _one_copy(before: dict[str, JSON], after: dict[str, JSON]) -> dict[str, JSON]:
    """`before` itself when the two forms would be written the same (equal values in the same
    order, which JSON text compares exactly: `1` and `1.0` are equal in Python, not there), so
    an unchanged object keeps one canonical form, not two (a large plan is mostly such)."""
    try:
        return before if orjson.dumps(before) == orjson.dumps(after) else after
    except TypeError:  # what orjson does not write (a number past 64 bits): kept apart
        return after


def _source(fields: tuple[FieldChange, ...] | list[FieldChange]) -> Source | None:
    return weakest(f.source for f in fields)


def _locked(fields: tuple[FieldChange, ...], lock: Verdict | None) -> tuple[FieldChange, ...]:
    """Field changes the API would make, blocked or made manual by the object's state."""
    if lock is None:
        return fields
    return tuple(
        f
        if f.blocked or f.manual
        else replace(f, blocked=lock.blocked, manual=lock.manual, replace="", source=lock.source)
        for f in fields
    )


def _diffs(
    before: dict[Path, str], after: dict[Path, str], changed: list[Path]
) -> tuple[TextDiff, ...]:
    """A line diff of each long text that differs under a changed field."""
    out = []
    for path in sorted(set(before) | set(after)):
        if not any(path[: len(c)] == c or c[: len(path)] == path for c in changed):
            continue
        diff = text_diff(path, before.get(path, ""), after.get(path, ""))
        if diff is not None:
            out.append(diff)
    return tuple(out)


def _judged(
    kind: Kind, differences: list[tuple[Path, JSON, JSON]], name: str
) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(
            path,
            old,
            new,
            verdict.risk,
            verdict.blocked,
            verdict.manual,
            replace=verdict.replace,
            source=verdict.source,
        )
        for path, old, new in differences
        for verdict in (kind.judge(path, old, new, name),)
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
        if value_at(before, new) is not None or value_at(before, old) is None:
            continue  # already renamed by hand, or nothing to rename: nothing to explain
        out = [f for f in out if f.path not in (new, old)]
        why = kind.explain_rename(old, new)
        source = kind.rename_source
        out.append(FieldChange((*new, "name"), old[-1], new[-1], Risk.SAFE, why, source=source))
    return tuple(sorted(out, key=lambda f: f.path))


def _object_rename(
    kind: Kind, obj: DesiredObject, old: Address, actual: Actual, deps: tuple[Address, ...]
) -> Change:
    before = kind.canonical(actual.objects[old].spec)
    why = kind.explain_object_rename(old.name, obj.address.name)
    source = kind.rename_source
    field = FieldChange(("name",), old.name, obj.address.name, Risk.SAFE, why, source=source)
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
        source=source,
    )
