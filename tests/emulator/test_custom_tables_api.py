"""Entities and custom-table structure over the API: round trips, defaults, rules, 404s."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.anyio

CATEGORISED = "/custom-table-structure/v5/entities/B2C/custom-tables"
UNCATEGORISED = "/v5/entities/B2C/custom-tables"
Orders = Callable[..., dict[str, Any]]
UNKNOWN_ID = "6f1c2b1e-0000-4000-8000-000000000000"


def attribute(body: dict[str, Any], name: str) -> dict[str, Any]:
    found = next(a for a in body["attributes"] if a["name"] == name)
    assert isinstance(found, dict)
    return found


def stripped(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored definition as a change-request body (the whole definition, no id)."""
    body = copy.deepcopy(stored)
    del body["id"]
    return body


async def change(api: httpx.AsyncClient, table: dict[str, Any], body: Any) -> httpx.Response:
    return await api.post(f"{CATEGORISED}/{table['id']}/change-requests", json=body)


# -- entities ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/entities/v5/entities", "/v5/entities"])
async def test_entities_are_listed_under_both_urls(api: httpx.AsyncClient, path: str) -> None:
    answer = await api.get(path)
    assert answer.status_code == 200
    assert answer.json() == {
        "entities": [
            {"id": 1, "name": "B2C", "comment": None},
            {"id": 2, "name": "B2B", "comment": "Companies"},
        ]
    }


# -- round trip -------------------------------------------------------------------------------


async def test_create_answers_201_with_location_and_the_stored_definition(
    api: httpx.AsyncClient, orders: Orders
) -> None:
    answer = await api.post(CATEGORISED, json=orders())
    assert answer.status_code == 201
    body = answer.json()
    assert uuid.UUID(body["id"]).version == 4
    assert answer.headers["Location"] == f"http://127.0.0.1{CATEGORISED}/{body['id']}"
    assert list(body) == [
        "id",
        "name",
        "type",
        "primaryKeyAttribute",
        "creationTimeAttribute",
        "bigTable",
        "attributes",
        "foreignKeys",
        "eventsToTrigger",
        "cleaningRules",
        "displayOptions",
    ]


async def test_server_defaults_are_filled_in(
    api: httpx.AsyncClient, created: dict[str, Any]
) -> None:
    read = (await api.get(f"{CATEGORISED}/{created['id']}")).json()
    assert read == created
    assert read["bigTable"] is False
    assert (read["foreignKeys"], read["eventsToTrigger"], read["cleaningRules"]) == ([], [], [])
    assert read["displayOptions"] == {}
    assert attribute(read, "amount") == {
        "name": "amount",
        "valueType": "NUMBER",
        "mandatory": False,
        "indexed": False,
        "unique": False,
    }
    assert attribute(read, "orderId")["valueRestriction"] == {"minLength": 20, "maxLength": 20}


async def test_an_empty_value_restriction_is_not_stored(
    api: httpx.AsyncClient, orders: Orders
) -> None:
    body = orders()
    body["attributes"][2]["valueRestriction"] = {"acceptedValues": None}
    created = (await api.post(CATEGORISED, json=body)).json()
    assert "valueRestriction" not in attribute(created, "amount")


async def test_a_created_table_is_listed_and_readable_under_both_urls(
    api: httpx.AsyncClient, created: dict[str, Any]
) -> None:
    for base in (CATEGORISED, UNCATEGORISED):
        listed = (await api.get(base)).json()
        assert listed == {"customTables": [created]}
        assert (await api.get(f"{base}/{created['id']}")).json() == created


async def test_a_table_can_be_read_by_name(api: httpx.AsyncClient, created: dict[str, Any]) -> None:
    assert (await api.get(f"{CATEGORISED}/Orders")).json() == created


async def test_tables_belong_to_their_entity(
    api: httpx.AsyncClient, created: dict[str, Any]
) -> None:
    other = "/custom-table-structure/v5/entities/B2B/custom-tables"
    assert (await api.get(other)).json() == {"customTables": []}
    assert (await api.get(f"{other}/{created['id']}")).status_code == 404


async def test_the_same_name_may_exist_in_two_entities(
    api: httpx.AsyncClient, orders: Orders, created: dict[str, Any]
) -> None:
    other = "/custom-table-structure/v5/entities/B2B/custom-tables"
    assert (await api.post(other, json=orders())).status_code == 201


async def test_an_id_sent_on_create_is_replaced(api: httpx.AsyncClient, orders: Orders) -> None:
    chosen = str(uuid.uuid4())
    body = (await api.post(CATEGORISED, json=orders(id=chosen))).json()
    assert body["id"] != chosen


