"""Scenarios and forms in the emulator: read-only to the API (ACTITO designs them in its UI),
made by seeds and by the UI surface, under their rules — scenario states, an activated scenario
that cannot be modified, a form's structure behind a list of summaries."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from actito_iac.emulator.seed import SeedError, apply_seed

from .conftest import ORDERS, Emulator

pytestmark = pytest.mark.anyio

SCENARIOS = "/scenarios/v4/entity/B2C/table/{table}/scenario"
LEGACY_SCENARIOS = "/v4/entity/B2C/table/{table}/scenario"
FORMS = "/forms/v4/entity/B2C/form"
UI = "/__emulator__/ui/entities/B2C"

TABLES: dict[str, Any] = {
    "profileTables": [
        {
            "entity": "B2C",
            "definition": {
                "name": "Customers",
                "attributes": [
                    {
                        "type": "EMAIL_ADDRESS",
                        "name": "emailAddress",
                        "mandatory": True,
                        "unique": True,
                    },
                    {"type": "CUSTOM", "name": "tier", "valueType": "STRING"},
                ],
                "subscriptions": [{"name": "Newsletter", "channel": "EMAIL"}],
            },
        },
        {
            "entity": "B2C",
            "definition": {
                "name": "Prospects",
                "attributes": [
                    {
                        "type": "EMAIL_ADDRESS",
                        "name": "emailAddress",
                        "mandatory": True,
                        "unique": True,
                    }
                ],
                "subscriptions": [{"name": "Newsletter", "channel": "EMAIL"}],
            },
        },
    ],
    "customTables": [
        {
            "entity": "B2C",
            "definition": {
                **ORDERS,
                "eventsToTrigger": [
                    {"name": "order-shipped", "triggerRules": [{"onOperation": "UPDATE"}]}
                ],
            },
        }
    ],
}


def scenario(name: str = "shipping", **changes: Any) -> dict[str, Any]:
    body = {
        "name": name,
        "profileTable": "Customers",
        "state": "DRAFT",
        "start": {
            "type": "CUSTOM_TABLE_EVENT",
            "customTable": "Orders",
            "eventName": "order-shipped",
        },
    }
    body.update(changes)
    return body


def form(**changes: Any) -> dict[str, Any]:
    body = {
        "name": "signup",
        "displayName": "Sign up",
        "profileTable": "Customers",
        "questions": [
            {
                "name": "email",
                "type": "EMAIL",
                "mandatory": True,
                "enrichment": {"attribute": "emailAddress"},
            },
            {"name": "optIn", "type": "BOOLEAN", "enrichment": {"subscription": "Newsletter"}},
        ],
    }
    body.update(changes)
    return body


@pytest.fixture
def seeded(emulator: Emulator) -> Emulator:
    apply_seed(emulator.store, TABLES)
    return emulator


async def test_scenarios_are_listed_per_profile_table_without_its_id(
    seeded: Emulator, api: httpx.AsyncClient
) -> None:
    apply_seed(
        seeded.store,
        {
            "scenarios": [
                {"entity": "B2C", "definition": scenario()},
                {
                    "entity": "B2C",
                    "definition": scenario(
                        "welcome", profileTable="Prospects", start={"type": "START_BLOCK"}
                    ),
                },
            ]
        },
    )
    customers = (await api.get(SCENARIOS.format(table="Customers"))).json()["scenarios"]
    assert [s["name"] for s in customers] == ["shipping"]
    assert "profileTableId" not in customers[0]  # the client must not need it
    orders = seeded.store.find_object("B2C", "customTable", "Orders")
    assert orders is not None
    assert customers[0]["start"]["customTableId"] == orders["id"]
    legacy = (await api.get(LEGACY_SCENARIOS.format(table="Prospects"))).json()["scenarios"]
    assert [s["name"] for s in legacy] == ["welcome"]
    missing = await api.get(SCENARIOS.format(table="Nobody"))
    assert missing.status_code == 404
    assert "profile table 'Nobody' not found" in missing.json()["message"]


async def test_the_api_cannot_write_a_scenario_or_a_form(
    seeded: Emulator, api: httpx.AsyncClient
) -> None:
    assert (await api.post(SCENARIOS.format(table="Customers"), json=scenario())).status_code == 405
    assert (await api.post(FORMS, json=form())).status_code == 405
    apply_seed(seeded.store, {"forms": [{"entity": "B2C", "definition": form()}]})
    item = (await api.get(FORMS)).json()["forms"][0]["id"]
    assert (await api.put(f"{FORMS}/{item}", json=form())).status_code == 405
    assert (await api.delete(f"{FORMS}/{item}")).status_code == 405


async def test_a_form_list_gives_summaries_and_its_item_the_structure(
    seeded: Emulator, api: httpx.AsyncClient
) -> None:
    apply_seed(seeded.store, {"forms": [{"entity": "B2C", "definition": form()}]})
    [summary] = (await api.get(FORMS)).json()["forms"]
    assert set(summary) == {"id", "name", "displayName"}
    structure = (await api.get(f"/v4/entity/B2C/form/{summary['id']}")).json()
    table = seeded.store.find_object("B2C", "profileTable", "Customers")
    assert table is not None
    assert structure["profileTableId"] == table["id"]
    assert [q["enrichment"] for q in structure["questions"]] == [
        {"attribute": "emailAddress"},
        {"subscription": "Newsletter"},
    ]


async def test_the_ui_designs_a_scenario_then_an_activated_one_cannot_be_modified(
    seeded: Emulator, raw: httpx.AsyncClient
) -> None:
    created = await raw.put(f"{UI}/scenarios/shipping", json=scenario())
    assert created.status_code == 201, created.text
    edited = await raw.put(f"{UI}/scenarios/shipping", json=scenario(start={"type": "START_BLOCK"}))
    assert edited.status_code == 200, edited.text  # in definition: it may still change
    active = await raw.put(
        f"{UI}/scenarios/shipping", json=scenario(state="ACTIVE", start={"type": "START_BLOCK"})
    )
    assert active.json()["state"] == "ACTIVE"
    refused = await raw.put(f"{UI}/scenarios/shipping", json=scenario(state="ACTIVE"))
    assert refused.status_code == 400
    assert "has been activated: it cannot be modified" in refused.json()["message"]
    stopped = scenario(state="STOPPED", start={"type": "START_BLOCK"})
    assert (await raw.put(f"{UI}/scenarios/shipping", json=stopped)).status_code == 200
    again = await raw.put(f"{UI}/scenarios/shipping", json={**stopped, "state": "ACTIVE"})
    assert "state cannot go from STOPPED to ACTIVE" in again.json()["message"]
    assert (await raw.delete(f"{UI}/scenarios/shipping")).status_code == 204
    assert seeded.store.find_object("B2C", "scenario", "shipping") is None


async def test_a_scenario_starts_only_on_what_its_tables_have(
    seeded: Emulator, raw: httpx.AsyncClient
) -> None:
    no_event = scenario(
        start={"type": "CUSTOM_TABLE_EVENT", "customTable": "Orders", "eventName": "paid"}
    )
    answer = await raw.put(f"{UI}/scenarios/shipping", json=no_event)
    assert answer.status_code == 400
    assert "has no event 'paid' (events: order-shipped)" in answer.json()["message"]
    attribute = scenario(
        start={"type": "PROFILE_EVENT", "operation": "UPDATE", "attributes": ["age"]}
    )
    assert "has no attribute 'age'" in (await raw.put(f"{UI}/scenarios/x", json=attribute)).text
    subscribe = scenario(
        start={"type": "PROFILE_EVENT", "operation": "SUBSCRIBE", "subscription": "News"}
    )
    assert "has no subscription 'News'" in (await raw.put(f"{UI}/scenarios/x", json=subscribe)).text
    unknown = await raw.put(f"{UI}/scenarios/x", json=scenario(start={"type": "WEBHOOK"}))
    assert "start: type 'WEBHOOK' is not one of" in unknown.text


async def test_a_form_enriches_only_what_its_table_has_and_keeps_its_table(
    seeded: Emulator, raw: httpx.AsyncClient
) -> None:
    bad = form(questions=[{"name": "age", "type": "NUMBER", "enrichment": {"attribute": "age"}}])
    answer = await raw.put(f"{UI}/forms/signup", json=bad)
    assert answer.status_code == 400
    assert "profile table 'Customers' has no attribute 'age'" in answer.json()["message"]
    assert (await raw.put(f"{UI}/forms/signup", json=form())).status_code == 201
    moved = await raw.put(f"{UI}/forms/signup", json=form(profileTable="Prospects"))
    assert "profileTableId cannot be changed" in moved.json()["message"]
    assert (await raw.put(f"{UI}/nothing/x", json={})).status_code == 404


def test_a_seed_naming_a_table_that_does_not_exist_says_so(seeded: Emulator) -> None:
    with pytest.raises(SeedError, match=r"scenarios\[0\].*no such profile table"):
        apply_seed(
            seeded.store,
            {"scenarios": [{"entity": "B2C", "definition": scenario(profileTable="Nobody")}]},
        )
    # The field and the name as the seed writes them, never a made-up id.
    with pytest.raises(SeedError, match=r"forms\[0\].*profileTable 'Nobody': no such profile"):
        apply_seed(
            seeded.store, {"forms": [{"entity": "B2C", "definition": form(profileTable="Nobody")}]}
        )
