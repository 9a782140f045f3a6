"""Requests as sent, answers as returned, failures as typed errors, secrets kept out."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from actito_iac import __version__
from actito_iac.api.client import ActitoClient
from actito_iac.api.errors import (
    ApiError,
    ConnectionFailed,
    NotFound,
    PermissionDenied,
    RequestRejected,
    ServerError,
    UnexpectedResponse,
)
from actito_iac.errors import ConfigError
from actito_iac.secrets import Secret

from .conftest import API_KEY, BASE_URL, reply

pytestmark = pytest.mark.anyio

TABLES = "/custom-table-structure/v5/entities/B2C/custom-tables"


def last_call(fake, path: str) -> httpx.Request:
    return [r for r in fake.requests if r.url.path == path][-1]


async def test_every_call_carries_the_standard_headers(fake, make_client) -> None:
    async with make_client() as client:
        await client.get("/entities/v5/entities")
    for request in fake.requests:
        assert request.headers["Accept"] == "application/json"
        assert request.headers["User-Agent"] == f"actito-iac/{__version__}"
    call = last_call(fake, "/entities/v5/entities")
    assert call.headers["Authorization"] == f"Bearer {fake.issued[0]}"
    assert "Content-Type" not in call.headers
    assert str(call.url) == f"{BASE_URL}/entities/v5/entities"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
async def test_bodies_are_sent_as_json(fake, make_client, method) -> None:
    body = {"name": "Orders", "attributes": [{"name": "é", "valueType": "STRING"}]}
    async with make_client() as client:
        await getattr(client, method.lower())(TABLES, json=body)
    call = last_call(fake, TABLES)
    assert call.method == method
    assert call.headers["Content-Type"] == "application/json"
    assert json.loads(call.content) == body


async def test_query_parameters(fake, make_client) -> None:
    async with make_client() as client:
        await client.get(TABLES, params={"fields": "name"})
    assert last_call(fake, TABLES).url.params["fields"] == "name"


async def test_base_url_with_a_path_prefix() -> None:
    seen: list[str] = []

    def gateway(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path.endswith("/auth/token"):
            return httpx.Response(200, json={"accessToken": "t", "expiresIn": "900s"})
        return httpx.Response(200, json={})

    transport = httpx.MockTransport(gateway)
    async with ActitoClient("https://gw.test/actito/", Secret(API_KEY), transport=transport) as c:
        await c.get("/entities/v5/entities")
    assert seen == [
        "https://gw.test/actito/auth/token",
        "https://gw.test/actito/entities/v5/entities",
    ]


async def test_answers_are_parsed_json(fake, make_client) -> None:
    stored = {"id": "a4aa57cd", "name": "Orders"}
    fake.script("POST", TABLES, reply(201, json=stored, headers={"Location": "/t/a4aa57cd"}))
    async with make_client() as client:
        assert await client.post(TABLES, json={"name": "Orders"}) == stored


@pytest.mark.parametrize(
    "answer",
    [reply(204), reply(200, text=""), reply(200, text="\n")],
    ids=["204", "200-empty", "200-blank"],
)
async def test_empty_answers_are_none(fake, make_client, answer) -> None:
    fake.script("DELETE", "/x", answer)
    async with make_client() as client:
        assert await client.delete("/x") is None


async def test_non_json_success_is_unexpected(fake, make_client, raises) -> None:
    fake.script("GET", "/x", reply(200, text="<html>login</html>"))
    async with make_client() as client:
        with raises(UnexpectedResponse, match="not valid JSON"):
            await client.get("/x")


async def test_rejected_request_carries_actito_message(fake, make_client, raises) -> None:
    message = "attribute 'x' is not a TIMESTAMP attribute"
    fake.script(
        "POST",
        TABLES,
        reply(400, json={"status": 400, "error": "Bad Request", "message": message}),
    )
    async with make_client() as client:
        with raises(RequestRejected) as info:
            await client.post(TABLES, json={"name": "Orders"})
    assert str(info.value) == f"POST {TABLES} -> 400 Bad Request: {message}"
    assert info.value.message == message
    assert info.value.status == 400


@pytest.mark.parametrize(
    ("status", "kind"),
    [(403, PermissionDenied), (404, NotFound), (409, RequestRejected), (422, RequestRejected)],
)
async def test_failures_map_to_typed_errors(fake, make_client, raises, status, kind) -> None:
    fake.script("GET", "/x", reply(status, text="plain text\nexplanation"))
    async with make_client() as client:
        with raises(kind) as info:
            await client.get("/x")
    assert info.value.status == status
    assert str(info.value).endswith(": plain text explanation")
    assert fake.calls_to("GET", "/x") == 1  # not retried


async def test_forbidden_points_at_access_rights(fake, make_client, raises) -> None:
    fake.script("GET", "/x", reply(403))
    async with make_client() as client:
        with raises(PermissionDenied, match="API user's access rights"):
            await client.get("/x")


async def test_server_error_on_get_after_retries(fake, make_client, raises) -> None:
    fake.script("GET", "/x", *[reply(500, json={"message": "NullPointerException"})] * 5)
    async with make_client() as client:
        with raises(ServerError, match="NullPointerException"):
            await client.get("/x")
    assert fake.calls_to("GET", "/x") == 1  # 500 is not among the retried statuses


async def test_redirects_are_not_followed(fake, make_client, raises) -> None:
    fake.script("GET", "/x", reply(302, headers={"Location": "https://elsewhere.test/x"}))
    async with make_client() as client:
        with raises(ApiError, match="redirect"):
            await client.get("/x")
    assert all(r.url.host == "api.test" for r in fake.requests)


async def test_secrets_echoed_by_the_server_are_masked(fake, make_client, raises) -> None:
    async def echo(request: httpx.Request) -> httpx.Response:
        said = f"refused {request.headers['Authorization']} (key {API_KEY})"
        return httpx.Response(400, json={"message": said})

    fake.script("PUT", "/x", echo)
    async with make_client() as client:
        with raises(RequestRejected) as info:
            await client.put("/x", json={})
    assert str(info.value) == "PUT /x -> 400 Bad Request: refused Bearer *** (key ***)"


async def test_network_error_text_is_masked(fake, make_client, raises) -> None:
    async def leak(request: httpx.Request) -> httpx.Response:
        raise httpx.LocalProtocolError(f"Illegal header value {request.headers['Authorization']}")

    fake.script("POST", "/x", leak)
    async with make_client() as client:
        with raises(ConnectionFailed) as info:
            await client.post("/x", json={})
    assert "***" in str(info.value)


async def test_repr_shows_no_secret(fake, make_client) -> None:
    async with make_client() as client:
        await client.get("/x")
        shown = repr(client)
    assert shown == f"ActitoClient(base_url={BASE_URL!r})"
    for secret in [API_KEY, *fake.issued]:
        assert secret not in shown


async def test_requests_are_logged_at_debug(fake, make_client, caplog) -> None:
    fake.script("GET", "/x", reply(503))
    async with make_client() as client:
        await client.get("/x")
    lines = [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("actito_iac.api") and r.levelno == logging.DEBUG
    ]
    assert any(line.startswith("GET /auth/token -> 200 in ") for line in lines)
    assert any(line.startswith("GET /x -> 503 in ") for line in lines)
    assert any(line.startswith("GET /x -> 200 in ") for line in lines)


async def test_closing_twice_is_harmless(make_client) -> None:
    client = make_client()
    await client.aclose()
    await client.aclose()


def test_plain_http_to_a_remote_host_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"http://example\.com"):
        ActitoClient("http://example.com", Secret(API_KEY))


@pytest.mark.parametrize("key", ["", f"{API_KEY}\n", f" {API_KEY}", "kéy"])
def test_unusable_keys_are_refused_without_being_shown(key: str) -> None:
    with pytest.raises(ConfigError, match="API key") as info:
        ActitoClient(BASE_URL, Secret(key), transport=httpx.MockTransport(lambda r: reply(200)(r)))
    if key:
        assert key.strip() not in str(info.value)


@pytest.mark.parametrize(
    "option",
    [
        {"max_in_flight": 0},
        {"retries": -1},
        {"backoff_factor": -1.0},
        {"max_backoff": 0.0},
        {"timeout": 0.0},
        {"token_margin": -1.0},
    ],
    ids=lambda option: next(iter(option)),
)
def test_nonsense_options_are_refused(option: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must"):
        ActitoClient(BASE_URL, Secret(API_KEY), **option)


@pytest.mark.parametrize("path", ["x", "https://elsewhere.test/x", "//elsewhere.test/x"])
async def test_paths_must_be_relative_to_the_base_url(fake, make_client, path) -> None:
    async with make_client() as client:
        with pytest.raises(ValueError, match="API path"):
            await client.get(path)
    assert fake.requests == []


async def test_unconnectable_host_on_the_real_transport(raises) -> None:
    """Nothing listens on port 9 of the loopback: one attempt, and what to check."""
    async with ActitoClient("http://127.0.0.1:9", Secret(API_KEY), retries=4, sleep=_no_wait) as c:
        with raises(ConnectionFailed, match=r"nothing accepts connections at 127\.0\.0\.1:9"):
            await c.get("/x")
        assert c.request_count == 1


async def _no_wait(seconds: float) -> None:
    return None