# -- create rules -----------------------------------------------------------------------------


def _set_attr(index: int, **changes: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(body: dict[str, Any]) -> None:
        body["attributes"][index].update(changes)

    return mutate


CREATE_VIOLATIONS: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("pk-not-unique", _set_attr(0, unique=False), "must be mandatory and unique"),
    ("pk-not-mandatory", _set_attr(0, mandatory=False), "must be mandatory and unique"),
    (
        "pk-unknown",
        lambda b: b.update(primaryKeyAttribute="nope"),
        "primaryKeyAttribute 'nope' is not an attribute",
    ),
    (
        "creation-time-not-timestamp",
        lambda b: b.update(creationTimeAttribute="amount"),
        "creationTimeAttribute 'amount' must be a TIMESTAMP",
    ),
    (
        "creation-time-unknown",
        lambda b: b.update(creationTimeAttribute="nope"),
        "creationTimeAttribute 'nope' is not an attribute",
    ),
    ("name-starts-with-digit", lambda b: b.update(name="1Orders"), "not a technical name"),
    ("name-too-long", lambda b: b.update(name="O" * 65), "not a technical name"),
    ("name-with-dash", lambda b: b.update(name="my-orders"), "not a technical name"),
    ("unknown-type", lambda b: b.update(type="AGGREGATE"), "type 'AGGREGATE' is not one of"),
    ("missing-type", lambda b: b.pop("type"), "type None is not one of"),
    ("unknown-value-type", _set_attr(2, valueType="MONEY"), "valueType 'MONEY'"),
    (
        "duplicate-attribute",
        lambda b: b["attributes"].append({"name": "amount", "valueType": "LONG"}),
        "attribute 'amount' is defined twice",
    ),
    ("no-attributes", lambda b: b.update(attributes=[]), "attributes must be a non-empty list"),
    ("unknown-property", lambda b: b.update(primaryKey="orderId"), "unknown property"),
    ("non-bool-flag", _set_attr(2, indexed="yes"), "indexed must be true or false"),
    (
        "restriction-on-number",
        _set_attr(2, valueRestriction={"maxLength": 3}),
        "only STRING attributes take a valueRestriction",
    ),
    (
        "min-above-max",
        _set_attr(0, valueRestriction={"minLength": 5, "maxLength": 2}),
        "minLength is above maxLength",
    ),
    (
        "repeated-accepted-value",
        _set_attr(3, valueRestriction={"acceptedValues": ["NEW", "NEW"]}),
        "lists a value twice",
    ),
    ("foreign-keys-not-a-list", lambda b: b.update(foreignKeys={}), "foreignKeys must be a list"),
]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [pytest.param(m, msg, id=name) for name, m, msg in CREATE_VIOLATIONS],
)
async def test_create_rules_answer_400_with_a_message(
    api: httpx.AsyncClient,
    orders: Orders,
    mutate: Callable[[dict[str, Any]], None],
    message: str,
) -> None:
    body = orders()
    mutate(body)
    answer = await api.post(CATEGORISED, json=body)
    assert answer.status_code == 400, answer.text
    error = answer.json()
    assert (error["status"], error["error"]) == (400, "Bad Request")
    assert message in error["message"]
    assert (await api.get(CATEGORISED)).json() == {"customTables": []}


async def test_a_duplicate_table_name_gets_400(
    api: httpx.AsyncClient, orders: Orders, created: dict[str, Any]
) -> None:
    answer = await api.post(UNCATEGORISED, json=orders())
    assert answer.status_code == 400
    assert answer.json()["message"] == "table 'Orders': a table with this name already exists"
    assert len((await api.get(CATEGORISED)).json()["customTables"]) == 1


async def test_every_problem_is_reported_at_once(api: httpx.AsyncClient, orders: Orders) -> None:
    body = orders(type="NOPE", creationTimeAttribute="amount")
    message = (await api.post(CATEGORISED, json=body)).json()["message"]
    assert "type 'NOPE'" in message
    assert "must be a TIMESTAMP" in message


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe"], ids=["syntax", "not-utf8"])
async def test_an_invalid_json_body_gets_400(api: httpx.AsyncClient, body: bytes) -> None:
    answer = await api.post(CATEGORISED, content=body)
    assert answer.status_code == 400
    assert "not valid JSON" in answer.json()["message"]


