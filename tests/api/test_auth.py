"""Token exchange, caching, renewal before expiry and after a 401."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from actito_iac.api.errors import AuthenticationError, UnexpectedResponse

from .conftest import API_KEY, reply

pytestmark = pytest.mark.anyio


async def test_exchange_sends_the_raw_key_and_accept(fake, make_client) -> None:
    async with make_client() as client:
        await client.get("/entities/v5/entities")
    exchange = fake.requests[0]
    assert (exchange.method, exchange.url.path) == ("GET", "/auth/token")
    assert exchange.headers["Authorization"] == API_KEY
    assert exchange.headers["Accept"] == "application/json"


async def test_token_is_fetched_once_and_reused(fake, make_client) -> None:
    async with make_client() as client:
        for _ in range(3):
            await client.get("/entities/v5/entities")
    assert fake.exchanges == 1
    api_calls = [r for r in fake.requests if r.url.path != "/auth/token"]
    assert [r.headers["Authorization"] for r in api_calls] == [f"Bearer {fake.issued[0]}"] * 3


async def test_token_is_renewed_when_less_than_the_margin_remains(fake, make_client, clock):
    async with make_client(token_margin=60.0) as client:
        await client.get("/x")
        clock.now += 839  # 61 s left: still good
        await client.get("/x")
        assert fake.exchanges == 1
        clock.now += 2  # 59 s left: renew before use
        await client.get("/x")
        assert fake.exchanges == 2
    assert fake.requests[-1].headers["Authorization"] == f"Bearer {fake.issued[1]}"


async def test_bare_number_lifetime_is_accepted(fake, make_client, clock) -> None:
    fake.expires_in = 300
    async with make_client(token_margin=60.0) as client:
        await client.get("/x")
        clock.now += 239
        await client.get("/x")
        assert fake.exchanges == 1
        clock.now += 2
        await client.get("/x")
        assert fake.exchanges == 2


async def test_margin_is_capped_for_short_lived_tokens(fake, make_client, clock) -> None:
    fake.expires_in = "30s"
    async with make_client(token_margin=60.0) as client:
        await client.get("/x")
        await client.get("/x")
        assert fake.exchanges == 1  # not renewed before every call
        clock.now += 16
        await client.get("/x")
        assert fake.exchanges == 2


async def test_concurrent_first_calls_share_one_exchange(fake, make_client) -> None:
    fake.delay = 0.005
    async with make_client() as client:
        await asyncio.gather(*(client.get(f"/x/{i}") for i in range(10)))
    assert fake.exchanges == 1


async def test_401_renews_the_token_once_and_repeats_the_call(fake, make_client) -> None:
    async with make_client() as client:
        await client.get("/x")
        fake.revoke_tokens()  # e.g. expired early on the server side
        assert await client.get("/x") == {"path": "/x"}
    assert fake.exchanges == 2
    assert fake.calls_to("GET", "/x") == 3
    assert fake.requests[-1].headers["Authorization"] == f"Bearer {fake.issued[1]}"


async def test_401_on_post_is_repeated_once(fake, make_client) -> None:
    fake.script("POST", "/tables", reply(401), reply(201, json={"id": "t1"}))
    async with make_client() as client:
        assert await client.post("/tables", json={"name": "Orders"}) == {"id": "t1"}
    assert fake.calls_to("POST", "/tables") == 2
    assert fake.exchanges == 2


async def test_concurrent_401s_cause_a_single_renewal(fake, make_client) -> None:
    fake.delay = 0.005
    async with make_client() as client:
        await client.get("/x")
        fake.revoke_tokens()
        await asyncio.gather(*(client.get(f"/x/{i}") for i in range(5)))
    assert fake.exchanges == 2


async def test_a_late_401_for_an_old_token_keeps_the_renewed_one(fake, make_client) -> None:
    """A slow call refused with the old token must not throw away the token renewed since."""
    sent = asyncio.Event()
    release = asyncio.Event()

    async def slow_refusal(request: httpx.Request) -> httpx.Response:
        sent.set()
        await release.wait()
        return httpx.Response(401)

    fake.script("GET", "/slow", slow_refusal)
    async with make_client() as client:
        await client.get("/warm")
        slow = asyncio.ensure_future(client.get("/slow"))
        await sent.wait()
        fake.revoke_tokens()
        await client.get("/other")  # 401, renewal, success
        assert fake.exchanges == 2
        release.set()
        assert await slow == {"path": "/slow"}
    assert fake.exchanges == 2


async def test_two_401s_raise_authentication_error(fake, make_client, raises) -> None:
    fake.script("GET", "/x", reply(401), reply(401, json={"message": "token refused"}))
    async with make_client() as client:
        with raises(AuthenticationError) as info:
            await client.get("/x")
    assert info.value.status == 401
    assert str(info.value) == (
        "GET /x -> 401 Unauthorized: "
        "ACTITO refused the access token even after renewing it: token refused"
    )
    assert fake.exchanges == 2
    assert fake.calls_to("GET", "/x") == 2


async def test_rejected_key_raises_authentication_error_without_the_key(
    fake, make_client, raises
) -> None:
    async with make_client() as client:
        fake.key = "another-key"  # the licence no longer knows ours
        with raises(AuthenticationError, match="API key was rejected") as info:
            await client.get("/x")
    assert str(info.value).startswith("GET /auth/token -> 401 Unauthorized: ")
    assert API_KEY not in str(info.value)
    assert fake.calls_to("GET", "/x") == 0


async def test_key_revoked_mid_run(fake, make_client, raises) -> None:
    async with make_client() as client:
        await client.get("/x")
        fake.revoke_tokens()
        fake.key = "another-key"
        with raises(AuthenticationError, match="API key was rejected"):
            await client.get("/x")


async def test_unusable_token_answer(fake, make_client, raises) -> None:
    fake.script(
        "GET", "/auth/token", reply(200, json={"accessToken": "tok-odd", "expiresIn": "later"})
    )
    fake.issued.append("tok-odd")  # so the secret checks look for it too
    async with make_client() as client:
        with raises(UnexpectedResponse, match="expiresIn"):
            await client.get("/x")


async def test_token_exchange_is_retried_like_any_get(fake, make_client, sleeps) -> None:
    fake.script("GET", "/auth/token", reply(503))
    async with make_client() as client:
        assert await client.get("/x") == {"path": "/x"}
    assert fake.exchanges == 2
    assert len(sleeps) == 1
