"""Custom tables, complete: foreign keys checked against the referenced table, and the
events, cleaning rules and display options checked against the table's attributes."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.anyio

CUSTOM_TABLES = "/custom-table-structure/v5/entities/B2C/custom-tables"
PROFILE_TABLES = "/profile-table-structure/v5/entities/B2C/profile-tables"
Orders = Callable[..., dict[str, Any]]
Mutation = Callable[[dict[str, Any]], None]

STORES: dict[str, Any] = {
    "name": "Stores",
    "type": "REPOSITORY",
    "primaryKeyAttribute": "storeId",
    "attributes": [
        {"name": "storeId", "valueType": "LONG", "mandatory": True, "unique": True},
        {"name": "city", "valueType": "STRING"},
    ],
}


def stripped(stored: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(stored)
    del body["id"]
    return body


def link(name: str, attribute: str, table_type: str, table_id: str, target: str) -> dict[str, Any]:
    return {
        "name": name,
        "attribute": attribute,
        "reference": {"tableType": table_type, "tableId": table_id, "attribute": target},
        "onDelete": "CASCADE",
    }


@pytest.fixture
async def linked_orders(
    api: httpx.AsyncClient, orders: Orders, profile_table: dict[str, Any]
) -> dict[str, Any]:
    """Orders with a customerId linked to Customers.customerId; the stored definition."""
    body = orders()
    body["attributes"].append({"name": "customerId", "valueType": "STRING"})
    body["foreignKeys"] = [
        link("link-to-customer", "customerId", "PROFILE_TABLE", profile_table["id"], "customerId")
    ]
    answer = await api.post(CUSTOM_TABLES, json=body)
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert isinstance(created, dict)
    return created


# -- foreign keys -----------------------------------------------------------------------------


async def test_a_foreign_key_to_a_profile_table_is_stored_as_sent(
    linked_orders: dict[str, Any], profile_table: dict[str, Any]
) -> None:
    (key,) = linked_orders["foreignKeys"]
    assert key["reference"] == {
        "tableType": "PROFILE_TABLE",
        "tableId": profile_table["id"],
        "attribute": "customerId",
    }


async def test_a_foreign_key_to_a_custom_table_created_in_the_same_session(
    api: httpx.AsyncClient, orders: Orders
) -> None:
    stores = (await api.post(CUSTOM_TABLES, json=STORES)).json()
    body = orders()
    body["attributes"].append({"name": "storeId", "valueType": "LONG", "mandatory": True})
    body["foreignKeys"] = [
        link("link-to-store", "storeId", "CUSTOM_TABLE", stores["id"], "storeId")
    ]
    answer = await api.post(CUSTOM_TABLES, json=body)
    assert answer.status_code == 201, answer.text


async def test_a_table_may_reference_itself(api: httpx.AsyncClient, orders: Orders) -> None:
    body = orders()
    body["attributes"].append({"name": "parentOrder", "valueType": "STRING"})
    created = (await api.post(CUSTOM_TABLES, json=body)).json()
    wanted = stripped(created)
    wanted["foreignKeys"] = [
        link("parent", "parentOrder", "CUSTOM_TABLE", created["id"], "orderId")
    ]
    answer = await api.post(f"{CUSTOM_TABLES}/{created['id']}/change-requests", json=wanted)
    assert answer.status_code == 200, answer.text


def _key(**changes: Any) -> Mutation:
    def mutate(body: dict[str, Any]) -> None:
        body["foreignKeys"][0].update(changes)

    return mutate


def _reference(**changes: Any) -> Mutation:
    def mutate(body: dict[str, Any]) -> None:
        body["foreignKeys"][0]["reference"].update(changes)

    return mutate


FOREIGN_KEY_VIOLATIONS: list[tuple[str, Mutation, str]] = [
    (
        "unknown-profile-table",
        _reference(tableId="97"),
        "foreign key 'link-to-customer': references unknown profile table '97'",
    ),
    (
        "unknown-custom-table",
        _reference(tableType="CUSTOM_TABLE", tableId=str(uuid.uuid4())),
        "references unknown custom table",
    ),
    (
        "unknown-target-attribute",
        _reference(attribute="shoeSize"),
        "'shoeSize' is not an attribute of profile table 'Customers'",
    ),
    (
        "target-not-unique",
        _reference(attribute="firstName"),
        "attribute 'firstName' of profile table 'Customers' must be unique to be referenced",
    ),
    ("table-type", _reference(tableType="VIEW"), "tableType 'VIEW' is not one of"),
    (
        "own-attribute-unknown",
        _key(attribute="clientId"),
        "attribute 'clientId' is not an attribute of the table",
    ),
    ("on-delete", _key(onDelete="IGNORE"), "onDelete 'IGNORE' is not one of"),
    (
        "set-null-on-mandatory",
        _key(attribute="orderMoment", onDelete="SET_NULL"),
        "onDelete SET_NULL needs a non-mandatory attribute",
    ),
    (
        "name-twice",
        lambda b: b["foreignKeys"].append(copy.deepcopy(b["foreignKeys"][0])),
        "foreign key 'link-to-customer' is defined twice",
    ),
    ("unknown-property", _key(skipIntegrityCheck=True), "unknown property 'skipIntegrityCheck'"),
]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [pytest.param(m, msg, id=name) for name, m, msg in FOREIGN_KEY_VIOLATIONS],
)
async def test_foreign_key_rules_on_create_and_on_change(
    api: httpx.AsyncClient, linked_orders: dict[str, Any], mutate: Mutation, message: str
) -> None:
    body = stripped(linked_orders)
    mutate(body)
    answer = await api.post(f"{CUSTOM_TABLES}/{linked_orders['id']}/change-requests", json=body)
    assert answer.status_code == 400, answer.text
    assert message in answer.json()["message"]
    body["name"] = "OtherOrders"
    created = await api.post(CUSTOM_TABLES, json=body)
    assert created.status_code == 400
    assert message in created.json()["message"]


async def test_a_profile_table_of_another_entity_cannot_be_referenced(
    api: httpx.AsyncClient, orders: Orders, customers: Callable[..., dict[str, Any]]
) -> None:
    elsewhere = (await api.post("/v5/entities/B2B/profile-tables", json=customers())).json()
    body = orders()
    body["foreignKeys"] = [link("k", "orderId", "PROFILE_TABLE", elsewhere["id"], "customerId")]
    answer = await api.post(CUSTOM_TABLES, json=body)
    assert answer.status_code == 400
    assert "references unknown profile table" in answer.json()["message"]


async def test_a_foreign_key_keeps_working_after_its_target_changes(
    api: httpx.AsyncClient, linked_orders: dict[str, Any], profile_table: dict[str, Any]
) -> None:
    target = stripped(profile_table)
    target["attributes"].append({"type": "CUSTOM", "name": "shop", "valueType": "STRING"})
    changed = await api.post(f"{PROFILE_TABLES}/{profile_table['id']}/change-requests", json=target)
    assert changed.status_code == 200, changed.text
    again = await api.post(
        f"{CUSTOM_TABLES}/{linked_orders['id']}/change-requests", json=stripped(linked_orders)
    )
    assert again.status_code == 200, again.text


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda b: b.update(
                attributes=[a for a in b["attributes"] if a["name"] != "customerId"]
            ),
            "it must stay",
        ),
        (
            lambda b: next(a for a in b["attributes"] if a["name"] == "customerId").update(
                unique=False
            ),
            "it must stay unique",
        ),
    ],
    ids=["removed", "not-unique"],
)
async def test_a_referenced_attribute_must_stay_unique(
    api: httpx.AsyncClient,
    linked_orders: dict[str, Any],
    profile_table: dict[str, Any],
    mutate: Mutation,
    message: str,
) -> None:
    target = stripped(profile_table)
    mutate(target)
    answer = await api.post(f"{PROFILE_TABLES}/{profile_table['id']}/change-requests", json=target)
    assert answer.status_code == 400
    assert answer.json()["message"] == (
        "profile table 'Customers': attribute 'customerId' is referenced by foreign key "
        f"'link-to-customer' of custom table 'Orders': {message}"
    )


# -- events, cleaning rules, display options --------------------------------------------------


def _event(**rule: Any) -> dict[str, Any]:
    return {"name": "shipped", "triggerRules": [{"onOperation": "UPDATE", **rule}]}


def _condition(attribute: str = "status", operator: str = "=", value: Any = "SHIPPED") -> Any:
    return {"attribute": attribute, "operator": operator, "value": value}


OPTION_VIOLATIONS: list[tuple[str, str, Any, str]] = [
    ("operation", "eventsToTrigger", [_event(onOperation="DELETE")], "onOperation 'DELETE'"),
    (
        "watched-attribute",
        "eventsToTrigger",
        [_event(onAnyAttribute=["colour"])],
        "event 'shipped': triggerRules[0]: onAnyAttribute: 'colour' is not an attribute",
    ),
    (
        "operator",
        "eventsToTrigger",
        [_event(matchingConditions={"stateAfterOperation": [_condition(operator="~")]})],
        "operator '~' is not one of",
    ),
    (
        "condition-attribute",
        "eventsToTrigger",
        [_event(matchingConditions={"stateAfterOperation": [_condition("colour")]})],
        "stateAfterOperation[0]: 'colour' is not an attribute of the table",
    ),
    (
        "condition-value",
        "eventsToTrigger",
        [_event(matchingConditions={"stateAfterOperation": [_condition(value=["A"])]})],
        "value must be a string, a number, a boolean or null",
    ),
    (
        "before-state-on-create",
        "eventsToTrigger",
        [
            _event(
                onOperation="CREATE",
                matchingConditions={"stateBeforeOperation": [_condition()]},
            )
        ],
        "a CREATE rule has no stateBeforeOperation",
    ),
    ("event-twice", "eventsToTrigger", [_event(), _event()], "event 'shipped' is defined twice"),
    (
        "no-trigger-rules",
        "eventsToTrigger",
        [{"name": "shipped", "triggerRules": []}],
        "triggerRules must be a non-empty list",
    ),
    (
        "cleaning-not-timestamp",
        "cleaningRules",
        [{"attribute": "amount", "retentionDays": 30}],
        "attribute 'amount' must be a TIMESTAMP attribute",
    ),
    (
        "cleaning-unknown-attribute",
        "cleaningRules",
        [{"attribute": "shippedAt", "retentionDays": 30}],
        "attribute 'shippedAt' is not an attribute of the table",
    ),
    (
        "retention-zero",
        "cleaningRules",
        [{"attribute": "orderMoment", "retentionDays": 0}],
        "retentionDays must be an integer ≥ 1",
    ),
    (
        "cleaning-twice",
        "cleaningRules",
        [{"attribute": "orderMoment", "retentionDays": 30}] * 2,
        "attribute 'orderMoment' already has a cleaning rule",
    ),
    ("display-unknown-key", "displayOptions", {"listed": []}, "unknown property 'listed'"),
    (
        "display-attribute",
        "displayOptions",
        {"forAttributes": [{"name": "colour", "displayName": "Colour"}]},
        "'colour' is not an attribute of the table",
    ),
    (
        "display-name-type",
        "displayOptions",
        {"displayName": 3},
        "displayOptions: displayName must be a string",
    ),
    ("events-not-a-list", "eventsToTrigger", {}, "eventsToTrigger must be a list"),
]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [pytest.param(k, v, m, id=name) for name, k, v, m in OPTION_VIOLATIONS],
)
async def test_option_rules_answer_400(
    api: httpx.AsyncClient,
    orders: Orders,
    created: dict[str, Any],
    key: str,
    value: Any,
    message: str,
) -> None:
    answer = await api.post(CUSTOM_TABLES, json=orders(name="Returns", **{key: value}))
    assert answer.status_code == 400, answer.text
    assert message in answer.json()["message"]
    body = stripped(created)
    body[key] = value
    changed = await api.post(f"{CUSTOM_TABLES}/{created['id']}/change-requests", json=body)
    assert changed.status_code == 400
    assert message in changed.json()["message"]


async def test_options_must_follow_a_removed_attribute(
    api: httpx.AsyncClient, orders: Orders
) -> None:
    """Options name attributes: removing one means removing what names it, in the same body."""
    body = orders(
        eventsToTrigger=[_event(onAnyAttribute=["status"])],
        displayOptions={"forAttributes": [{"name": "status"}]},
    )
    created = (await api.post(CUSTOM_TABLES, json=body)).json()
    wanted = stripped(created)
    wanted["attributes"] = [a for a in wanted["attributes"] if a["name"] != "status"]
    answer = await api.post(f"{CUSTOM_TABLES}/{created['id']}/change-requests", json=wanted)
    assert answer.status_code == 400
    wanted["eventsToTrigger"] = []
    wanted["displayOptions"] = {}
    answer = await api.post(f"{CUSTOM_TABLES}/{created['id']}/change-requests", json=wanted)
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("table_type", ["INTERACTIONS", "LINKED_DATA", "REPOSITORY"])
async def test_every_table_type_is_accepted(
    api: httpx.AsyncClient, orders: Orders, table_type: str
) -> None:
    assert (await api.post(CUSTOM_TABLES, json=orders(type=table_type))).status_code == 201