async def test_a_body_that_is_not_an_object_gets_400(api: httpx.AsyncClient) -> None:
    answer = await api.post(CATEGORISED, json=["Orders"])
    assert answer.status_code == 400
    assert "must be a JSON object" in answer.json()["message"]


# -- change requests --------------------------------------------------------------------------


def _drop_pk(body: dict[str, Any]) -> None:
    body["attributes"] = [a for a in body["attributes"] if a["name"] != "orderId"]


CHANGE_VIOLATIONS: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("rename", lambda b: b.update(name="Purchases"), "the name cannot be changed"),
    ("type", lambda b: b.update(type="REPOSITORY"), "the type cannot be changed"),
    (
        "primary-key",
        lambda b: b.update(primaryKeyAttribute="amount"),
        "the primary key attribute cannot be changed",
    ),
    ("remove-primary-key", _drop_pk, "the primary key attribute 'orderId' cannot be removed"),
    (
        "value-type",
        _set_attr(2, valueType="LONG"),
        "attribute 'amount': the value type cannot be changed (NUMBER → LONG)",
    ),
    (
        "remove-accepted-value",
        _set_attr(3, valueRestriction={"acceptedValues": ["NEW", "CANCELED"]}),
        "accepted values cannot be removed ('SHIPPED')",
    ),
    (
        "drop-accepted-values",
        lambda b: b["attributes"][3].pop("valueRestriction"),
        "the accepted-values restriction cannot be dropped",
    ),
    (
        "max-length",
        _set_attr(0, valueRestriction={"minLength": 20, "maxLength": 30}),
        "maxLength cannot be changed (20 → 30)",
    ),
    (
        "drop-min-length",
        _set_attr(0, valueRestriction={"maxLength": 20}),
        "minLength cannot be changed (20 → None)",
    ),
    (
        "still-validated",
        lambda b: b.update(creationTimeAttribute="amount"),
        "must be a TIMESTAMP",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [pytest.param(m, msg, id=name) for name, m, msg in CHANGE_VIOLATIONS],
)
async def test_forbidden_changes_answer_400_and_change_nothing(
    api: httpx.AsyncClient,
    created: dict[str, Any],
    mutate: Callable[[dict[str, Any]], None],
    message: str,
) -> None:
    body = stripped(created)
    mutate(body)
    answer = await change(api, created, body)
    assert answer.status_code == 400, answer.text
    assert "table 'Orders'" in answer.json()["message"]
    assert message in answer.json()["message"]
    assert (await api.get(f"{CATEGORISED}/{created['id']}")).json() == created


def _add_attribute(body: dict[str, Any]) -> None:
    body["attributes"].append({"name": "channel", "valueType": "STRING", "indexed": True})


def _remove_amount(body: dict[str, Any]) -> None:
    body["attributes"] = [a for a in body["attributes"] if a["name"] != "amount"]


ALLOWED_CHANGES: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
    ("add-attribute", _add_attribute),
    ("remove-attribute", _remove_amount),
    ("mandatory-on", _set_attr(2, mandatory=True)),
    ("mandatory-off", _set_attr(1, mandatory=False)),
    ("unique-and-indexed", _set_attr(2, unique=True, indexed=True)),
    (
        "add-accepted-values",
        _set_attr(3, valueRestriction={"acceptedValues": ["NEW", "SHIPPED", "CANCELED"]}),
    ),
    ("big-table", lambda b: b.update(bigTable=True)),
    ("no-creation-time", lambda b: b.update(creationTimeAttribute=None)),
    ("reorder", lambda b: b["attributes"].reverse()),
]


@pytest.mark.parametrize("mutate", [pytest.param(m, id=name) for name, m in ALLOWED_CHANGES])
async def test_allowed_changes_are_stored(
    api: httpx.AsyncClient, created: dict[str, Any], mutate: Callable[[dict[str, Any]], None]
) -> None:
    body = stripped(created)
    mutate(body)
    answer = await change(api, created, body)
    assert answer.status_code == 200, answer.text
    expected = {"id": created["id"], **body}
    for a in expected["attributes"]:
        for flag in ("mandatory", "indexed", "unique"):
            a.setdefault(flag, False)
    assert _canonical(answer.json()) == _canonical(expected)
    assert (await api.get(f"{CATEGORISED}/{created['id']}")).json() == answer.json()


def _canonical(body: dict[str, Any]) -> dict[str, Any]:
    """Attribute order and key order do not matter for these comparisons."""
    return {**body, "attributes": sorted(body["attributes"], key=lambda a: a["name"])}


