"""What a table's rows say of a risky change to its attributes: pure, rows in, text out.

Attribute changes are sized from rows (a removed attribute's values, rows without a value for
a new mandatory one, shared values for a new unique one, values outside a new list), and so is
a new or shorter retention rule (the rows older than the new retention, measured on its
attribute from when the rows were read); other risky changes of a table (a subscription, a
link) say they are not computed from rows.
A sample is complete when the table returned fewer rows than were asked for; otherwise every
count is a lower bound and says so. Where no rows could be read, the impact is "unknown" —
never a guess.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from actito_iac.actual import Sample
from actito_iac.vocabulary import JSON, Path

NOT_FROM_ROWS = "unknown (not computed from rows)"
RETENTION = "cleaningRules"


def sized_by_rows(path: Path) -> bool:
    """Attribute changes and retention rules are what a table's rows can size;
    subscriptions, links… are not."""
    return path[0] in ("attributes", RETENTION) and len(path) >= 2


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
    if path[0] == RETENTION:
        return retention_impact(path[1], after, sample)
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


def retention_impact(attribute: str, days: JSON, sample: Sample) -> str:
    """How many sampled rows are older than `days` by `attribute`: what a new or shorter
    retention rule deletes. Rows whose value is not a readable moment are not counted, and
    then every count is a lower bound."""
    if not isinstance(days, int) or sample.read_at is None:
        return "unknown"
    limit = sample.read_at - timedelta(days=days)
    moments = [moment(row.get(attribute)) for row in sample.rows]
    missing = sum(1 for row in sample.rows if _empty(row.get(attribute)))
    unread = sum(1 for m in moments if m is None) - missing
    old = sum(1 for m in moments if m is not None and m < limit)
    exact = sample.complete and not unread
    count = f"{old:,}" if exact else f"at least {old:,}"
    read = len(moments)
    scope = f"of {read:,} rows" if sample.complete else f"of the first {read:,} rows"
    text = f"{count} {scope} are older than {days:,} days by {attribute!r} and would be deleted"
    notes = []
    if unread:
        holds = "holds" if unread == 1 else "hold"
        notes.append(f"{unread:,} {holds} a value not read as a moment")
    if missing:
        notes.append(f"{missing:,} {'has' if missing == 1 else 'have'} no {attribute!r}")
    return text + (f" ({'; '.join(notes)}: not counted)" if notes else "")


MOMENT_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y")
"""Besides ISO 8601: the day-first form ACTITO's documented payloads write moments in
("10/09/2019 22:00:00", the transactional trigger's `dataCollection.date`)."""


def moment(value: JSON) -> datetime | None:
    """A row's TIMESTAMP value as an aware datetime; None when it is not one we can read.
    [INFER] a moment without a zone is UTC (ACTITO documents no zone)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    found: datetime | None = None
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        for pattern in MOMENT_FORMATS:
            try:
                found = datetime.strptime(text, pattern)  # no zone: set below
                break
            except ValueError:
                continue
    if found is None:
        return None
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)


def _empty(value: JSON) -> bool:
    return value is None or value == "" or value == []
