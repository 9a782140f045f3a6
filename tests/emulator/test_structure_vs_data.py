"""Change requests measured against the rows a table holds, for both table families:
unique, accepted values and mandatory refused with a count when the data is in the way,
allowed when it complies; removing an attribute drops its values."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from actito_iac.emulator.seed import apply_seed

pytestmark = pytest.mark.anyio

CUSTOM_TABLES = "/custom-table-structure/v5/entities/B2C/custom-tables"
PROFILE_TABLES = "/profile-table-structure/v5/entities/B2C/profile-tables"
RECORD = "/custom-data/v4/entity/B2C/customTable/Orders/record"
Mutation = Callable[[dict[str, Any]], None]


def stripped(stored: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(stored)
    del body["id"]
    return body


def _named(name: str, **changes: Any) -> Mutation:
    def mutate(body: dict[str, Any]) -> None:
        next(a for a in body["attributes"] if a["name"] == name).update(changes)

    return mutate


def _add(**attribute: Any) -> Mutation:
    return lambda body: body["attributes"].append(attribute)


def _order(n: int, **values: Any) -> dict[str, Any]:
    return {"orderId": f"ORD-{n:016d}", "orderMoment": "2024-05-01T10:00:00Z", **values}


@pytest.fixture
def orders_with_rows(emulator: Any, orders: Callable[..., dict[str, Any]]) -> Callable[..., None]:
    """Seed Orders (plus a free-text `channel`) with the given rows."""

    def seed(*rows: dict[str, Any]) -> None:
        table = orders()
        table["attributes"].append({"name": "channel", "valueType": "STRING"})
        apply_seed(
            emulator.store,
            {
                "customTables": [{"entity": "B2C", "definition": table}],
                "records": [{"entity": "B2C", "table": "Orders", "rows": list(rows)}],
            },
        )

    return seed


async def change_orders(api: httpx.AsyncClient, mutate: Mutation) -> httpx.Response:
    stored = (await api.get(f"{CUSTOM_TABLES}/Orders")).json()
    body = stripped(stored)
    mutate(body)
    return await api.post(f"{CUSTOM_TABLES}/Orders/change-requests", json=body)


RECORD_CONFLICTS: list[tuple[str, Mutation, str]] = [
    (
        "unique-with-duplicates",
        _named("channel", unique=True),
        "attribute 'channel' cannot be made unique: 2 values are shared by several records",
    ),
    (
        "accepted-values-with-other-values",
        _named("channel", valueRestriction={"acceptedValues": ["WEB"]}),
        "attribute 'channel': the accepted values do not cover the data: "
        "3 records hold another value",
    ),
    (
        "mandatory-with-empty-rows",
        _named("amount", mandatory=True),
        "attribute 'amount' cannot be made mandatory: 1 record has no value",
    ),
    (
        "new-mandatory-attribute",
        _add(name="carrier", valueType="STRING", mandatory=True),
        "attribute 'carrier' cannot be added as mandatory: 6 records have no value",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [pytest.param(m, msg, id=name) for name, m, msg in RECORD_CONFLICTS],
)
async def test_a_change_the_records_do_not_comply_with_gets_400_with_a_count(
    api: httpx.AsyncClient, orders_with_rows: Callable[..., None], mutate: Mutation, message: str
) -> None:
    orders_with_rows(
        _order(1, channel="WEB", amount=1),
        _order(2, channel="WEB", amount=2),
        _order(3, channel="SHOP", amount=3),
        _order(4, channel="SHOP", amount=4),
        _order(5, channel="MAIL", amount=5),
        _order(6),
    )
    before = (await api.get(f"{CUSTOM_TABLES}/Orders")).json()
    answer = await change_orders(api, mutate)
    assert answer.status_code == 400, answer.text
    assert answer.json()["message"] == f"table 'Orders': {message}"
    assert (await api.get(f"{CUSTOM_TABLES}/Orders")).json() == before


RECORD_COMPLIANT: list[tuple[str, Mutation]] = [
    ("unique-with-distinct-values", _named("channel", unique=True)),
    (
        "accepted-values-covering-the-data",
        _named("channel", valueRestriction={"acceptedValues": ["WEB", "SHOP", "MAIL"]}),
    ),
    ("mandatory-with-full-rows", _named("amount", mandatory=True)),
    ("optional-attribute", _add(name="carrier", valueType="STRING")),
]


@pytest.mark.parametrize("mutate", [pytest.param(m, id=name) for name, m in RECORD_COMPLIANT])
async def test_a_change_the_records_comply_with_is_applied(
    api: httpx.AsyncClient, orders_with_rows: Callable[..., None], mutate: Mutation
) -> None:
    orders_with_rows(
        _order(1, channel="WEB", amount=1),
        _order(2, channel="SHOP", amount=2),
        _order(3, amount=3),  # no channel: nothing to duplicate nor to refuse
    )
    answer = await change_orders(api, mutate)
    assert answer.status_code == 200, answer.text


async def test_removing_an_attribute_drops_its_values(
    api: httpx.AsyncClient, orders_with_rows: Callable[..., None]
) -> None:
    orders_with_rows(_order(1, channel="WEB"), _order(2, channel="SHOP"))
    drop = await change_orders(
        api, lambda b: b.update(attributes=[a for a in b["attributes"] if a["name"] != "channel"])
    )
    assert drop.status_code == 200
    read = (await api.get(f"{RECORD}/ORD-0000000000000001")).json()
    assert "channel" not in [p["name"] for p in read["properties"]]
    # Added back, the attribute is empty: the old values are gone for good.
    back = await change_orders(api, _add(name="channel", valueType="STRING", mandatory=True))
    assert back.status_code == 400
    assert "2 records have no value" in back.json()["message"]
    await change_orders(api, _add(name="channel", valueType="STRING"))
    read = (await api.get(f"{RECORD}/ORD-0000000000000001")).json()
    assert {"name": "channel", "value": None} in read["properties"]


# -- profile tables ---------------------------------------------------------------------------


@pytest.fixture
def customers_with_rows(
    emulator: Any, customers: Callable[..., dict[str, Any]]
) -> Callable[..., None]:
    def seed(*rows: dict[str, Any]) -> None:
        apply_seed(
            emulator.store,
            {
                "profileTables": [{"entity": "B2C", "definition": customers()}],
                "profiles": [{"entity": "B2C", "table": "Customers", "rows": list(rows)}],
            },
        )

    return seed


async def change_customers(api: httpx.AsyncClient, mutate: Mutation) -> httpx.Response:
    stored = (await api.get(f"{PROFILE_TABLES}/Customers")).json()
    body = stripped(stored)
    mutate(body)
    return await api.post(f"{PROFILE_TABLES}/{stored['id']}/change-requests", json=body)


PROFILE_CASES: list[tuple[str, Mutation, str | None]] = [
    (
        "unique-with-duplicates",
        _named("firstName", unique=True),
        "attribute 'firstName' cannot be made unique: 1 value is shared by several profiles",
    ),
    (
        "accepted-values",
        _named("tier", valueRestriction={"acceptedValues": ["STD", "GOLD", "VIP"]}),
        None,
    ),
    (
        "multi-valued-accepted-values",
        _named("interests", valueRestriction={"acceptedValues": ["SKI"]}),
        "attribute 'interests': the accepted values do not cover the data: "
        "1 profile holds another value",
    ),
    (
        "mandatory-with-empty-profiles",
        _named("age", mandatory=True),
        "attribute 'age' cannot be made mandatory: 2 profiles have no value",
    ),
    ("unique-on-distinct-values", _named("age", unique=True), None),
    (
        "new-mandatory-attribute",
        _add(type="LASTNAME", name="lastName", mandatory=True),
        "attribute 'lastName' cannot be added as mandatory: 3 profiles have no value",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [pytest.param(m, msg, id=name) for name, m, msg in PROFILE_CASES],
)
async def test_profile_table_changes_are_measured_against_the_profiles(
    api: httpx.AsyncClient,
    customers_with_rows: Callable[..., None],
    mutate: Mutation,
    message: str | None,
) -> None:
    customers_with_rows(
        {"emailAddress": "ann@example.com", "firstName": "Sam", "age": 30, "interests": ["SKI"]},
        {"emailAddress": "bob@example.com", "firstName": "Sam", "interests": ["SKI", "GOLF"]},
        {"emailAddress": "cat@example.com", "tier": "GOLD"},
    )
    answer = await change_customers(api, mutate)
    if message is None:
        assert answer.status_code == 200, answer.text
    else:
        assert answer.status_code == 400, answer.text
        assert answer.json()["message"] == f"profile table 'Customers': {message}"


async def test_removing_a_profile_attribute_drops_its_values(
    api: httpx.AsyncClient, customers_with_rows: Callable[..., None]
) -> None:
    customers_with_rows({"emailAddress": "ann@example.com", "firstName": "Ann", "age": 30})
    answer = await change_customers(
        api, lambda b: b.update(attributes=[a for a in b["attributes"] if a["name"] != "age"])
    )
    assert answer.status_code == 200
    listed = (await api.get("/v5/entities/B2C/profile-tables/Customers/profiles")).json()
    (only,) = listed["profiles"]
    assert "age" not in only["attributes"]
    assert only["attributes"]["firstName"] == "Ann"
    assert only["attributes"]["profileId"] == 1
