"""The client stays under ACTITO's calls per minute, and repeats a write only after a 429
(refused, not processed, as ACTITO documents it)."""

from __future__ import annotations

import httpx
import pytest

from actito_iac.api.errors import ConnectionFailed, ServerError
from actito_iac.api.transport import Pace

from .conftest import fail, reply

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_a_pace_lets_a_burst_through_then_spaces_calls_by_the_window() -> None:
    clock = Clock()
    pace = Pace(3, 60.0, clock=clock, sleep=clock.sleep)
    began = []
    for _ in range(7):
        await pace.wait()
        began.append(clock.now)
    assert began == [0.0, 0.0, 0.0, 60.0, 60.0, 60.0, 120.0]
    assert pace.waited == 120.0


async def test_a_pace_does_not_wait_for_calls_that_aged_out_of_the_window() -> None:
    clock = Clock()
    pace = Pace(2, 10.0, clock=clock, sleep=clock.sleep)
    await pace.wait()
    clock.now = 4.0
    await pace.wait()
    clock.now = 12.0  # the first call is 12 s old: room for one at once
    await pace.wait()
    assert clock.slept == []
    await pace.wait()  # the second began at 4 s: this one waits until 14 s
    assert clock.slept == [2.0]


async def test_the_client_paces_its_attempts(fake, make_client) -> None:
    async with make_client(calls_per_minute=3) as client:
        for _ in range(4):
            await client.get("/x")
    # the token exchange and three calls fill the minute's window: the last call waited
    assert client._limit._pace is not None
    assert client._limit._pace.waited > 0


async def test_no_pace_when_the_licence_allows_more(fake, make_client) -> None:
    async with make_client(calls_per_minute=0) as client:
        for _ in range(5):
            await client.get("/x")
    assert client._limit._pace is None


@pytest.mark.parametrize("method", ["POST", "PATCH"])
async def test_a_write_refused_with_429_is_repeated(fake, make_client, sleeps, method) -> None:
    fake.script(method, "/x", reply(429, headers={"Retry-After": "1"}), reply(200, json={}))
    async with make_client() as client:
        send = client.post if method == "POST" else client.patch
        await send("/x", json={"name": "Orders"})
    assert fake.calls_to(method, "/x") == 2
    assert sleeps == [1.0]


async def test_a_write_is_never_repeated_on_another_failure(fake, make_client, raises) -> None:
    fake.script("POST", "/x", reply(503), reply(201, json={}))
    fake.script("POST", "/y", fail(httpx.ReadError, "connection reset"), reply(201, json={}))
    async with make_client() as client:
        with raises(ServerError):
            await client.post("/x", json={})
        with raises(ConnectionFailed):
            await client.post("/y", json={})
    assert fake.calls_to("POST", "/x") == 1
    assert fake.calls_to("POST", "/y") == 1
