"""Calls over real HTTP make no search of the import system. httpcore asks for `sniffio` on
every lock and semaphore it sets up, and Python does not remember an import that failed: with
`sniffio` absent (anyio no longer brings it), each call searched every folder on `sys.path`
several times, a third of the client's CPU per call. The project depends on it for that."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType

import pytest

from actito_iac.api.client import ActitoClient
from actito_iac.secrets import Secret

from ..conftest import API_KEY

pytestmark = pytest.mark.anyio


class _Asked(MetaPathFinder):
    """Notes every module the import system searches for (and finds none of them)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        self.names.append(fullname)
        return None


async def test_calls_over_http_search_for_no_module(served: str) -> None:
    async with ActitoClient(served, Secret(API_KEY), calls_per_minute=None) as client:
        await client.get("/entities/v5/entities")  # the first call imports what calls use
        asked = _Asked()
        sys.meta_path.insert(0, asked)
        try:
            await asyncio.gather(*(client.get("/entities/v5/entities") for _ in range(10)))
        finally:
            sys.meta_path.remove(asked)
    assert asked.names == []
