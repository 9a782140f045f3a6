"""What the live data says of a plan's risky changes. Pure: rows in, annotated plan out.

Only changes that may fail on data or destroy it are quantified. A sample is complete when
the table returned fewer rows than were asked for; otherwise every count is a lower bound and
says so. Where no rows could be read, the impact is "unknown" — never a guess.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from actito_iac.address import Address
from actito_iac.constants import DATA_SAMPLE as DATA_SAMPLE  # the bounds live there
from actito_iac.constants import DATA_SAMPLE_MAX as DATA_SAMPLE_MAX
from actito_iac.kinds.base import JSON, Risk
from actito_iac.plan.model import Change, FieldChange, Plan


@dataclass(frozen=True)
class Sample:
    """Rows read from one table: all of them when `complete`, else the first `len(rows)`."""

    rows: tuple[Mapping[str, JSON], ...] = ()
    complete: bool = False
    unreadable: str = ""
    """Why no rows could be read (the API's refusal), or empty."""


NOT_FROM_ROWS = "unknown (not computed from rows)"


def _from_rows(field: FieldChange) -> bool:
    """Attribute changes are what a table's rows can size; subscriptions, links… are not."""
    return field.path[0] == "attributes" and len(field.path) >= 2


def needs_data(change: Change) -> bool:
    """Whether reading the table's rows could size one of the change's risky fields."""
    return any(f.risk is not Risk.SAFE and _from_rows(f) for f in change.fields)


def quantify(plan: Plan, samples: Mapping[Address, Sample]) -> Plan:
    return Plan(tuple(_annotate(c, samples.get(c.address)) for c in plan.changes))


def _annotate(change: Change, sample: Sample | None) -> Change:
    if all(f.risk is Risk.SAFE for f in change.fields):
        return change
    if not needs_data(change):
        return replace(change, fields=_each_risky(change, lambda f: NOT_FROM_ROWS))
    if sample is None or sample.unreadable:
        why = f"unknown: {sample.unreadable}" if sample and sample.unreadable else "unknown"
        fields = _each_risky(change, lambda f: "unknown" if _from_rows(f) else NOT_FROM_ROWS)
        return replace(change, fields=fields, impact=why)
    fields = _each_risky(change, lambda f: _field_impact(f, sample))
    return replace(change, fields=fields, impact=_rows(sample))


def _each_risky(change: Change, impact: Callable[[FieldChange], str]) -> tuple[FieldChange, ...]:
    return tuple(
        replace(f, impact=impact(f)) if f.risk is not Risk.SAFE else f for f in change.fields
    )


def _rows(sample: Sample) -> str:
    count = len(sample.rows)
    if sample.complete:
        return "the table is empty" if count == 0 else f"{count:,} row{'s' if count != 1 else ''}"
    return f"at least {count:,} rows (only the first {count:,} read)"


def _field_impact(field: FieldChange, sample: Sample) -> str:
    if not sample.rows:
        return "the table is empty: nothing can fail or be lost" if sample.complete else "unknown"
    path = field.path
    if not _from_rows(field):
        return NOT_FROM_ROWS
    name = path[1]
    values = [row.get(name) for row in sample.rows]
    filled = [v for v in values if not _empty(v)]
    scope = f"of {len(values):,} rows" if sample.complete else f"of the first {len(values):,} rows"
    if len(path) == 2:
        if field.after is None:
            return f"{len(filled):,} {scope} hold a value that would be lost"
        return f"{len(values):,} {scope} would lack this mandatory attribute"
    kind = path[2]
    if kind == "mandatory":
        return f"{len(values) - len(filled):,} {scope} have no value"
    if kind == "unique":
        counts = Counter(str(v) for v in filled)
        shared = {v: n for v, n in counts.items() if n > 1}
        rows = sum(shared.values())
        return f"{len(shared):,} value(s) shared by {rows:,} {scope}"
    if kind == "acceptedValues" and isinstance(field.after, list):
        allowed = {str(v) for v in field.after}
        outside = [v for v in filled if str(v) not in allowed]
        return f"{len(outside):,} {scope} hold a value outside the list"
    return "unknown (not computed from rows)"


def _empty(value: JSON) -> bool:
    return value is None or value == "" or value == []
