"""What a table's rows say of a risky change to its attributes: pure, rows in, text out.

Only attribute changes are sized from rows (a removed attribute's values, rows without a
value for a new mandatory one, shared values for a new unique one, values outside a new list);
other risky changes of a table (a subscription, a link) say they are not computed from rows.
A sample is complete when the table returned fewer rows than were asked for; otherwise every
count is a lower bound and says so. Where no rows could be read, the impact is "unknown" —
never a guess.
"""

from __future__ import annotations

from collections import Counter

from actito_iac.actual import Sample
from actito_iac.vocabulary import JSON, Path

NOT_FROM_ROWS = "unknown (not computed from rows)"


def sized_by_rows(path: Path) -> bool:
    """Attribute changes are what a table's rows can size; subscriptions, links… are not."""
    return path[0] == "attributes" and len(path) >= 2


def table_impact(sample: Sample | None) -> str:
    if sample is None:
        return "unknown"
    if sample.unreadable:
        return f"unknown: {sample.unreadable}"
    count = len(sample.rows)
    if sample.complete:
        return "the table is empty" if count == 0 else f"{count:,} row{'s' if count != 1 else ''}"
    return f"at least {count:,} rows (only the first {count:,} read)"


def attribute_impact(path: Path, after: JSON, sample: Sample | None) -> str:
    if not sized_by_rows(path):
        return NOT_FROM_ROWS
    if sample is None or sample.unreadable:
        return "unknown"
    if not sample.rows:
        return "the table is empty: nothing can fail or be lost" if sample.complete else "unknown"
    name = path[1]
    values = [row.get(name) for row in sample.rows]
    filled = [v for v in values if not _empty(v)]
    scope = f"of {len(values):,} rows" if sample.complete else f"of the first {len(values):,} rows"
    if len(path) == 2:
        if after is None:
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
    if kind == "acceptedValues" and isinstance(after, list):
        allowed = {str(v) for v in after}
        outside = [v for v in filled if str(v) not in allowed]
        return f"{len(outside):,} {scope} hold a value outside the list"
    return NOT_FROM_ROWS


def _empty(value: JSON) -> bool:
    return value is None or value == "" or value == []
