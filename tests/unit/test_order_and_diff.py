"""Ordering from references and the field-level diff walk."""

from __future__ import annotations

import pytest

from actito_iac.plan.diff import field_differences
from actito_iac.plan.order import ReferenceCycle, topological
from actito_iac.vocabulary import Address


def a(name: str) -> Address:
    return Address("B2C", "customTable", name)


def test_dependencies_come_first_and_ties_are_sorted() -> None:
    edges = {a("Lines"): [a("Orders"), a("Products")], a("Orders"): [a("Stores")]}
    order = topological([a("Lines"), a("Orders"), a("Products"), a("Stores"), a("Zeta")], edges)
    assert order == [a("Products"), a("Stores"), a("Zeta"), a("Orders"), a("Lines")]


def test_dependencies_outside_the_set_are_ignored() -> None:
    assert topological([a("Orders")], {a("Orders"): [a("Existing")]}) == [a("Orders")]


def test_a_cycle_names_every_member() -> None:
    edges = {a("A"): [a("B")], a("B"): [a("C")], a("C"): [a("A")]}
    with pytest.raises(ReferenceCycle) as cycle:
        topological([a("A"), a("B"), a("C")], edges)
    assert {x.name for x in cycle.value.cycle} == {"A", "B", "C"}


def test_field_differences_reports_leaves_and_whole_added_subdocuments() -> None:
    before = {"bigTable": False, "attributes": {"x": {"mandatory": False}, "gone": {"m": 1}}}
    after = {"bigTable": True, "attributes": {"x": {"mandatory": True}, "new": {"m": 2}}}
    assert field_differences(before, after) == [
        (("attributes", "gone"), {"m": 1}, None),
        (("attributes", "new"), None, {"m": 2}),
        (("attributes", "x", "mandatory"), False, True),
        (("bigTable",), False, True),
    ]


def test_lists_are_compared_as_values() -> None:
    assert field_differences({"v": ["A", "B"]}, {"v": ["A", "B", "C"]}) == [
        (("v",), ["A", "B"], ["A", "B", "C"])
    ]
    assert field_differences({"v": ["A"]}, {"v": ["A"]}) == []


def test_undeclared_display_texts_are_not_compared() -> None:
    from actito_iac.kinds.common import DISPLAY_TEXTS
    from actito_iac.plan.diff import drop_undeclared

    keys = DISPLAY_TEXTS
    live = {
        "displayName": "Clients",
        "attributes": {
            "lastName": {"type": "LASTNAME", "description": "Last name"},
            "gone": {"description": "kept whole: the attribute itself is removed"},
        },
    }
    wanted = {"attributes": {"lastName": {"type": "LASTNAME"}}}
    assert drop_undeclared(live, wanted, keys) == {
        "attributes": {
            "lastName": {"type": "LASTNAME"},
            "gone": {"description": "kept whole: the attribute itself is removed"},
        },
    }
    declared = {"displayName": "Customers", "attributes": {}}
    assert drop_undeclared(live, declared, keys)["displayName"] == "Clients"


def test_an_attribute_named_like_a_display_text_is_an_attribute() -> None:
    """Declared-only fields are paths: a live attribute named `description` that the manifest
    leaves out is a removal to plan (with its risk), never an undeclared text to ignore."""
    from actito_iac.kinds.common import DISPLAY_TEXTS
    from actito_iac.plan.diff import drop_undeclared

    live = {"attributes": {"id": {"valueType": "STRING"}, "description": {"valueType": "STRING"}}}
    wanted = {"attributes": {"id": {"valueType": "STRING"}, "price": {"valueType": "NUMBER"}}}
    assert drop_undeclared(live, wanted, DISPLAY_TEXTS) == live
