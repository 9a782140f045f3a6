"""The apply lock in-process: one holder per API URL, refusal naming the holder, waiting, and a
warning instead of a failure where no lock can be taken."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from actito_iac.errors import ApplyRefused
from actito_iac.licence_lock import licence_lock, lock_path

URL = "https://api3.actito.com"


@pytest.fixture
def environ(tmp_path: Path) -> dict[str, str]:
    return {"XDG_CACHE_HOME": str(tmp_path / "cache")}


def test_one_lock_per_licence(environ: dict[str, str]) -> None:
    assert lock_path(URL, environ) == lock_path("HTTPS://api3.actito.com/", environ)
    assert lock_path(URL, environ) != lock_path("https://api.actito.com", environ)
    assert lock_path(URL, environ).parent == Path(environ["XDG_CACHE_HOME"], "actito-iac", "locks")


@pytest.mark.anyio
async def test_a_second_holder_is_refused_with_who_holds_it(environ: dict[str, str]) -> None:
    async with licence_lock(URL, environ):
        with pytest.raises(ApplyRefused) as refused:
            async with licence_lock(URL, environ):
                pytest.fail("two holders")
        async with licence_lock("https://other.example", environ):
            pass  # another licence is another lock

    assert f"pid {os.getpid()} on " in str(refused.value)
    assert "--wait-lock" in str(refused.value)
    async with licence_lock(URL, environ):
        pass  # released


@pytest.mark.anyio
async def test_waiting_takes_the_lock_once_released(environ: dict[str, str]) -> None:
    order: list[str] = []

    async def first() -> None:
        async with licence_lock(URL, environ):
            order.append("first in")
            await asyncio.sleep(0.3)
            order.append("first out")

    async def second() -> None:
        await asyncio.sleep(0.05)
        async with licence_lock(URL, environ, wait=10):
            order.append("second in")

    await asyncio.gather(first(), second())

    assert order == ["first in", "first out", "second in"]


@pytest.mark.anyio
async def test_waiting_has_a_limit(environ: dict[str, str]) -> None:
    async with licence_lock(URL, environ):
        with pytest.raises(ApplyRefused, match=r"after waiting 0\.2s"):
            async with licence_lock(URL, environ, wait=0.2):
                pass


@pytest.mark.anyio
async def test_no_usable_cache_folder_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    warnings: list[str] = []

    async with licence_lock(URL, {"XDG_CACHE_HOME": str(blocker)}, warn=warnings.append):
        pass

    assert len(warnings) == 1
    assert "going on without it" in warnings[0]
