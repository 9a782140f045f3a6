"""YAML values pydantic's strict mode would refuse or misread, converted or reported once."""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML

from actito_iac.errors import SourceLocation
from actito_iac.kinds.custom_table import CustomTableSpec
from actito_iac.manifest.loader import load
from actito_iac.manifest.plain import to_plain

from .conftest import ORDERS, Problems, Write, place


def plain(text: str) -> tuple[Any, list[str]]:
    value, diagnostics = to_plain(YAML().load(text), "x.yaml", None)
    return value, [str(d) for d in diagnostics]


def test_round_trip_scalars_become_exact_builtin_types() -> None:
    value, problems = plain(
        "a: &t true\nb: *t\nc: 0x10\nd: 1_000\ne: 1.5e3\nf: !!str 7\ng: |\n  x\n"
    )

    assert value == {"a": True, "b": True, "c": 16, "d": 1000, "e": 1500.0, "f": "7", "g": "x\n"}
    assert [type(v) for v in value.values()] == [bool, bool, int, int, float, str, str]
    assert problems == []


def test_an_unquoted_date_gets_the_quote_hint_once(write: Write, problems: Problems) -> None:
    text = ORDERS.replace("name: Orders", "name: 2024-01-01")
    path = write("date.yaml", text)

    (diagnostic,) = problems([path])  # not also "does not match the name pattern"

    assert diagnostic.location == SourceLocation("date.yaml", *place(text, "2024-01-01"))
    assert diagnostic.field == "customTables[0].name"
    assert diagnostic.message == "2024-01-01 is read as a date, not text; quote it: '2024-01-01'"


def test_a_quoted_date_is_text(write: Write) -> None:
    text = ORDERS.replace("[NEW, SHIPPED, CANCELED]", "['2024-01-01', \"2024-01-02\"]")

    (table,) = load([write("quoted.yaml", text)], {}).objects

    assert isinstance(table.spec, CustomTableSpec)
    assert table.spec.attributes[2].acceptedValues == ["2024-01-01", "2024-01-02"]


def test_a_timestamp_gets_the_hint_too() -> None:
    _, problems = plain("at: 2024-01-01T10:00:00\n")

    assert problems == [
        "x.yaml:1:5: error: at: 2024-01-01T10:00:00 is read as a date, not text; "
        "quote it: '2024-01-01T10:00:00'"
    ]


def test_an_alias_shared_many_times_is_converted_once() -> None:
    value, problems = plain("a: &x [1, 2]\nb: [*x, *x, *x]\n")

    assert value == {"a": [1, 2], "b": [[1, 2], [1, 2], [1, 2]]}
    assert problems == []


def test_strings_are_not_substituted_without_sources() -> None:
    value, _ = plain("a: ${env:HOME}\n")

    assert value == {"a": "${env:HOME}"}