async def test_a_restriction_can_be_added_to_a_string_attribute(
    api: httpx.AsyncClient, orders: Orders
) -> None:
    body = orders()
    body["attributes"].append({"name": "channel", "valueType": "STRING"})
    created = (await api.post(CATEGORISED, json=body)).json()
    wanted = stripped(created)
    attribute(wanted, "channel")["valueRestriction"] = {"acceptedValues": ["WEB", "SHOP"]}
    answer = await change(api, created, wanted)
    assert answer.status_code == 200
    assert attribute(answer.json(), "channel")["valueRestriction"] == {
        "acceptedValues": ["WEB", "SHOP"]
    }


async def test_links_events_cleaning_and_display_are_stored_as_sent(
    api: httpx.AsyncClient, orders: Orders, created: dict[str, Any]
) -> None:
    stores = (await api.post(CATEGORISED, json=orders(name="Stores"))).json()
    body = stripped(created)
    body["attributes"].append({"name": "storeId", "valueType": "STRING"})
    body["foreignKeys"] = [
        {
            "name": "link-to-store",
            "attribute": "storeId",
            "reference": {
                "tableType": "CUSTOM_TABLE",
                "tableId": stores["id"],
                "attribute": "orderId",
            },
            "onDelete": "CASCADE",
        }
    ]
    body["eventsToTrigger"] = [
        {
            "name": "shipped",
            "triggerRules": [
                {
                    "onOperation": "UPDATE",
                    "onAnyAttribute": ["status"],
                    "matchingConditions": {
                        "stateBeforeOperation": [
                            {"attribute": "status", "operator": "!=", "value": "SHIPPED"}
                        ],
                        "stateAfterOperation": [
                            {"attribute": "status", "operator": "=", "value": "SHIPPED"}
                        ],
                    },
                }
            ],
        }
    ]
    body["cleaningRules"] = [{"attribute": "orderMoment", "retentionDays": 365}]
    body["displayOptions"] = {
        "displayName": "Orders",
        "forAttributes": [{"name": "orderId", "displayName": "Order", "description": "its id"}],
    }
    answer = await change(api, created, body)
    assert answer.status_code == 200, answer.text
    read = (await api.get(f"{CATEGORISED}/{created['id']}")).json()
    for key in ("foreignKeys", "eventsToTrigger", "cleaningRules", "displayOptions"):
        assert read[key] == body[key]


async def test_a_change_request_keeps_the_table_id_and_position(
    api: httpx.AsyncClient, orders: Orders, created: dict[str, Any]
) -> None:
    second = (await api.post(CATEGORISED, json=orders(name="Returns"))).json()
    body = stripped(created)
    _add_attribute(body)
    body["id"] = str(uuid.uuid4())  # a foreign id in the body does not move the table
    assert (await change(api, created, body)).json()["id"] == created["id"]
    listed = (await api.get(CATEGORISED)).json()["customTables"]
    assert [t["id"] for t in listed] == [created["id"], second["id"]]


async def test_a_change_request_by_table_name_works(
    api: httpx.AsyncClient, created: dict[str, Any]
) -> None:
    body = stripped(created)
    _add_attribute(body)
    answer = await api.post(f"{UNCATEGORISED}/Orders/change-requests", json=body)
    assert answer.status_code == 200
    assert answer.json()["id"] == created["id"]


# -- 404 / 405 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "message"),
    [
        (
            "GET",
            "/custom-table-structure/v5/entities/Nope/custom-tables",
            "entity 'Nope' not found",
        ),
        ("POST", "/v5/entities/Nope/custom-tables", "entity 'Nope' not found"),
        # A fixed id: a random one would name the test differently in each xdist worker.
        ("GET", f"{CATEGORISED}/{UNKNOWN_ID}", "not found in entity 'B2C'"),
        ("POST", f"{CATEGORISED}/Unknown/change-requests", "custom table 'Unknown' not found"),
        ("GET", "/v5/entities/B2C/webhooks", "GET /v5/entities/B2C/webhooks"),
    ],
)
async def test_unknown_things_get_404_with_a_json_body(
    api: httpx.AsyncClient, orders: Orders, method: str, path: str, message: str
) -> None:
    answer = await api.request(method, path, json=orders() if method == "POST" else None)
    assert answer.status_code == 404
    assert answer.json()["error"] == "Not Found"
    assert message in answer.json()["message"]


async def test_a_wrong_method_gets_405_with_allow(api: httpx.AsyncClient) -> None:
    answer = await api.delete(CATEGORISED)
    assert answer.status_code == 405
    assert answer.json()["status"] == 405
    assert "POST" in answer.headers["Allow"]
