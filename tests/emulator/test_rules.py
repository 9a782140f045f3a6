"""The custom-table rules as pure functions: normalisation and change comparison."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actito_iac.emulator.structures.custom_table_rules import (
    TABLE_TYPES,
    VALUE_TYPES,
    RuleError,
    validate_change,
    validate_create,
)

Orders = Callable[..., dict[str, Any]]


def test_create_fills_every_default(orders: Orders) -> None:
    table = validate_create(
        {
            "name": "T",
            "type": "LINKED_DATA",
            "primaryKeyAttribute": "k",
            "attributes": [{"name": "k", "valueType": "DATE", "mandatory": True, "unique": True}],
        }
    )
    assert table == {
        "name": "T",
        "type": "LINKED_DATA",
        "primaryKeyAttribute": "k",
        "creationTimeAttribute": None,
        "bigTable": False,
        "attributes": [
            {
                "name": "k",
                "valueType": "DATE",
                "mandatory": True,
                "indexed": False,
                "unique": True,
            }
        ],
        "foreignKeys": [],
        "eventsToTrigger": [],
        "cleaningRules": [],
        "displayOptions": {},
    }


def test_create_drops_the_id_and_null_restriction_members(orders: Orders) -> None:
    body = orders(id="client-chosen")
    body["attributes"][0]["valueRestriction"] = {"minLength": None, "maxLength": 20}
    table = validate_create(body)
    assert "id" not in table
    assert table["attributes"][0]["valueRestriction"] == {"maxLength": 20}


def test_a_rule_error_lists_each_problem(orders: Orders) -> None:
    with pytest.raises(RuleError) as raised:
        validate_create(orders(type="X", bigTable="no"), existing_names={"Orders"})
    problems = raised.value.problems
    assert problems[0] == "table 'Orders': a table with this name already exists"
    assert len(problems) == 3
    assert str(raised.value) == "; ".join(problems)


def test_a_change_returns_the_stored_id_first(orders: Orders) -> None:
    stored = {"id": "abc", **validate_create(orders())}
    wanted = orders(bigTable=True)
    changed = validate_change(stored, wanted)
    assert next(iter(changed)) == "id"
    assert changed == {**stored, "bigTable": True}


def test_immutable_fields_are_reported_alone(orders: Orders) -> None:
    stored = {"id": "abc", **validate_create(orders())}
    wanted = orders(name="Other", creationTimeAttribute="amount")
    with pytest.raises(RuleError) as raised:
        validate_change(stored, wanted)
    assert raised.value.problems == [
        "table 'Orders': the name cannot be changed ('Orders' → 'Other')"
    ]


# -- properties -------------------------------------------------------------------------------

NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,10}", fullmatch=True)


@st.composite
def definitions(draw: st.DrawFn) -> dict[str, Any]:
    """Valid create bodies: a key attribute, a timestamp, and random others."""
    others = draw(st.lists(NAMES, max_size=5, unique=True).filter(lambda n: "key" not in n))
    attributes: list[dict[str, Any]] = [
        {"name": "key", "valueType": "STRING", "mandatory": True, "unique": True}
    ]
    for name in [n for n in others if n != "moment"]:
        attribute: dict[str, Any] = {
            "name": name,
            "valueType": draw(st.sampled_from(sorted(VALUE_TYPES))),
        }
        for flag in draw(
            st.lists(st.sampled_from(["mandatory", "indexed", "unique"]), unique=True)
        ):
            attribute[flag] = draw(st.booleans())
        if attribute["valueType"] == "STRING" and draw(st.booleans()):
            values = draw(
                st.lists(st.text(min_size=1, max_size=5), min_size=1, max_size=4, unique=True)
            )
            attribute["valueRestriction"] = {"acceptedValues": values}
        attributes.append(attribute)
    attributes.append({"name": "moment", "valueType": "TIMESTAMP"})
    return {
        "name": draw(NAMES),
        "type": draw(st.sampled_from(sorted(TABLE_TYPES))),
        "primaryKeyAttribute": "key",
        "creationTimeAttribute": draw(st.sampled_from([None, "moment"])),
        "bigTable": draw(st.booleans()),
        "attributes": attributes,
    }


@settings(max_examples=60, deadline=None)
@given(definitions())
def test_normalisation_is_idempotent(definition: dict[str, Any]) -> None:
    once = validate_create(definition)
    assert validate_create(once) == once


@settings(max_examples=60, deadline=None)
@given(definitions())
def test_sending_back_what_was_read_is_an_accepted_no_op(definition: dict[str, Any]) -> None:
    """What a client reads can always be sent back as a change request, unchanged: the basis
    for a plan right after an apply being empty."""
    stored = {"id": "some-id", **validate_create(definition)}
    body = {k: v for k, v in stored.items() if k != "id"}
    assert validate_change(stored, body) == stored
