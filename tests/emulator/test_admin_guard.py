"""A web page cannot drive a local emulator: its admin surface answers only requests addressed
to the emulator (Host), from no other origin, and admin writes must be JSON requests (which a
page cannot send across origins without a preflight the emulator never grants)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from actito_iac.emulator.app import create_app
from actito_iac.emulator.server import running_server
from actito_iac.emulator.store import Store
from actito_iac.emulator.transport import in_process_transport

from .conftest import EMULATOR_KEY

FAULT = {"path": ".*", "status": 503, "count": 5}


@pytest.fixture
def store() -> Any:
    store = Store()
    yield store
    store.close()


def client(app: Any, base: str = "http://127.0.0.1:8787") -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=in_process_transport(app), base_url=base)


async def faults(app: Any) -> list[Any]:
    async with client(app) as admin:
        return list((await admin.get("/__emulator__/faults")).json()["faults"])


@pytest.mark.anyio
@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://attacker.example", "Content-Type": "text/plain"},
        {"Origin": "https://attacker.example", "Content-Type": "application/json"},
        {"Origin": "null", "Content-Type": "application/json"},
        {"Origin": "http://127.0.0.1:9999", "Content-Type": "application/json"},
        {"Host": "rebound.attacker.example:8787", "Content-Type": "application/json"},
        {"Host": "127.0.0.1.attacker.example", "Content-Type": "application/json"},
        {"Content-Type": "text/plain"},
        {"Content-Type": "application/x-www-form-urlencoded"},
        {"Content-Type": "multipart/form-data; boundary=x"},
        {"Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"},
    ],
    ids=[
        "cross-origin text/plain",
        "cross-origin JSON",
        "opaque origin",
        "another local port",
        "foreign host (DNS rebinding)",
        "look-alike host",
        "text/plain without origin",
        "form",
        "multipart",
        "cross-site fetch",
    ],
)
async def test_a_foreign_request_cannot_add_a_fault(
    store: Store, headers: dict[str, str]
) -> None:
    app = create_app(store, api_keys=[EMULATOR_KEY])
    async with client(app) as browser:
        answer = await browser.post(
            "/__emulator__/faults", content=b'{"path": ".*", "status": 503}', headers=headers
        )

    assert answer.status_code in (403, 415), answer.text
    assert "message" in answer.json()
    assert await faults(app) == []


@pytest.mark.anyio
async def test_a_foreign_host_cannot_read_the_state_either(store: Store) -> None:
    app = create_app(store, api_keys=[EMULATOR_KEY])
    async with client(app, "http://rebound.attacker.example:8787") as browser:
        assert (await browser.get("/__emulator__/state")).status_code == 403
        assert (await browser.post("/__emulator__/reset", json={})).status_code == 403


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("base", "origin"),
    [
        ("http://127.0.0.1:8787", None),
        ("http://127.0.0.1:8787", "http://127.0.0.1:8787"),
        ("http://localhost:8787", "http://localhost:8787"),
        ("http://[::1]:8787", None),
        ("http://127.0.0.1", None),
    ],
)
async def test_the_emulator_itself_and_local_tools_are_served(
    store: Store, base: str, origin: str | None
) -> None:
    app = create_app(store, api_keys=[EMULATOR_KEY])
    headers = {"Origin": origin} if origin else {}
    async with client(app, base) as tool:
        answer = await tool.post("/__emulator__/faults", json=FAULT, headers=headers)

    assert answer.status_code == 201, answer.text
    assert len(await faults(app)) == 1


@pytest.mark.anyio
async def test_the_address_it_was_bound_to_is_its_own(store: Store) -> None:
    app = create_app(store, api_keys=[EMULATOR_KEY], hosts=["10.1.2.3"])
    async with client(app, "http://10.1.2.3:8787") as tool:
        assert (await tool.post("/__emulator__/faults", json=FAULT)).status_code == 201
    async with client(app, "http://10.1.2.4:8787") as other:
        assert (await other.post("/__emulator__/faults", json=FAULT)).status_code == 403


@pytest.mark.anyio
async def test_the_api_itself_is_not_restricted(store: Store) -> None:
    """ACTITO's own API is called by tools from anywhere; only the admin surface is local."""
    app = create_app(store, api_keys=[EMULATOR_KEY])
    async with client(app, "http://some-proxy.example") as tool:
        answer = await tool.get("/auth/token", headers={"Authorization": EMULATOR_KEY})
    assert answer.status_code == 200


def test_over_real_http_a_cross_origin_form_post_is_refused(store: Store) -> None:
    app = create_app(store, api_keys=[EMULATOR_KEY])
    with running_server(app) as url:
        # What a page's <form method=post enctype=text/plain> sends to a local emulator.
        attack = httpx.post(
            f"{url}/__emulator__/faults",
            content=b'{"path": ".*", "status": 503, "count": 1000, "x": "="}',
            headers={"Origin": "https://attacker.example", "Content-Type": "text/plain"},
        )
        listed = httpx.get(f"{url}/__emulator__/faults").json()

    assert attack.status_code == 403
    assert listed == {"faults": []}
