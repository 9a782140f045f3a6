"""Which calls are repeated, on what, and the waits requested in between."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import anyio
import httpx
import pytest

from actito_iac.api.errors import ConnectionFailed, RateLimited, ServerError

from .conftest import fail, reply

pytestmark = pytest.mark.anyio


async def test_429_with_retry_after_waits_that_long_then_succeeds(fake, make_client, sleeps):
    fake.script("GET", "/x", reply(429, headers={"Retry-After": "2"}))
    async with make_client() as client:
        assert await client.get("/x") == {"path": "/x"}
    assert sleeps == [2.0]
    assert fake.calls_to("GET", "/x") == 2


async def test_retry_after_as_an_http_date(fake, make_client, sleeps) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=10), usegmt=True)
    fake.script("GET", "/x", reply(429, headers={"Retry-After": when}))
    async with make_client() as client:
        await client.get("/x")
    assert len(sleeps) == 1
    assert 8.0 < sleeps[0] <= 10.0


async def test_retry_after_is_capped_by_max_backoff(fake, make_client, sleeps) -> None:
    fake.script("GET", "/x", reply(429, headers={"Retry-After": "3600"}))
    async with make_client(max_backoff=30.0) as client:
        await client.get("/x")
    assert sleeps == [30.0]


async def test_503_twice_then_200_on_get(fake, make_client, sleeps) -> None:
    fake.script("GET", "/x", reply(503), reply(503))
    async with make_client(backoff_factor=0.5) as client:
        assert await client.get("/x") == {"path": "/x"}
        assert client.request_count == 4  # token exchange + 3 attempts
    assert fake.calls_to("GET", "/x") == 3
    assert len(sleeps) == 2
    # Full-jitter exponential backoff: the n-th repeat waits at most factor * 2**n.
    for n, wait in enumerate(sleeps, start=1):
        assert 0.0 <= wait <= 0.5 * 2**n


async def test_backoff_is_capped(fake, make_client, sleeps) -> None:
    fake.script("GET", "/x", *[reply(502)] * 4)
    async with make_client(backoff_factor=10.0, max_backoff=1.5, retries=4) as client:
        await client.get("/x")
    assert len(sleeps) == 4
    assert all(0.0 <= wait <= 1.5 for wait in sleeps)


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
async def test_other_idempotent_methods_are_retried(fake, make_client, method) -> None:
    fake.script(method, "/x", reply(503), reply(204))
    async with make_client() as client:
        call = client.put("/x", json={}) if method == "PUT" else client.delete("/x")
        assert await call is None
    assert fake.calls_to(method, "/x") == 2


@pytest.mark.parametrize("method", ["POST", "PATCH"])
async def test_post_and_patch_are_not_retried_on_503(fake, make_client, sleeps, raises, method):
    fake.script(method, "/x", reply(503), reply(200, json={}))
    async with make_client() as client:
        send = client.post if method == "POST" else client.patch
        with raises(ServerError) as info:
            await send("/x", json={"name": "Orders"})
    assert fake.calls_to(method, "/x") == 1
    assert sleeps == []
    assert "attempts" not in str(info.value)


async def test_post_is_not_retried_after_a_network_error(fake, make_client, raises) -> None:
    fake.script("POST", "/x", fail(httpx.ReadError, "connection reset"), reply(201, json={}))
    async with make_client() as client:
        with raises(ConnectionFailed):
            await client.post("/x", json={})
    assert fake.calls_to("POST", "/x") == 1


async def test_persistent_503_gives_server_error_after_all_attempts(
    fake, make_client, sleeps, raises
) -> None:
    fake.script("GET", "/x", *[reply(503, text="maintenance")] * 10)
    async with make_client(retries=4) as client:
        with raises(ServerError) as info:
            await client.get("/x")
    assert fake.calls_to("GET", "/x") == 5
    assert len(sleeps) == 4
    assert str(info.value) == (
        "GET /x -> 503 Service Unavailable: "
        "ACTITO failed to handle the request after 5 attempts: maintenance"
    )


async def test_persistent_429_gives_rate_limited(fake, make_client, raises) -> None:
    fake.script("GET", "/x", *[reply(429, headers={"Retry-After": "1"})] * 10)
    async with make_client(retries=2) as client:
        with raises(RateLimited, match="after 3 attempts"):
            await client.get("/x")
    assert fake.calls_to("GET", "/x") == 3


async def test_network_error_on_get_is_retried(fake, make_client) -> None:
    fake.script("GET", "/x", fail(httpx.ConnectError), fail(httpx.ReadTimeout))
    async with make_client() as client:
        assert await client.get("/x") == {"path": "/x"}
    assert fake.calls_to("GET", "/x") == 3


async def test_network_errors_exhaust_into_connection_failed(
    fake, make_client, sleeps, raises
) -> None:
    fake.script("GET", "/x", *[fail(httpx.ConnectError, "connection refused")] * 10)
    async with make_client(retries=3) as client:
        with raises(ConnectionFailed) as info:
            await client.get("/x")
    assert fake.calls_to("GET", "/x") == 4
    assert len(sleeps) == 3
    error = info.value
    assert error.status is None
    assert error.host == "api.test"
    assert str(error) == (
        "GET /x -> could not connect to api.test "
        "(ConnectError: connection refused), after 4 attempts"
    )


async def test_timeouts_exhaust_into_connection_failed(fake, make_client, raises) -> None:
    fake.script("GET", "/x", *[fail(httpx.ReadTimeout, "")] * 3)
    async with make_client(retries=2) as client:
        with raises(ConnectionFailed, match="no answer from api.test in time"):
            await client.get("/x")


async def test_zero_retries_means_a_single_attempt(fake, make_client, sleeps, raises) -> None:
    fake.script("GET", "/x", reply(503), reply(200, json={}))
    async with make_client(retries=0) as client:
        with raises(ServerError):
            await client.get("/x")
    assert fake.calls_to("GET", "/x") == 1
    assert sleeps == []


async def test_a_retry_waiting_out_its_backoff_holds_no_slot(fake, make_client) -> None:
    """With one slot, another call must get through while a retry is waiting."""
    waiting = asyncio.Event()
    other_done = asyncio.Event()

    async def sleep(seconds: float) -> None:
        waiting.set()
        await other_done.wait()

    async def other(request: httpx.Request) -> httpx.Response:
        other_done.set()
        return httpx.Response(200, json={"other": True})

    fake.script("GET", "/slow", reply(503))
    fake.script("GET", "/other", other)
    async with make_client(max_in_flight=1, sleep=sleep) as client:
        with anyio.fail_after(2):
            slow = asyncio.ensure_future(client.get("/slow"))
            await waiting.wait()
            assert await client.get("/other") == {"other": True}
            assert await slow == {"path": "/slow"}
