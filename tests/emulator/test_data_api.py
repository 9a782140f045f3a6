"""Profiles and records over the API: upsert, get, list, delete, and write-time checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from actito_iac.emulator.seed import apply_seed

pytestmark = pytest.mark.anyio

PROFILE = "/v4/entity/B2C/table/Customers/profile"
PROFILES = "/v5/entities/B2C/profile-tables/Customers/profiles"
RECORD = "/custom-data/v4/entity/B2C/customTable/Orders/record"
ORDER_ID = "ORD-0000000000000001"


def profile(**values: Any) -> dict[str, Any]:
    return {"attributes": [{"name": k, "value": v} for k, v in values.items()]}


def record(**values: Any) -> dict[str, Any]:
    return {"properties": [{"name": k, "value": v} for k, v in values.items()]}


def order(order_id: str = ORDER_ID, **values: Any) -> dict[str, Any]:
    return record(orderId=order_id, orderMoment="2024-05-01T10:00:00Z", **values)


def as_dict(pairs: list[dict[str, Any]]) -> dict[str, Any]:
    return {p["name"]: p["value"] for p in pairs}


async def write(api: httpx.AsyncClient, body: Any, *, update: bool = False) -> httpx.Response:
    return await api.post(PROFILE, params={"allowUpdate": "true"} if update else {}, json=body)


# -- profiles ---------------------------------------------------------------------------------


async def test_a_profile_is_created_and_read_by_id_and_by_unique_value(
    api: httpx.AsyncClient, profile_table: dict[str, Any]
) -> None:
    first = await write(api, profile(emailAddress="ann@example.com", firstName="Ann", age=31))
    assert (first.status_code, first.json()) == (200, {"profileId": 1})
    second = await write(api, profile(emailAddress="bob@example.com"))
    assert second.json() == {"profileId": 2}

    read = (await api.get(f"{PROFILE}/1")).json()
    values = as_dict(read["attributes"])
    assert values["profileId"] == 1
    assert values["creationMoment"] == values["updateMoment"]
    assert values["creationMoment"].endswith("+00:00")
    assert (values["emailAddress"], values["firstName"], values["age"]) == (
        "ann@example.com",
        "Ann",
        31,
    )
    assert values["customerId"] is None  # every attribute is listed, null when empty
    assert [a["name"] for a in read["attributes"]] == [
        a["name"] for a in profile_table["attributes"]
    ]
    assert read["subscriptions"] == [
        {"name": "Newsletter", "subscribe": False},
        {"name": "Alerts", "subscribe": False},
    ]
    # A mandatory exclusive segmentation starts at its default segment.
    assert read["segmentations"] == [
        {"belongs": True, "segmentation": {"category": "Level", "name": "Bronze"}}
    ]
    for path in (f"{PROFILE}/emailAddress=ann@example.com", f"{PROFILE}/profileId=1"):
        assert (await api.get(path)).json() == read
    categorised = f"/profiles{PROFILE}/1"
    assert (await api.get(categorised)).json() == read
    by_id = f"/v4/entity/B2C/table/{profile_table['id']}/profile/1"
    assert (await api.get(by_id)).json() == read


async def test_allow_update_merges_into_the_profile_holding_the_email(
    api: httpx.AsyncClient, profile_table: dict[str, Any]
) -> None:
    await write(api, profile(emailAddress="ann@example.com", firstName="Ann", age=31))
    answer = await write(
        api, profile(emailAddress="ann@example.com", age=32, firstName=None), update=True
    )
    assert answer.json() == {"profileId": 1}
    values = as_dict((await api.get(f"{PROFILE}/1")).json()["attributes"])
    assert (values["age"], values["firstName"], values["emailAddress"]) == (
        32,
        None,
        "ann@example.com",
    )


async def test_allow_update_matches_any_unique_attribute_without_an_email(
    api: httpx.AsyncClient, profile_table: dict[str, Any]
) -> None:
    await write(api, profile(emailAddress="ann@example.com", customerId="C1"))
    answer = await write(api, profile(customerId="C1", tier="GOLD"), update=True)
    assert answer.json() == {"profileId": 1}
    assert as_dict((await api.get(f"{PROFILE}/customerId=C1")).json()["attributes"])["tier"] == (
        "GOLD"
    )


async def test_without_allow_update_a_taken_unique_value_is_refused(
    api: httpx.AsyncClient, profile_table: dict[str, Any]
) -> None:
    await write(api, profile(emailAddress="ann@example.com"))
    answer = await write(api, profile(emailAddress="ann@example.com"))
    assert answer.status_code == 400
    assert answer.json()["message"] == (
        "profile of table 'Customers': unique attribute 'emailAddress': "
        "'ann@example.com' is already used"
    )


async def test_subscriptions_and_segmentations_are_written_and_read_back(
    api: httpx.AsyncClient, profile_table: dict[str, Any]
) -> None:
    body = {
        **profile(emailAddress="ann@example.com"),
        "subscriptions": [{"name": "Newsletter", "subscribe": True}],
        "segmentations": [
            {"segmentation": {"name": "VIP"}, "belongs": True},
            {"category": "Level", "name": "Gold"},
        ],
    }
    await write(api, body)
    read = (await api.get(f"{PROFILE}/1")).json()
    assert read["subscriptions"][0] == {"name": "Newsletter", "subscribe": True}
    assert read["segmentations"] == [
        {"belongs": True, "segmentation": {"name": "VIP"}},
        {"belongs": True, "segmentation": {"category": "Level", "name": "Gold"}},
    ]
    leave = {
        **profile(emailAddress="ann@example.com"),
        "segmentations": [
            {"segmentation": {"name": "VIP"}, "belongs": False},
            {"segmentation": {"category": "Level", "name": "Gold"}, "belongs": False},
        ],
    }
    await write(api, leave, update=True)
    read = (await api.get(f"{PROFILE}/1")).json()
    assert read["segmentations"] == [  # back to the mandatory segmentation's default
        {"belongs": True, "segmentation": {"category": "Level", "name": "Bronze"}}
    ]
    assert read["subscriptions"][0]["subscribe"] is True  # untouched by the update


PROFILE_VIOLATIONS: list[tuple[str, Any, str]] = [
    ("not-an-object", [], "the body must be a JSON object"),
    ("unknown-section", {"attributes": [], "tags": []}, "unknown property 'tags'"),
    ("pairs-not-a-list", {"attributes": {}}, "attributes must be a list"),
    ("mandatory-missing", profile(firstName="Ann"), "mandatory attribute 'emailAddress'"),
    ("unknown-attribute", profile(emailAddress="a@b", shoeSize=42), "'shoeSize' is not an"),
    ("technical", profile(emailAddress="a@b", profileId=9), "generated by ACTITO"),
    ("type", profile(emailAddress="a@b", age="31"), "attribute 'age': '31' is not a whole"),
    ("type-bool", profile(emailAddress="a@b", age=True), "True is not a whole number"),
    ("predefined-type", profile(emailAddress=7), "7 is not a string"),
    ("accepted", profile(emailAddress="a@b", tier="VIP"), "'VIP' is not one of the accepted"),
    ("max-length", profile(emailAddress="a@b", customerId="C" * 13), "longer than 12"),
    ("multi-valued", profile(emailAddress="a@b", interests="ski"), "takes a list"),
    ("given-twice", {"attributes": [{"name": "age", "value": 1}] * 2}, "'age' is given twice"),
    (
        "unknown-subscription",
        {**profile(emailAddress="a@b"), "subscriptions": [{"name": "Promo", "subscribe": True}]},
        "unknown subscription 'Promo'",
    ),
    (
        "subscription-state",
        {**profile(emailAddress="a@b"), "subscriptions": [{"name": "Alerts", "subscribe": 1}]},
        "subscriptions[0] must be {name, subscribe: bool}",
    ),
    (
        "unknown-segmentation",
        {**profile(emailAddress="a@b"), "segmentations": [{"name": "Fans"}]},
        "unknown segmentation 'Fans'",
    ),
    (
        "exclusive-without-category",
        {**profile(emailAddress="a@b"), "segmentations": [{"name": "Level"}]},
        "segmentation 'Level' is EXCLUSIVE: name one of its segments with category 'Level'",
    ),
    (
        "unknown-segment",
        {**profile(emailAddress="a@b"), "segmentations": [{"category": "Level", "name": "Tin"}]},
        "'Tin' is not a segment of 'Level'",
    ),
]


@pytest.mark.parametrize(
    ("body", "message"), [pytest.param(b, m, id=name) for name, b, m in PROFILE_VIOLATIONS]
)
async def test_profile_writes_are_checked_against_the_structure(
    api: httpx.AsyncClient, profile_table: dict[str, Any], body: Any, message: str
) -> None:
    answer = await write(api, body, update=True)
    assert answer.status_code == 400, answer.text
    assert message in answer.json()["message"]
    assert (await api.get(PROFILES)).json() == {"profiles": []}


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        (f"{PROFILE}/7", 404, "no profile '7' in profile table 'Customers'"),
        (f"{PROFILE}/emailAddress=nobody@example.com", 404, "no profile"),
        (f"{PROFILE}/firstName=Ann", 400, "'firstName' is not a unique attribute"),
        (f"{PROFILE}/profileId=one", 404, "no profile"),
        ("/v4/entity/B2C/table/Prospects/profile/1", 404, "profile table 'Prospects' not found"),
    ],
)
async def test_unknown_profiles_and_bad_lookups(
    api: httpx.AsyncClient, profile_table: dict[str, Any], path: str, status: int, message: str
) -> None:
    answer = await api.get(path)
    assert answer.status_code == status
    assert message in answer.json()["message"]


async def test_profiles_are_listed_with_their_attributes(
    api: httpx.AsyncClient, profile_table: dict[str, Any]
) -> None:
    for name in ("ann", "bob", "cat"):
        await write(api, profile(emailAddress=f"{name}@example.com"))
    listed = (await api.get(PROFILES)).json()["profiles"]
    assert [p["attributes"]["emailAddress"] for p in listed] == [
        "ann@example.com",
        "bob@example.com",
        "cat@example.com",
    ]
    assert listed[0]["attributes"]["profileId"] == 1
    limited = (await api.get(f"/profiles{PROFILES}", params={"number": 2})).json()["profiles"]
    assert len(limited) == 2


# -- records ----------------------------------------------------------------------------------


async def test_a_record_is_created_read_updated_listed_and_deleted(
    api: httpx.AsyncClient, created: dict[str, Any]
) -> None:
    answer = await api.post(RECORD, json=order(amount=12.5, status="NEW"))
    assert (answer.status_code, answer.json()) == (200, {"businessKey": ORDER_ID})
    read = (await api.get(f"{RECORD}/{ORDER_ID}")).json()
    assert read == {
        "properties": [
            {"name": "orderId", "value": ORDER_ID},
            {"name": "orderMoment", "value": "2024-05-01T10:00:00Z"},
            {"name": "amount", "value": 12.5},
            {"name": "status", "value": "NEW"},
        ]
    }
    # Create-or-update merges: the properties left out keep their values.
    await api.post(RECORD, json=record(orderId=ORDER_ID, status="SHIPPED"))
    assert as_dict((await api.get(f"{RECORD}/{ORDER_ID}")).json()["properties"])["amount"] == 12.5
    await api.post(RECORD, json=order("ORD-0000000000000002", status="NEW"))
    listed = (await api.get(RECORD)).json()["records"]
    assert [as_dict(r["properties"])["status"] for r in listed] == ["SHIPPED", "NEW"]

    deleted = await api.delete(f"/v4/entity/B2C/customTable/{created['id']}/record/{ORDER_ID}")
    assert (deleted.status_code, deleted.json()) == (200, {"businessKey": ORDER_ID})
    assert (await api.get(f"{RECORD}/{ORDER_ID}")).status_code == 404
    assert (await api.delete(f"{RECORD}/{ORDER_ID}")).status_code == 404
    assert len((await api.get(RECORD)).json()["records"]) == 1


async def test_put_changes_only_the_listed_properties_of_an_existing_record(
    api: httpx.AsyncClient, created: dict[str, Any]
) -> None:
    """`PUT …/record/{r}`: a partial update [CODE]; it never creates, nor moves the key."""
    await api.post(RECORD, json=order(amount=12.5, status="NEW"))
    answer = await api.put(f"{RECORD}/{ORDER_ID}", json=record(status="SHIPPED"))
    assert (answer.status_code, answer.json()) == (200, {"businessKey": ORDER_ID})
    values = as_dict((await api.get(f"{RECORD}/{ORDER_ID}")).json()["properties"])
    assert (values["status"], values["amount"]) == ("SHIPPED", 12.5)
    cleared = await api.put(f"{RECORD}/{ORDER_ID}", json=record(amount=None))
    assert cleared.status_code == 200
    assert as_dict((await api.get(f"{RECORD}/{ORDER_ID}")).json()["properties"])["amount"] is None

    missing = await api.put(f"{RECORD}/ORD-0000000000000009", json=record(status="NEW"))
    assert missing.status_code == 404
    assert len((await api.get(RECORD)).json()["records"]) == 1
    moved = await api.put(f"{RECORD}/{ORDER_ID}", json=record(orderId="ORD-0000000000000003"))
    assert moved.status_code == 400
    assert "cannot change" in moved.json()["message"]
    refused = await api.put(f"{RECORD}/{ORDER_ID}", json=record(status="LOST"))
    assert refused.status_code == 400
    assert "not one of the accepted values" in refused.json()["message"]
    mandatory = await api.put(f"{RECORD}/{ORDER_ID}", json=record(orderMoment=None))
    assert mandatory.status_code == 400
    assert "mandatory attribute 'orderMoment'" in mandatory.json()["message"]


async def test_records_are_searched_by_field(
    api: httpx.AsyncClient, created: dict[str, Any]
) -> None:
    for index, status in enumerate(["NEW", "SHIPPED", "NEW"]):
        await api.post(
            RECORD, json=order(f"ORD-000000000000000{index}", status=status, amount=index)
        )
    found = (await api.get(RECORD, params={"searchField": "status", "searchValue": "NEW"})).json()
    assert [as_dict(r["properties"])["orderId"][-1] for r in found["records"]] == ["0", "2"]
    by_number = await api.get(RECORD, params={"searchField": "amount", "searchValue": "1"})
    assert len(by_number.json()["records"]) == 1
    bad = await api.get(RECORD, params={"searchField": "colour", "searchValue": "red"})
    assert bad.status_code == 400
    alone = await api.get(RECORD, params={"searchField": "status"})
    assert alone.status_code == 400


async def test_a_numeric_business_key_is_answered_as_text(
    api: httpx.AsyncClient, orders: Callable[..., dict[str, Any]]
) -> None:
    stores = {
        "name": "Stores",
        "type": "REPOSITORY",
        "primaryKeyAttribute": "storeId",
        "attributes": [{"name": "storeId", "valueType": "LONG", "mandatory": True, "unique": True}],
    }
    await api.post("/v5/entities/B2C/custom-tables", json=stores)
    path = "/v4/entity/B2C/customTable/Stores/record"
    assert (await api.post(path, json=record(storeId=42))).json() == {"businessKey": "42"}
    assert (await api.get(f"{path}/42")).json() == {
        "properties": [{"name": "storeId", "value": 42}]
    }


RECORD_VIOLATIONS: list[tuple[str, Any, str]] = [
    ("shape", {"values": []}, 'the body must be {"properties": [{name, value}…]}'),
    ("no-primary-key", record(amount=3), "the primary key attribute 'orderId' needs a value"),
    ("mandatory", record(orderId=ORDER_ID), "mandatory attribute 'orderMoment' has no value"),
    ("unknown", order(colour="red"), "attribute 'colour' is not an attribute of the table"),
    ("type", order(amount="12"), "attribute 'amount': '12' is not a number"),
    ("accepted", order(status="LOST"), "'LOST' is not one of the accepted values"),
    ("min-length", order("ORD-1"), "'ORD-1' is shorter than 20 characters"),
    ("max-length", order("ORD-" + "0" * 17), "is longer than 20 characters"),
    ("moment-type", record(orderId=ORDER_ID, orderMoment=1714557600), "is not a string"),
]


@pytest.mark.parametrize(
    ("body", "message"), [pytest.param(b, m, id=name) for name, b, m in RECORD_VIOLATIONS]
)
async def test_record_writes_are_checked_against_the_structure(
    api: httpx.AsyncClient, created: dict[str, Any], body: Any, message: str
) -> None:
    answer = await api.post(RECORD, json=body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["message"].startswith("record of table 'Orders': ")
    assert message in answer.json()["message"]
    assert (await api.get(RECORD)).json() == {"records": []}


async def test_a_unique_attribute_is_unique_across_records(
    api: httpx.AsyncClient, orders: Callable[..., dict[str, Any]]
) -> None:
    body = orders()
    body["attributes"].append({"name": "invoice", "valueType": "STRING", "unique": True})
    await api.post("/v5/entities/B2C/custom-tables", json=body)
    await api.post(RECORD, json=order(invoice="INV-1"))
    again = await api.post(RECORD, json=order(invoice="INV-1"))  # same record: fine
    assert again.status_code == 200
    clash = await api.post(RECORD, json=order("ORD-0000000000000002", invoice="INV-1"))
    assert clash.status_code == 400
    assert "unique attribute 'invoice': 'INV-1' is already used" in clash.json()["message"]


async def test_records_of_an_unknown_table_get_404(api: httpx.AsyncClient) -> None:
    answer = await api.get(RECORD)
    assert answer.status_code == 404
    assert answer.json()["message"] == "custom table 'Orders' not found in entity 'B2C'"


# -- list sizes -------------------------------------------------------------------------------


async def test_lists_answer_100_rows_by_default_and_number_at_most(
    api: httpx.AsyncClient, emulator: Any, orders: Callable[..., dict[str, Any]]
) -> None:
    rows = [{"orderId": f"ORD-{n:016d}", "orderMoment": "2024-05-01T10:00:00Z"} for n in range(150)]
    apply_seed(
        emulator.store,
        {
            "customTables": [{"entity": "B2C", "definition": orders()}],
            "records": [{"entity": "B2C", "table": "Orders", "rows": rows}],
        },
    )
    assert len((await api.get(RECORD)).json()["records"]) == 100
    assert len((await api.get(RECORD, params={"number": 150})).json()["records"]) == 150
    assert len((await api.get(RECORD, params={"number": 10_000})).json()["records"]) == 150
    first = (await api.get(RECORD, params={"number": 1})).json()["records"]
    assert as_dict(first[0]["properties"])["orderId"] == "ORD-0000000000000000"


@pytest.mark.parametrize("number", ["0", "10001", "ten", "-5"])
async def test_a_bad_number_gets_400(
    api: httpx.AsyncClient, created: dict[str, Any], profile_table: dict[str, Any], number: str
) -> None:
    for path in (RECORD, PROFILES):
        answer = await api.get(path, params={"number": number})
        assert answer.status_code == 400
        assert answer.json()["message"] == "number must be a whole number from 1 to 10000"
