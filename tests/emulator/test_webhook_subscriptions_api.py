"""Webhook subscriptions in the emulator: `{"id"}` create answers, PUT, a paged list, and the
documented rules (HTTPS, event types, Content-Type ignored, declared UPDATE events)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from actito_iac.emulator.seed import SeedError, apply_seed

from .conftest import Emulator

pytestmark = pytest.mark.anyio

HOOKS = "/webhooks/v4/entity/B2C/webhookSubscription"
LEGACY_HOOKS = "/v4/entity/B2C/webhookSubscription"
ORDERS_TABLE: dict[str, Any] = {
    "name": "Orders",
    "type": "INTERACTIONS",
    "primaryKeyAttribute": "orderId",
    "attributes": [
        {"name": "orderId", "valueType": "STRING", "mandatory": True, "unique": True},
        {"name": "status", "valueType": "STRING"},
    ],
}


def hook(table: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = {
        "on": "PROFILE_TABLE",
        "onElementId": table["id"],
        "eventType": "CREATE",
        "onFields": ["emailAddress"],
        "targetUrl": "https://hooks.example.com/new",
        "headers": {"X-Token": "s3cret", "Content-Type": "text/plain"},
        "isActive": True,
    }
    body.update(changes)
    return body


async def test_a_subscription_is_created_answered_with_its_id_and_read_back(
    api: httpx.AsyncClient, profile_table: dict[str, Any]
) -> None:
    created = await api.post(HOOKS, json=hook(profile_table))
    assert created.status_code == 201
    assert created.json() == {"id": 1}  # [DOC] the create answer
    assert created.headers["location"].endswith(f"{HOOKS}/1")
    read = (await api.get(f"{LEGACY_HOOKS}/1")).json()
    assert read["headers"] == {"X-Token": "s3cret"}  # Content-Type is ignored [DOC]
    assert read["onElementId"] == str(profile_table["id"])
    assert (read["webhookPushType"], read["maxBlockSize"]) == ("ONE_BY_ONE", None)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"targetUrl": "http://hooks.example.com/new"}, "must be an https:// URL"),
        ({"onFields": ["shoeSize"]}, "has no attribute 'shoeSize'"),
        ({"eventType": "DELETED"}, "eventType 'DELETED' is not one of"),
        ({"onElementId": "999"}, "no PROFILE_TABLE with this id"),
        ({"maxBlockSize": 10}, "applies to BULK subscriptions only"),
        ({"secret": True}, "unknown property 'secret'"),
    ],
)
async def test_a_subscription_breaking_a_rule_is_refused_with_the_reason(
    api: httpx.AsyncClient, profile_table: dict[str, Any], changes: dict[str, Any], message: str
) -> None:
    refused = await api.post(HOOKS, json=hook(profile_table, **changes))
    assert refused.status_code == 400
    assert message in refused.json()["message"]


async def test_custom_table_update_events_must_be_declared_first(api: httpx.AsyncClient) -> None:
    tables = "/custom-table-structure/v5/entities/B2C/custom-tables"
    orders = (await api.post(tables, json=ORDERS_TABLE)).json()
    body = hook(orders, on="CUSTOM_TABLE", eventType="UPDATE", onFields=["status"])
    refused = await api.post(HOOKS, json=body)
    assert "declares no UPDATE event" in refused.json()["message"]
    event = {"name": "changed", "triggerRules": [{"onOperation": "UPDATE"}]}
    changed = {k: v for k, v in orders.items() if k != "id"} | {"eventsToTrigger": [event]}
    await api.post(f"{tables}/{orders['id']}/change-requests", json=changed)
    assert (await api.post(HOOKS, json=body)).status_code == 201
    profile_only = await api.post(
        HOOKS, json=hook(orders, on="CUSTOM_TABLE", eventType="UPDATED_SEGMENT", onFields=[])
    )
    assert "profile tables only" in profile_only.json()["message"]


async def test_put_replaces_the_subscription_but_not_what_is_fixed_at_creation(
    api: httpx.AsyncClient, profile_table: dict[str, Any]
) -> None:
    await api.post(HOOKS, json=hook(profile_table))
    body = hook(profile_table, onFields=[], isActive=False)
    del body["headers"]
    changed = await api.put(f"{HOOKS}/1", json=body)
    assert changed.status_code == 200
    assert (changed.json()["isActive"], changed.json()["headers"]) == (False, {})
    bulk = await api.put(f"{HOOKS}/1", json=hook(profile_table, webhookPushType="BULK"))
    assert bulk.status_code == 400
    assert "webhookPushType cannot be changed" in bulk.json()["message"]
    assert (await api.patch(f"{HOOKS}/1", json={"isActive": True})).status_code == 405


async def test_the_list_is_paged_from_page_zero(
    api: httpx.AsyncClient, profile_table: dict[str, Any]
) -> None:
    for number in range(5):
        await api.post(HOOKS, json=hook(profile_table, targetUrl=f"https://h.example/{number}"))
    first = (await api.get(HOOKS, params={"page": 0, "pageSize": 2})).json()
    last = (await api.get(HOOKS, params={"page": 2, "pageSize": 2})).json()
    assert [h["id"] for h in first["webhookSubscriptions"]] == [1, 2]
    assert (first["totalElements"], first["totalPages"], first["page"]) == (5, 3, 0)
    assert [h["id"] for h in last["webhookSubscriptions"]] == [5]
    assert (await api.get(HOOKS, params={"pageSize": 500})).status_code == 400


async def test_delete_answers_204_then_the_subscription_is_gone(
    api: httpx.AsyncClient, profile_table: dict[str, Any]
) -> None:
    await api.post(HOOKS, json=hook(profile_table))
    assert (await api.delete(f"{HOOKS}/1")).status_code == 204
    assert (await api.get(f"{HOOKS}/1")).status_code == 404
    assert (await api.delete(f"{HOOKS}/1")).status_code == 404


async def test_a_seed_names_the_table_and_seeds_each_subscription_once(
    emulator: Emulator, api: httpx.AsyncClient, profile_table: dict[str, Any]
) -> None:
    definition = {
        "on": "PROFILE_TABLE",
        "table": "Customers",
        "eventType": "UPDATE",
        "targetUrl": "https://hooks.example.com/u",
    }
    document = {"webhookSubscriptions": [{"entity": "B2C", "definition": definition}]}
    assert apply_seed(emulator.store, document).to_json()["webhookSubscriptions"] == 1
    assert apply_seed(emulator.store, document).to_json()["webhookSubscriptions"] == 0
    state = (await api.get("/__emulator__/state")).json()
    (seeded,) = state["objects"]["B2C"]["webhookSubscription"]
    assert seeded["onElementId"] == str(profile_table["id"])
    definition["table"] = "Nobody"
    with pytest.raises(SeedError, match="'Nobody': no PROFILE_TABLE by this name"):
        apply_seed(emulator.store, document)
