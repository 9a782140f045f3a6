"""Custom actions in the emulator: a 201 without a body (named by Location), PATCH semantics,
and their inferred rules (unique technical name, HTTPS, parameter types fixed)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from actito_iac.emulator.seed import SeedError, apply_seed

from .conftest import Emulator

pytestmark = pytest.mark.anyio

ACTIONS = "/scenarios/v5/entities/B2C/custom-actions"
LEGACY_ACTIONS = "/v5/entities/B2C/custom-actions"


def action(**changes: Any) -> dict[str, Any]:
    body = {
        "name": "sendPoints",
        "label": "Send points",
        "url": "https://loyalty.example.com/points",
        "headers": {"Authorization": "Bearer x"},
        "parameters": [{"name": "points", "type": "INTEGER", "mandatory": True}],
    }
    body.update(changes)
    return body


async def test_a_custom_action_is_created_with_no_body_and_named_by_location(
    api: httpx.AsyncClient,
) -> None:
    created = await api.post(ACTIONS, json=action())
    assert created.status_code == 201
    assert created.content == b""
    new_id = created.headers["location"].rsplit("/", 1)[1]
    read = (await api.get(f"{LEGACY_ACTIONS}/{new_id}")).json()
    assert (read["name"], read["method"], read["isActive"]) == ("sendPoints", "POST", True)
    listed = (await api.get(ACTIONS)).json()
    assert [a["id"] for a in listed["customActions"]] == [new_id]
    twice = await api.post(ACTIONS, json=action())
    assert twice.status_code == 400
    assert "already exists" in twice.json()["message"]


async def test_patch_keeps_what_it_omits_and_clears_what_it_sends_as_null(
    api: httpx.AsyncClient,
) -> None:
    created = await api.post(ACTIONS, json=action(description="Adds points"))
    item = created.headers["location"].rsplit("/", 1)[1]
    changed = await api.patch(f"{ACTIONS}/{item}", json={"label": "Points", "description": None})
    assert changed.status_code == 200
    body = changed.json()
    assert (body["label"], body["description"], body["url"]) == (
        "Points",
        None,
        "https://loyalty.example.com/points",
    )
    retyped = [{"name": "points", "type": "STRING"}]
    refused = await api.patch(f"{ACTIONS}/{item}", json={"parameters": retyped})
    assert "the type cannot be changed (INTEGER → STRING)" in refused.json()["message"]
    assert (await api.put(f"{ACTIONS}/{item}", json=action())).status_code == 405


async def test_a_seed_holds_custom_actions_once_through_the_rules(
    emulator: Emulator, api: httpx.AsyncClient
) -> None:
    document = {"customActions": [{"entity": "B2C", "definition": action()}]}
    assert apply_seed(emulator.store, document).to_json()["customActions"] == 1
    assert apply_seed(emulator.store, document).to_json()["customActions"] == 0
    state = (await api.get("/__emulator__/state")).json()
    assert [a["name"] for a in state["objects"]["B2C"]["customAction"]] == ["sendPoints"]
    document["customActions"][0]["definition"] = action(name="other", url="http://x.example")
    with pytest.raises(SeedError, match="must be an https:// URL"):
        apply_seed(emulator.store, document)
