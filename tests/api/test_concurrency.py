"""The cap on HTTP attempts in flight (ACTITO answers 429 beyond 5 per licence)."""

from __future__ import annotations

import asyncio

import pytest

pytestmark = pytest.mark.anyio


async def test_twenty_concurrent_gets_never_exceed_five_in_flight(fake, make_client) -> None:
    fake.delay = 0.01
    async with make_client() as client:
        results = await asyncio.gather(*(client.get(f"/x/{i}") for i in range(20)))
        assert client.request_count == 21
    assert results == [{"path": f"/x/{i}"} for i in range(20)]
    assert fake.max_in_flight == 5  # the cap is reached, never passed


async def test_the_cap_is_configurable(fake, make_client) -> None:
    fake.delay = 0.005
    async with make_client(max_in_flight=2) as client:
        await asyncio.gather(*(client.get(f"/x/{i}") for i in range(8)))
    assert fake.max_in_flight == 2


async def test_token_renewals_share_the_cap(fake, make_client, clock) -> None:
    fake.delay = 0.005
    async with make_client(max_in_flight=3) as client:
        await client.get("/warm")
        clock.now += 10_000  # every token is stale: the first call renews it
        await asyncio.gather(*(client.get(f"/x/{i}") for i in range(9)))
    assert fake.exchanges == 2
    assert fake.max_in_flight == 3
