"""Profile table manifests: what the model refuses, and what `check` reports beyond it."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from actito_iac.kinds.profile_table import ProfileTableKind
from actito_iac.kinds.profile_table_spec import ProfileTableSpec

KIND = ProfileTableKind()


def issues(doc: dict[str, Any]) -> dict[tuple[str | int, ...], str]:
    return {i.loc: i.message for i in KIND.check(ProfileTableSpec.model_validate(doc))}


def test_the_example_table_has_no_issue(customers: dict[str, Any]) -> None:
    assert issues(customers) == {}


@pytest.mark.parametrize("name", ["profileId", "creationMoment", "lastUserAgent"])
def test_a_technical_attribute_is_refused(customers: dict[str, Any], name: str) -> None:
    customers["attributes"].append({"name": name, "valueType": "TIMESTAMP"})
    found = issues(customers)
    assert found == {("attributes", 5, "name"): found[("attributes", 5, "name")]}
    assert "server-managed, never declared" in found[("attributes", 5, "name")]


def test_a_table_without_an_email_subscription_is_refused(customers: dict[str, Any]) -> None:
    customers["subscriptions"] = [{"name": "Promotions", "channel": "SMS"}]
    assert issues(customers) == {("subscriptions",): "a profile table needs an EMAIL subscription"}


def test_subscriptions_default_to_the_email_channel(customers: dict[str, Any]) -> None:
    spec = ProfileTableSpec.model_validate(customers)
    assert spec.subscriptions[0].channel == "EMAIL"


def test_duplicate_names_are_reported_where_they_repeat(customers: dict[str, Any]) -> None:
    customers["attributes"].append({"name": "customerId", "valueType": "LONG"})
    customers["subscriptions"].append({"name": "Newsletter", "channel": "SMS"})
    customers["segmentations"].append({"name": "VIP"})
    assert issues(customers) == {
        ("attributes", 5, "name"): "duplicate attribute 'customerId'",
        ("subscriptions", 1, "name"): "duplicate subscription 'Newsletter'",
        ("segmentations", 2, "name"): "duplicate segmentation 'VIP'",
    }


def test_custom_attributes_need_a_value_type(customers: dict[str, Any]) -> None:
    customers["attributes"].append({"name": "shop"})
    assert issues(customers) == {
        ("attributes", 5, "valueType"): "a CUSTOM attribute needs a valueType"
    }


@pytest.mark.parametrize(("field", "value"), [("valueType", "STRING"), ("multiValued", False)])
def test_predefined_attributes_carry_no_value_type(
    customers: dict[str, Any], field: str, value: object
) -> None:
    customers["attributes"][1][field] = value
    assert issues(customers) == {
        ("attributes", 1, field): f"a predefined FIRSTNAME attribute carries no {field}"
    }


def test_restrictions_only_on_custom_string_attributes(customers: dict[str, Any]) -> None:
    customers["attributes"][1]["maxLength"] = 40  # FIRSTNAME: predefined
    customers["attributes"].append({"name": "score", "valueType": "INTEGER", "minLength": 1})
    assert issues(customers) == {
        ("attributes", 1, "maxLength"): "only CUSTOM STRING attributes take it",
        ("attributes", 5, "minLength"): "only STRING attributes take it",
    }


def test_a_predefined_type_is_used_once(customers: dict[str, Any]) -> None:
    customers["attributes"].append({"name": "otherEmail", "type": "EMAIL_ADDRESS"})
    assert issues(customers) == {("attributes", 5, "type"): "a second EMAIL_ADDRESS attribute"}


@pytest.mark.parametrize(
    ("segmentation", "expected"),
    [
        (
            {"name": "S", "mandatory": True},
            {("segmentations", 2, "mandatory"): "only an exclusive segmentation "
             "(with segments) takes it"},
        ),
        (
            {"name": "S", "defaultSegment": "A"},
            {("segmentations", 2, "defaultSegment"): "only an exclusive segmentation "
             "(with segments) takes it"},
        ),
        (
            {"name": "S", "segments": ["A", "B"], "defaultSegment": "C"},
            {("segmentations", 2, "defaultSegment"): "'C' is not one of the segments"},
        ),
        (
            {"name": "S", "segments": ["A", "B", "A"]},
            {("segmentations", 2, "segments"): "a segment is listed twice"},
        ),
        (
            {"name": "S", "segments": ["A"]},
            {("segmentations", 2, "segments"): "an exclusive segmentation needs two segments"},
        ),
        (
            {"name": "S", "segments": ["A", "B"], "mandatory": True},
            {("segmentations", 2, "defaultSegment"): "a mandatory segmentation needs one"},
        ),
    ],
)  # fmt: skip
def test_bad_segmentations_are_reported(
    customers: dict[str, Any], segmentation: dict[str, Any], expected: dict[Any, str]
) -> None:
    customers["segmentations"].append(segmentation)
    assert issues(customers) == expected


@pytest.mark.parametrize(
    "change",
    [
        {"attributes": []},
        {"attributes": [{"name": "x", "type": "PHONE"}]},
        {"subscriptions": [{"name": "News", "channel": "PUSH"}]},
        {"name": "bad name"},
        {"primaryKey": "customerId"},
    ],
)
def test_the_model_refuses_malformed_tables(
    customers: dict[str, Any], change: dict[str, Any]
) -> None:
    customers.update(change)
    with pytest.raises(ValidationError):
        ProfileTableSpec.model_validate(customers)
