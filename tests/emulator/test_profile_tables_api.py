"""Profile-table structure over the API: round trips, technical attributes, defaults, the
create rules, change requests and the UI-only subscriptions and segmentations."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.anyio

CATEGORISED = "/profile-table-structure/v5/entities/B2C/profile-tables"
UNCATEGORISED = "/v5/entities/B2C/profile-tables"
Customers = Callable[..., dict[str, Any]]
Mutation = Callable[[dict[str, Any]], None]

TECHNICAL = [
    {
        "type": "CUSTOM",
        "name": "profileId",
        "unique": True,
        "mandatory": True,
        "valueType": "INTEGER",
        "multiValued": False,
    },
    {
        "type": "CUSTOM",
        "name": "creationMoment",
        "unique": False,
        "mandatory": True,
        "valueType": "TIMESTAMP",
        "multiValued": False,
    },
    {
        "type": "CUSTOM",
        "name": "updateMoment",
        "unique": False,
        "mandatory": True,
        "valueType": "TIMESTAMP",
        "multiValued": False,
    },
]


def attribute(body: dict[str, Any], name: str) -> dict[str, Any]:
    found = next(a for a in body["attributes"] if a["name"] == name)
    assert isinstance(found, dict)
    return found


def stripped(stored: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(stored)
    del body["id"]
    return body


async def change(api: httpx.AsyncClient, table: dict[str, Any], body: Any) -> httpx.Response:
    return await api.post(f"{CATEGORISED}/{table['id']}/change-requests", json=body)


# -- round trip -------------------------------------------------------------------------------


async def test_create_answers_201_with_technical_attributes_first(
    api: httpx.AsyncClient, customers: Customers
) -> None:
    answer = await api.post(CATEGORISED, json=customers())
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["id"] == "1"
    assert answer.headers["Location"] == f"http://127.0.0.1{CATEGORISED}/1"
    assert list(body) == [
        "id",
        "name",
        "attributes",
        "displayOptions",
        "subscriptions",
        "segmentations",
    ]
    assert body["attributes"][:3] == TECHNICAL
    assert [a["name"] for a in body["attributes"][3:]] == [
        "emailAddress",
        "firstName",
        "customerId",
        "tier",
        "age",
        "interests",
    ]


async def test_server_defaults_are_filled_in(
    api: httpx.AsyncClient, profile_table: dict[str, Any]
) -> None:
    read = (await api.get(f"{CATEGORISED}/{profile_table['id']}")).json()
    assert read == profile_table
    assert attribute(read, "firstName") == {
        "type": "FIRSTNAME",
        "name": "firstName",
        "unique": False,
        "mandatory": False,
    }
    assert attribute(read, "age") == {
        "type": "CUSTOM",
        "name": "age",
        "unique": False,
        "mandatory": False,
        "valueType": "INTEGER",
        "multiValued": False,
    }
    assert attribute(read, "interests")["multiValued"] is True
    assert read["displayOptions"] == {"forAttributes": []}
    assert read["segmentations"] == [
        {"name": "VIP", "type": "SIMPLE", "history": False},
        {
            "name": "Level",
            "type": "EXCLUSIVE",
            "segments": ["Bronze", "Silver", "Gold"],
            "mandatory": True,
            "defaultSegment": "Bronze",
            "history": True,
        },
    ]


async def test_segmentations_default_to_none_and_custom_is_the_default_type(
    api: httpx.AsyncClient, customers: Customers
) -> None:
    body = customers()
    del body["segmentations"]
    body["attributes"].append({"name": "shop", "valueType": "STRING"})
    created = (await api.post(CATEGORISED, json=body)).json()
    assert created["segmentations"] == []
    assert attribute(created, "shop")["type"] == "CUSTOM"


async def test_listed_and_readable_under_both_urls_by_id_and_by_name(
    api: httpx.AsyncClient, profile_table: dict[str, Any]
) -> None:
    for base in (CATEGORISED, UNCATEGORISED):
        assert (await api.get(base)).json() == {"profileTables": [profile_table]}
        for key in (profile_table["id"], "Customers"):
            assert (await api.get(f"{base}/{key}")).json() == profile_table


async def test_ids_come_from_one_licence_wide_counter(
    api: httpx.AsyncClient, customers: Customers
) -> None:
    first = (await api.post(CATEGORISED, json=customers())).json()
    other = "/v5/entities/B2B/profile-tables"
    second = (await api.post(other, json=customers())).json()
    third = (await api.post(CATEGORISED, json=customers(name="Prospects"))).json()
    assert [first["id"], second["id"], third["id"]] == ["1", "2", "3"]
    assert (await api.get(f"{CATEGORISED}/2")).status_code == 404  # B2B's table


async def test_technical_attributes_in_the_body_are_ignored(
    api: httpx.AsyncClient, customers: Customers
) -> None:
    body = customers()
    body["attributes"] += [
        {"type": "CUSTOM", "name": "profileId", "valueType": "STRING"},
        {"type": "CUSTOM", "name": "lastDevice", "valueType": "STRING"},
    ]
    created = (await api.post(CATEGORISED, json=body)).json()
    assert created["attributes"][:3] == TECHNICAL
    assert [a["name"] for a in created["attributes"]].count("profileId") == 1
    assert "lastDevice" not in [a["name"] for a in created["attributes"]]


async def test_unknown_tables_and_entities_get_404(api: httpx.AsyncClient) -> None:
    assert (await api.get(f"{CATEGORISED}/99")).status_code == 404
    answer = await api.get("/v5/entities/Nope/profile-tables")
    assert answer.status_code == 404
    assert answer.json()["message"] == "entity 'Nope' not found"
    missing = await api.post(f"{CATEGORISED}/Nope/change-requests", json={})
    assert missing.json()["message"] == "profile table 'Nope' not found in entity 'B2C'"


# -- create rules -----------------------------------------------------------------------------


def _attr(index: int, **changes: Any) -> Mutation:
    def mutate(body: dict[str, Any]) -> None:
        body["attributes"][index].update(changes)

    return mutate


def _add_attr(**attribute: Any) -> Mutation:
    return lambda body: body["attributes"].append(attribute)


def _segmentation(index: int, **changes: Any) -> Mutation:
    def mutate(body: dict[str, Any]) -> None:
        body["segmentations"][index].update(changes)

    return mutate


CREATE_VIOLATIONS: list[tuple[str, Mutation, str]] = [
    (
        "no-email-subscription",
        lambda b: b.update(subscriptions=[{"name": "Alerts", "channel": "SMS"}]),
        "at least one EMAIL subscription",
    ),
    ("no-subscriptions", lambda b: b.pop("subscriptions"), "at least one EMAIL subscription"),
    ("name-with-space", lambda b: b.update(name="My customers"), "not a technical name"),
    ("unknown-property", lambda b: b.update(description="x"), "unknown property 'description'"),
    ("attributes-not-a-list", lambda b: b.update(attributes={}), "attributes must be a list"),
    ("unknown-type", _attr(1, type="NICKNAME"), "type 'NICKNAME' is not CUSTOM nor a predefined"),
    ("custom-without-value-type", _add_attr(name="shop"), "valueType None is not one of"),
    (
        "predefined-with-value-type",
        _attr(1, valueType="STRING"),
        "a predefined FIRSTNAME attribute carries no valueType",
    ),
    (
        "predefined-with-multi-valued",
        _attr(0, multiValued=False),
        "a predefined EMAIL_ADDRESS attribute carries no multiValued",
    ),
    (
        "duplicate-attribute",
        _add_attr(name="age", valueType="LONG"),
        "attribute 'age' is defined twice",
    ),
    (
        "second-email-address",
        _add_attr(name="otherEmail", type="EMAIL_ADDRESS"),
        "attribute 'otherEmail': a second EMAIL_ADDRESS attribute",
    ),
    ("non-bool-flag", _attr(4, unique="yes"), "attribute 'age': unique must be true or false"),
    (
        "restriction-on-integer",
        _attr(4, valueRestriction={"maxLength": 3}),
        "only STRING attributes take a valueRestriction",
    ),
    (
        "subscription-channel",
        lambda b: b["subscriptions"].append({"name": "Fax", "channel": "FAX"}),
        "subscription 'Fax': channel 'FAX' is not one of EMAIL, SMS",
    ),
    (
        "subscription-twice",
        lambda b: b["subscriptions"].append({"name": "Newsletter", "channel": "EMAIL"}),
        "subscription 'Newsletter' is defined twice",
    ),
    (
        "subscription-name",
        lambda b: b["subscriptions"].append({"name": "News letter", "channel": "EMAIL"}),
        "subscriptions[2] must be an object whose name is a technical name",
    ),
    (
        "segmentation-type",
        _segmentation(0, type="MULTIPLE"),
        "segmentation 'VIP': type 'MULTIPLE' is not one of SIMPLE, EXCLUSIVE",
    ),
    (
        "simple-with-segments",
        _segmentation(0, segments=["A"]),
        "segmentation 'VIP': segments is only for EXCLUSIVE segmentations",
    ),
    (
        "exclusive-without-segments",
        _segmentation(1, segments=[]),
        "segmentation 'Level': segments must be a non-empty list of names",
    ),
    (
        "default-not-a-segment",
        _segmentation(1, defaultSegment="Platinum"),
        "defaultSegment 'Platinum' is not one of its segments",
    ),
    (
        "mandatory-without-default",
        _segmentation(1, defaultSegment=None),
        "a mandatory segmentation needs a defaultSegment",
    ),
    (
        "display-unknown-attribute",
        lambda b: b.update(displayOptions={"forAttributes": [{"name": "nope"}]}),
        "displayOptions.forAttributes[0]: 'nope' is not an attribute of the table",
    ),
    (
        "display-not-an-object",
        lambda b: b.update(displayOptions=[]),
        "displayOptions must be an object",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [pytest.param(m, msg, id=name) for name, m, msg in CREATE_VIOLATIONS],
)
async def test_create_rules_answer_400_with_a_message(
    api: httpx.AsyncClient, customers: Customers, mutate: Mutation, message: str
) -> None:
    body = customers()
    mutate(body)
    answer = await api.post(CATEGORISED, json=body)
    assert answer.status_code == 400, answer.text
    assert message in answer.json()["message"]
    assert answer.json()["message"].startswith("profile table")
    assert (await api.get(CATEGORISED)).json() == {"profileTables": []}


async def test_a_duplicate_name_gets_400(
    api: httpx.AsyncClient, customers: Customers, profile_table: dict[str, Any]
) -> None:
    answer = await api.post(UNCATEGORISED, json=customers())
    assert answer.status_code == 400
    assert answer.json()["message"] == (
        "profile table 'Customers': a table with this name already exists"
    )


# -- change requests --------------------------------------------------------------------------


def _drop(name: str) -> Mutation:
    def mutate(body: dict[str, Any]) -> None:
        body["attributes"] = [a for a in body["attributes"] if a["name"] != name]

    return mutate


def _named(name: str, **changes: Any) -> Mutation:
    def mutate(body: dict[str, Any]) -> None:
        attribute(body, name).update(changes)

    return mutate


CHANGE_VIOLATIONS: list[tuple[str, Mutation, str]] = [
    ("rename", lambda b: b.update(name="Clients"), "the name cannot be changed"),
    (
        "attribute-type",
        _named("firstName", type="LASTNAME"),
        "attribute 'firstName': type cannot be changed ('FIRSTNAME' → 'LASTNAME')",
    ),
    (
        "value-type",
        _named("age", valueType="LONG"),
        "attribute 'age': value type cannot be changed ('INTEGER' → 'LONG')",
    ),
    (
        "multi-valued",
        _named("interests", multiValued=False),
        "attribute 'interests': multiValued cannot be changed (True → False)",
    ),
    (
        "remove-accepted-value",
        _named("tier", valueRestriction={"acceptedValues": ["STD"]}),
        "accepted values cannot be removed ('GOLD')",
    ),
    (
        "max-length",
        _named("customerId", valueRestriction={"maxLength": 20}),
        "maxLength cannot be changed (12 → 20)",
    ),
    ("remove-email", _drop("emailAddress"), "attribute 'emailAddress' cannot be removed"),
    (
        "add-subscription",
        lambda b: b["subscriptions"].append({"name": "Promo", "channel": "EMAIL"}),
        "subscriptions can only be changed in the ACTITO UI (added: 'Promo')",
    ),
    (
        "remove-subscription",
        lambda b: b["subscriptions"].pop(),
        "subscriptions can only be changed in the ACTITO UI (removed: 'Alerts')",
    ),
    (
        "subscription-channel",
        lambda b: b["subscriptions"][1].update(channel="EMAIL"),
        "subscriptions can only be changed in the ACTITO UI (changed: 'Alerts')",
    ),
    (
        "rename-segmentation",
        _segmentation(0, name="Important"),
        "segmentations can only be changed in the ACTITO UI (added: 'Important'; removed: 'VIP')",
    ),
    (
        "add-segment",
        _segmentation(1, segments=["Bronze", "Silver", "Gold", "Platinum"]),
        "segmentations can only be changed in the ACTITO UI (changed: 'Level')",
    ),
    (
        "still-validated",
        _add_attr(name="shop"),
        "attribute 'shop': valueType None",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [pytest.param(m, msg, id=name) for name, m, msg in CHANGE_VIOLATIONS],
)
async def test_forbidden_changes_answer_400_and_change_nothing(
    api: httpx.AsyncClient, profile_table: dict[str, Any], mutate: Mutation, message: str
) -> None:
    body = stripped(profile_table)
    mutate(body)
    answer = await change(api, profile_table, body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["message"].startswith("profile table 'Customers': ")
    assert message in answer.json()["message"]
    assert (await api.get(f"{CATEGORISED}/{profile_table['id']}")).json() == profile_table


def _reorder_ui_objects(body: dict[str, Any]) -> None:
    body["subscriptions"].reverse()
    body["segmentations"].reverse()
    body["segmentations"][0]["segments"].reverse()


def _omit_ui_objects(body: dict[str, Any]) -> None:
    del body["subscriptions"]
    del body["segmentations"]


def _rewrite_technical(body: dict[str, Any]) -> None:
    body["attributes"][0]["valueType"] = "STRING"  # profileId: ignored, like on create
    del body["attributes"][1]


ALLOWED_CHANGES: list[tuple[str, Mutation]] = [
    ("add-attribute", _add_attr(type="CUSTOM", name="shop", valueType="STRING")),
    ("add-predefined", _add_attr(type="LASTNAME", name="lastName")),
    ("remove-attribute", _drop("age")),
    ("mandatory-on", _named("age", mandatory=True)),
    ("unique-on", _named("firstName", unique=True)),
    (
        "add-accepted-value",
        _named("tier", valueRestriction={"acceptedValues": ["STD", "GOLD", "VIP"]}),
    ),
    ("reorder-ui-objects", _reorder_ui_objects),
    ("omit-ui-objects", _omit_ui_objects),
    ("rewrite-technical", _rewrite_technical),
    (
        "display-options",
        lambda b: b.update(
            displayOptions={"forAttributes": [{"name": "customerId", "displayName": "Id"}]}
        ),
    ),
]


@pytest.mark.parametrize("mutate", [pytest.param(m, id=name) for name, m in ALLOWED_CHANGES])
async def test_allowed_changes_are_stored(
    api: httpx.AsyncClient, profile_table: dict[str, Any], mutate: Mutation
) -> None:
    body = stripped(profile_table)
    mutate(body)
    answer = await change(api, profile_table, body)
    assert answer.status_code == 200, answer.text
    changed = answer.json()
    assert changed["id"] == profile_table["id"]
    assert changed["attributes"][:3] == TECHNICAL
    # UI-only objects stay as stored, in their stored order.
    assert changed["subscriptions"] == profile_table["subscriptions"]
    assert changed["segmentations"] == profile_table["segmentations"]
    assert (await api.get(f"{UNCATEGORISED}/Customers")).json() == changed


async def test_sending_back_what_was_read_is_an_accepted_no_op(
    api: httpx.AsyncClient, profile_table: dict[str, Any]
) -> None:
    answer = await change(api, profile_table, stripped(profile_table))
    assert answer.json() == profile_table
