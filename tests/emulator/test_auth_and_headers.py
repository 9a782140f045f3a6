"""Token exchange, bearer checks, expiry, and Accept negotiation."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from actito_iac.emulator.app import create_app
from actito_iac.emulator.gate import accepts_json

pytestmark = pytest.mark.anyio

KEY = "emulator-test-key-7c1d"  # the key the `emulator` fixture accepts

ENTITIES = "/entities/v5/entities"


async def token(raw: httpx.AsyncClient) -> str:
    answer = await raw.get("/auth/token", headers={"Authorization": KEY})
    assert answer.status_code == 200
    value = answer.json()["accessToken"]
    assert isinstance(value, str)
    return value


async def test_the_token_body_has_the_documented_shape(raw: httpx.AsyncClient) -> None:
    answer = await raw.get(
        "/auth/token", headers={"Authorization": KEY, "Accept": "application/json"}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"accessToken", "tokenType", "expiresIn", "scope", "jti"}
    assert body["tokenType"] == "bearer"
    assert body["expiresIn"] == "900s"
    assert body["scope"] == "read write"
    assert uuid.UUID(body["jti"]).version == 4
    assert KEY not in body["accessToken"]


async def test_each_exchange_gives_a_new_token(raw: httpx.AsyncClient) -> None:
    assert await token(raw) != await token(raw)


@pytest.mark.parametrize("header", [None, "wrong-key", f"Bearer {KEY}", ""])
async def test_an_unknown_key_gets_401_with_the_error_body(
    raw: httpx.AsyncClient, header: str | None
) -> None:
    headers = {} if header is None else {"Authorization": header}
    answer = await raw.get("/auth/token", headers=headers)
    assert answer.status_code == 401
    assert answer.json() == {
        "status": 401,
        "error": "Unauthorized",
        "message": "unknown API key",
    }


@pytest.mark.parametrize(
    "header",
    [None, "Bearer not-a-token", KEY, f"Basic {KEY}", "Bearer"],
    ids=["absent", "unknown-token", "raw-key", "basic", "empty-bearer"],
)
async def test_api_routes_need_a_valid_bearer_token(
    raw: httpx.AsyncClient, header: str | None
) -> None:
    headers = {} if header is None else {"Authorization": header}
    answer = await raw.get(ENTITIES, headers=headers)
    assert answer.status_code == 401
    assert answer.json()["status"] == 401


async def test_a_token_expires_after_its_lifetime(emulator: Any, raw: httpx.AsyncClient) -> None:
    headers = {"Authorization": f"Bearer {await token(raw)}"}
    emulator.clock.now += 899.9
    assert (await raw.get(ENTITIES, headers=headers)).status_code == 200
    emulator.clock.now += 0.1
    assert (await raw.get(ENTITIES, headers=headers)).status_code == 401
    fresh = {"Authorization": f"Bearer {await token(raw)}"}
    assert (await raw.get(ENTITIES, headers=fresh)).status_code == 200


async def test_the_token_lifetime_is_configurable(emulator: Any) -> None:
    app = create_app(emulator.store, api_keys=["k"], token_ttl=30, clock=emulator.clock)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1"
    ) as client:
        body = (await client.get("/auth/token", headers={"Authorization": "k"})).json()
        assert body["expiresIn"] == "30s"
        emulator.clock.now += 30
        headers = {"Authorization": f"Bearer {body['accessToken']}"}
        assert (await client.get(ENTITIES, headers=headers)).status_code == 401


async def test_several_keys_are_accepted(emulator: Any) -> None:
    app = create_app(emulator.store, api_keys=["first", "second"])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1"
    ) as client:
        for key in ("first", "second"):
            assert (await client.get("/auth/token", headers={"Authorization": key})).is_success
        assert (
            await client.get("/auth/token", headers={"Authorization": "third"})
        ).status_code == 401


async def test_a_non_json_accept_gets_406(api: httpx.AsyncClient) -> None:
    answer = await api.get(ENTITIES, headers={"Accept": "text/xml"})
    assert answer.status_code == 406
    assert answer.json()["error"] == "Not Acceptable"


async def test_the_token_route_also_checks_accept(raw: httpx.AsyncClient) -> None:
    headers = {"Authorization": KEY, "Accept": "application/xml"}
    assert (await raw.get("/auth/token", headers=headers)).status_code == 406


async def test_an_absent_accept_is_accepted(raw: httpx.AsyncClient) -> None:
    # httpx sends `Accept: */*` by default; remove it to really send none.
    request = raw.build_request("GET", ENTITIES)
    request.headers["Authorization"] = f"Bearer {await token(raw)}"
    del request.headers["Accept"]
    answer = await raw.send(request)
    assert answer.status_code == 200
    assert "accept" not in answer.request.headers


async def test_authentication_is_checked_before_accept(raw: httpx.AsyncClient) -> None:
    answer = await raw.get(ENTITIES, headers={"Accept": "text/xml"})
    assert answer.status_code == 401


@pytest.mark.parametrize(
    ("accept", "ok"),
    [
        ("application/json", True),
        ("application/json; charset=utf-8", True),
        ("Application/JSON", True),
        ("application/*", True),
        ("*/*", True),
        ("text/html, application/json;q=0.5", True),
        ("text/xml", False),
        ("application/xml", False),
        ("application/json;q=0", False),
        ("text/*", False),
    ],
)
def test_accept_header_compatibility(accept: str, ok: bool) -> None:
    assert accepts_json(accept) is ok
