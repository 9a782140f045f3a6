"""How fast the emulated licence answers: its latency, ACTITO's throttle past a number of calls a
minute [INFER: how the answers slow down], and the counts a benchmark reads."""

from __future__ import annotations

import time

import anyio
import httpx
import pytest

from actito_iac.emulator.app import create_app
from actito_iac.emulator.pace import Throttle
from actito_iac.emulator.seed import apply_seed
from actito_iac.emulator.store import Store

from ..conftest import API_KEY

pytestmark = pytest.mark.anyio
ENTITIES = "/entities/v5/entities"
ADMIN = "/__emulator__"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_throttle_holds_calls_past_its_rate_until_the_window_has_room() -> None:
    clock = Clock()
    throttle = Throttle(3, 60.0, clock=clock)
    assert [throttle.delay() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert throttle.delay() == 60.0  # the 4th waits for the 1st to be a minute old
    assert throttle.delay() == 60.0
    clock.now += 30
    assert throttle.delay() == 30.0  # the 6th: the 3rd call's minute ends at 160
    assert throttle.delay() == 90.0  # and then one more minute for the 7th
    clock.now += 200  # a licence that paused is answered at once again
    assert throttle.delay() == 0.0


def test_a_throttle_needs_a_rate() -> None:
    with pytest.raises(ValueError, match="at least 1 call"):
        Throttle(0)


async def test_latency_holds_the_slot_and_the_stats_count_calls_peak_and_429s() -> None:
    store = Store()
    apply_seed(store, {"entities": [{"name": "B2C"}]})
    app = create_app(store, api_keys=[API_KEY], latency=0.05, max_in_flight=2)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as raw:
        token = (await raw.get("/auth/token", headers={"Authorization": API_KEY})).json()
        headers = {"Authorization": f"Bearer {token['accessToken']}"}
        await raw.delete(f"{ADMIN}/stats")
        started = time.monotonic()
        answers: list[int] = []

        async def call() -> None:
            answers.append((await raw.get(ENTITIES, headers=headers)).status_code)

        async with anyio.create_task_group() as group:
            for _ in range(3):
                group.start_soon(call)
        took = time.monotonic() - started
        stats = (await raw.get(f"{ADMIN}/stats")).json()
    assert sorted(answers) == [200, 200, 429]  # two slots, the third refused at once
    assert took >= 0.05
    assert stats["calls"] == 3
    assert stats["peakInFlight"] == 2
    assert stats["refused"] == 1
    assert stats["throttled"] == 0
    assert stats["spanSeconds"] >= 0.05


async def test_the_throttle_is_counted_in_the_stats() -> None:
    store = Store()
    app = create_app(store, api_keys=[API_KEY], throttle=Throttle(2, 0.1))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as raw:
        async with anyio.create_task_group() as group:  # four at once: two over the rate
            for _ in range(4):
                group.start_soon(raw.get, "/auth/token")
        stats = (await raw.get(f"{ADMIN}/stats")).json()
    assert stats["calls"] == 4
    assert stats["throttled"] == 2
    assert stats["heldSeconds"] > 0.15
