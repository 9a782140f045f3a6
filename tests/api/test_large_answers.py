"""A large answer is decoded beside the event loop: the other calls go on meanwhile (a list of
10,000 tables takes a fifth of a second to decode, which every call in flight would wait)."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from actito_iac.api import client as client_module
from actito_iac.api.client import LARGE_ANSWER

from .conftest import reply

pytestmark = pytest.mark.anyio

BIG = {"items": ["x" * 100] * (LARGE_ANSWER // 100)}  # past the threshold once written


async def test_other_calls_are_answered_while_a_large_answer_is_decoded(
    fake, make_client, monkeypatch
) -> None:
    fake.script("GET", "/big", reply(200, json=BIG))
    fake.script("GET", "/small", reply(200, json={"ok": True}))
    decoding = threading.Event()
    order: list[str] = []
    decode = client_module.decode

    def slow(content: bytes, content_type: str = "") -> Any:
        if len(content) > LARGE_ANSWER:
            decoding.set()
            time.sleep(0.3)  # holds its thread, as a long decode does
            order.append("large decoded")
        return decode(content, content_type)

    monkeypatch.setattr(client_module, "decode", slow)

    async def small_call(client: Any) -> Any:
        while not decoding.is_set():
            await asyncio.sleep(0.005)
        answer = await client.get("/small")
        order.append("small answered")
        return answer

    async with make_client() as client:
        big, small = await asyncio.gather(client.get("/big"), small_call(client))
    assert big == BIG
    assert small == {"ok": True}
    assert order == ["small answered", "large decoded"]


async def test_a_large_answer_that_is_not_json_is_still_a_typed_error(fake, make_client) -> None:
    fake.script("GET", "/big", reply(200, content=b"<" * (LARGE_ANSWER + 1)))
    async with make_client() as client:
        with pytest.raises(client_module.UnexpectedResponse, match="not valid JSON"):
            await client.get("/big")
