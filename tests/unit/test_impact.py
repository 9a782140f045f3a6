"""Quantifying risky changes from sampled rows: exact when complete, lower bounds otherwise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from actito_iac.actual import Sample
from actito_iac.plan.impact import quantify
from actito_iac.plan.model import Action, Change, FieldChange, Plan
from actito_iac.vocabulary import Address, Risk

ORDERS = Address("B2C", "customTable", "Orders")


def plan_with(*fields: FieldChange) -> Plan:
    risk = max((f.risk for f in fields), key=lambda r: r.rank)
    return Plan((Change(ORDERS, Action.UPDATE, {}, {}, fields, risk),))


def impact(field: FieldChange, sample: Sample | None) -> tuple[str, str]:
    samples = {ORDERS: sample} if sample is not None else {}
    change = quantify(plan_with(field), samples).changes[0]
    return change.impact, change.fields[0].impact


ROWS = (
    {"code": "A", "currency": "EUR", "legacy": "x"},
    {"code": "B", "currency": "USD", "legacy": ""},
    {"code": "B", "currency": None, "legacy": "y"},
)


def test_removed_attribute_counts_the_values_lost() -> None:
    field = FieldChange(("attributes", "legacy"), {"valueType": "STRING"}, None, Risk.DESTRUCTIVE)
    assert impact(field, Sample(ROWS, complete=True)) == (
        "3 rows",
        "2 of 3 rows hold a value that would be lost",
    )


def test_mandatory_counts_rows_without_a_value() -> None:
    field = FieldChange(("attributes", "currency", "mandatory"), False, True, Risk.MAY_FAIL_ON_DATA)
    assert impact(field, Sample(ROWS, complete=True))[1] == "1 of 3 rows have no value"


def test_unique_counts_shared_values_and_rows() -> None:
    field = FieldChange(("attributes", "code", "unique"), False, True, Risk.MAY_FAIL_ON_DATA)
    assert impact(field, Sample(ROWS, complete=True))[1] == "1 value(s) shared by 2 of 3 rows"


def test_accepted_values_count_rows_outside_the_list() -> None:
    field = FieldChange(
        ("attributes", "currency", "acceptedValues"), None, ["EUR", "GBP"], Risk.MAY_FAIL_ON_DATA
    )
    assert (
        impact(field, Sample(ROWS, complete=True))[1] == "1 of 3 rows hold a value outside the list"
    )


def test_an_incomplete_sample_gives_lower_bounds_and_says_so() -> None:
    field = FieldChange(("attributes", "legacy"), {"valueType": "STRING"}, None, Risk.DESTRUCTIVE)
    table, detail = impact(field, Sample(ROWS, complete=False))
    assert table == "at least 3 rows (only the first 3 read)"
    assert detail == "2 of the first 3 rows hold a value that would be lost"


def test_an_empty_table_cannot_lose_anything() -> None:
    field = FieldChange(("attributes", "legacy"), {"valueType": "STRING"}, None, Risk.DESTRUCTIVE)
    assert impact(field, Sample((), complete=True)) == (
        "the table is empty",
        "the table is empty: nothing can fail or be lost",
    )


def test_unreadable_or_missing_rows_are_unknown_never_guessed() -> None:
    field = FieldChange(("attributes", "legacy"), {"valueType": "STRING"}, None, Risk.DESTRUCTIVE)
    assert impact(field, None) == ("unknown", "unknown")
    refused = Sample(unreadable="rows not readable: 403 Forbidden")
    assert impact(field, refused) == ("unknown: rows not readable: 403 Forbidden", "unknown")


def test_safe_changes_are_left_alone() -> None:
    field = FieldChange(("attributes", "code", "indexed"), False, True, Risk.SAFE)
    assert impact(field, Sample(ROWS, complete=True)) == ("", "")


def test_risky_changes_rows_cannot_size_read_no_rows_and_say_so() -> None:
    from actito_iac.kinds.registry import BY_NAME
    from actito_iac.plan.impact import needs_data

    field = FieldChange(("subscriptions", "Partners"), {"channel": "EMAIL"}, None, Risk.DESTRUCTIVE)
    change = plan_with(field).changes[0]
    assert not needs_data(change, BY_NAME["customTable"])
    assert impact(field, None) == ("", "unknown (not computed from rows)")


READ_AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
MOMENTS = (
    {"orderMoment": "2024-01-01T10:00:00Z"},  # 425 days before the read
    {"orderMoment": "2025-02-20 08:00:00"},  # 9 days (no zone: UTC)
    {"orderMoment": "15/01/2025 09:30:00"},  # 45 days, day-first as ACTITO writes moments
    {"orderMoment": None},
)


def retention(before: int | None, after: int) -> FieldChange:
    risk = Risk.DESTRUCTIVE
    return FieldChange(("cleaningRules", "orderMoment"), before, after, risk)


def test_a_new_retention_counts_the_rows_older_than_it() -> None:
    sample = Sample(MOMENTS, complete=True, read_at=READ_AT)
    table, detail = impact(retention(None, 30), sample)
    assert table == "4 rows"
    assert detail == (
        "2 of 4 rows are older than 30 days by 'orderMoment' and would be deleted"
        " (1 has no 'orderMoment': not counted)"
    )


def test_a_shorter_retention_counts_from_when_the_rows_were_read() -> None:
    sample = Sample(MOMENTS[:3], complete=True, read_at=READ_AT)
    assert impact(retention(3650, 100), sample)[1] == (
        "1 of 3 rows are older than 100 days by 'orderMoment' and would be deleted"
    )
    later = Sample(MOMENTS[:3], complete=True, read_at=READ_AT + timedelta(days=60))
    assert impact(retention(3650, 100), later)[1].startswith("2 of 3 rows")


def test_a_retention_over_a_partial_sample_or_unreadable_moments_is_a_lower_bound() -> None:
    partial = Sample(MOMENTS[:3], complete=False, read_at=READ_AT)
    assert impact(retention(None, 30), partial)[1] == (
        "at least 2 of the first 3 rows are older than 30 days by 'orderMoment' and would be"
        " deleted"
    )
    odd = Sample((*MOMENTS[:3], {"orderMoment": "last tuesday"}), complete=True, read_at=READ_AT)
    assert impact(retention(None, 30), odd)[1] == (
        "at least 2 of 4 rows are older than 30 days by 'orderMoment' and would be deleted"
        " (1 holds a value not read as a moment: not counted)"
    )


def test_a_retention_without_rows_is_unknown_or_harmless() -> None:
    assert impact(retention(None, 30), None)[1] == "unknown"
    assert impact(retention(None, 30), Sample((), complete=True, read_at=READ_AT))[1] == (
        "the table is empty: nothing can fail or be lost"
    )


def test_a_retention_change_asks_for_the_rows() -> None:
    from actito_iac.kinds.registry import BY_NAME
    from actito_iac.plan.impact import needs_data

    assert needs_data(plan_with(retention(None, 30)).changes[0], BY_NAME["customTable"])
