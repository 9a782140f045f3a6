"""The `/__emulator__/` surface, scripted faults, and the in-flight limit."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.anyio

ADMIN = "/__emulator__"
ENTITIES = "/entities/v5/entities"
CATEGORISED = "/custom-table-structure/v5/entities/B2C/custom-tables"


async def add_fault(client: httpx.AsyncClient, **fault: Any) -> None:
    answer = await client.post(f"{ADMIN}/faults", json=fault)
    assert answer.status_code == 201, answer.text


# -- in-flight limit --------------------------------------------------------------------------


async def test_more_than_five_requests_in_flight_get_429(
    api: httpx.AsyncClient, emulator: Any
) -> None:
    await add_fault(api, path="^/entities/", delay=0.3, count=100)
    answers = await asyncio.gather(*(api.get(ENTITIES) for _ in range(8)))
    statuses = [a.status_code for a in answers]
    assert sorted(statuses) == [200] * 5 + [429] * 3
    for answer in answers:
        if answer.status_code == 429:
            assert answer.headers["Retry-After"] == "1"
            assert answer.json()["error"] == "Too Many Requests"
    assert emulator.state.in_flight == 0
    await api.delete(f"{ADMIN}/faults")
    assert (await api.get(ENTITIES)).status_code == 200


async def test_the_limit_is_configurable(emulator: Any) -> None:
    from actito_iac.emulator.app import create_app

    app = create_app(emulator.store, api_keys=["k"], max_in_flight=2)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1"
    ) as client:
        token = (await client.get("/auth/token", headers={"Authorization": "k"})).json()
        client.headers["Authorization"] = f"Bearer {token['accessToken']}"
        await add_fault(client, path="entities", delay=0.2, count=10)
        answers = await asyncio.gather(*(client.get(ENTITIES) for _ in range(3)))
    assert sorted(a.status_code for a in answers) == [200, 200, 429]


async def test_admin_requests_are_not_counted(api: httpx.AsyncClient) -> None:
    await add_fault(api, path="^/entities/", delay=0.3, count=100)
    slow = [asyncio.ensure_future(api.get(ENTITIES)) for _ in range(5)]
    await asyncio.sleep(0.05)
    assert (await api.get(f"{ADMIN}/state")).status_code == 200
    assert [a.status_code for a in await asyncio.gather(*slow)] == [200] * 5


# -- faults -----------------------------------------------------------------------------------


async def test_a_fault_answers_once_then_requests_proceed(
    api: httpx.AsyncClient, orders: Callable[..., dict[str, Any]]
) -> None:
    await add_fault(api, method="POST", path="custom-tables$", status=503, retryAfter=7)
    assert (await api.get(CATEGORISED)).status_code == 200  # other method: untouched
    first = await api.post(CATEGORISED, json=orders())
    assert first.status_code == 503
    assert first.headers["Retry-After"] == "7"
    assert first.json() == {
        "status": 503,
        "error": "Service Unavailable",
        "message": "injected fault",
    }
    assert (await api.get(CATEGORISED)).json() == {"customTables": []}  # nothing was created
    assert (await api.post(CATEGORISED, json=orders())).status_code == 201
    assert (await api.get(f"{ADMIN}/faults")).json() == {"faults": []}


async def test_faults_are_consumed_in_order(api: httpx.AsyncClient) -> None:
    answer = await api.post(
        f"{ADMIN}/faults",
        json=[
            {"path": "entities", "status": 503, "count": 2},
            {"path": "entities", "status": 429},
        ],
    )
    assert answer.status_code == 201
    statuses = [(await api.get(ENTITIES)).status_code for _ in range(4)]
    assert statuses == [503, 503, 429, 200]


async def test_a_fault_without_retry_after_sends_no_header(api: httpx.AsyncClient) -> None:
    await add_fault(api, path="entities", status=500)
    answer = await api.get(ENTITIES)
    assert answer.status_code == 500
    assert "Retry-After" not in answer.headers


async def test_a_delay_only_fault_lets_the_request_through(api: httpx.AsyncClient) -> None:
    await add_fault(api, path="entities", delay=0.2, status=None)
    started = time.monotonic()
    answer = await api.get(ENTITIES)
    assert time.monotonic() - started >= 0.2
    assert answer.status_code == 200
    assert answer.json()["entities"]


async def test_faults_can_hit_the_token_route(raw: httpx.AsyncClient, emulator: Any) -> None:
    await add_fault(raw, method="GET", path="^/auth/token$", status=502)
    answer = await raw.get("/auth/token", headers={"Authorization": emulator.key})
    assert answer.status_code == 502


async def test_deleting_faults_clears_them(api: httpx.AsyncClient) -> None:
    await add_fault(api, path="entities", status=503, count=5)
    assert len((await api.get(f"{ADMIN}/faults")).json()["faults"]) == 1
    assert (await api.delete(f"{ADMIN}/faults")).status_code == 200
    assert (await api.get(ENTITIES)).status_code == 200


@pytest.mark.parametrize(
    "fault",
    [
        {"path": "("},
        {"path": "x", "status": 200},
        {"path": "x", "count": 0},
        {"path": "x", "delay": -1},
        {"path": "x", "status": "503"},
        {"path": "x", "colour": "red"},
        "not an object",
    ],
)
async def test_a_bad_fault_is_refused(api: httpx.AsyncClient, fault: Any) -> None:
    answer = await api.post(f"{ADMIN}/faults", json=fault)
    assert answer.status_code == 400
    assert answer.json()["message"]
    assert (await api.get(f"{ADMIN}/faults")).json() == {"faults": []}


# -- request log, state, seed, reset ----------------------------------------------------------


async def test_the_request_log_lists_method_path_status_in_order(
    raw: httpx.AsyncClient, api: httpx.AsyncClient
) -> None:
    await api.get(ENTITIES)
    await api.get("/v5/entities/Nope/custom-tables")
    await raw.get(ENTITIES)
    log = (await raw.get(f"{ADMIN}/requests")).json()["requests"]
    assert log == [
        {"method": "GET", "path": "/auth/token", "status": 200},
        {"method": "GET", "path": ENTITIES, "status": 200},
        {"method": "GET", "path": "/v5/entities/Nope/custom-tables", "status": 404},
        {"method": "GET", "path": ENTITIES, "status": 401},
    ]


async def test_the_request_log_never_holds_keys_or_tokens(
    raw: httpx.AsyncClient, emulator: Any
) -> None:
    token = (await raw.get("/auth/token", headers={"Authorization": emulator.key})).json()
    await raw.get(ENTITIES, headers={"Authorization": f"Bearer {token['accessToken']}"})
    await raw.get(f"{ENTITIES}?token={token['accessToken']}")
    await raw.get("/auth/token", headers={"Authorization": "wrong-key-value"})
    text = (await raw.get(f"{ADMIN}/requests")).text
    assert len(json.loads(text)["requests"]) == 4
    for secret in (emulator.key, token["accessToken"], "wrong-key-value"):
        assert secret not in text


async def test_state_dumps_the_store(raw: httpx.AsyncClient, created: dict[str, Any]) -> None:
    state = (await raw.get(f"{ADMIN}/state")).json()
    assert [e["name"] for e in state["entities"]] == ["B2C", "B2B"]
    assert state["objects"] == {"B2C": {"customTable": [created]}}


async def test_seeding_over_http_adds_entities_and_tables(
    raw: httpx.AsyncClient, api: httpx.AsyncClient, orders: Callable[..., dict[str, Any]]
) -> None:
    document = {
        "entities": [{"name": "B2C"}, {"name": "Retail"}],
        "customTables": [{"entity": "Retail", "definition": orders()}],
    }
    answer = await raw.post(f"{ADMIN}/seed", json=document)
    assert answer.status_code == 200
    assert answer.json()["added"] == {
        "entities": ["Retail"],
        "profileTables": [],
        "customTables": ["Retail/Orders"],
        "profiles": 0,
        "records": 0,
    }
    tables = (await api.get("/v5/entities/Retail/custom-tables")).json()["customTables"]
    assert [t["name"] for t in tables] == ["Orders"]


async def test_a_bad_seed_over_http_gets_400(raw: httpx.AsyncClient) -> None:
    answer = await raw.post(f"{ADMIN}/seed", json={"entities": [{"comment": "no name"}]})
    assert answer.status_code == 400
    assert "entities[0]: `name` must be a non-empty string" in answer.json()["message"]
    broken = await raw.post(
        f"{ADMIN}/seed", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400


async def test_reset_forgets_everything(
    raw: httpx.AsyncClient, api: httpx.AsyncClient, created: dict[str, Any]
) -> None:
    await add_fault(raw, path="nothing-matches-this", status=503)
    assert (await raw.post(f"{ADMIN}/reset", json={})).status_code == 200
    assert (await raw.get(f"{ADMIN}/state")).json() == {"entities": [], "objects": {}, "rows": {}}
    assert (await raw.get(f"{ADMIN}/faults")).json() == {"faults": []}
    assert (await raw.get(f"{ADMIN}/requests")).json() == {"requests": []}
    assert (await api.get(ENTITIES)).status_code == 401  # tokens are forgotten too


async def test_an_internal_error_is_a_json_500_and_is_logged(
    emulator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(emulator.store, "list_entities", broken)
    transport = httpx.ASGITransport(app=emulator.app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        token = (await client.get("/auth/token", headers={"Authorization": emulator.key})).json()
        answer = await client.get(
            ENTITIES, headers={"Authorization": f"Bearer {token['accessToken']}"}
        )
        log = (await client.get(f"{ADMIN}/requests")).json()["requests"]
    assert answer.status_code == 500
    assert answer.json() == {
        "status": 500,
        "error": "Internal Server Error",
        "message": "internal emulator error",
    }
    assert log[-1] == {"method": "GET", "path": ENTITIES, "status": 500}
    assert emulator.state.in_flight == 0
