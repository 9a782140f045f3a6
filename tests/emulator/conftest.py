"""Fixtures for the emulator's own tests: an app over an in-memory store, with a fake clock."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from actito_iac.emulator.app import create_app
from actito_iac.emulator.seed import apply_seed
from actito_iac.emulator.state import EmulatorState
from actito_iac.emulator.store import Store
from actito_iac.emulator.transport import in_process_transport

EMULATOR_KEY = "emulator-test-key-7c1d"
BASE_URL = "http://127.0.0.1"
CATEGORISED = "/custom-table-structure/v5/entities/B2C/custom-tables"
PROFILE_TABLES = "/profile-table-structure/v5/entities/B2C/profile-tables"

ORDERS: dict[str, Any] = {
    "name": "Orders",
    "type": "INTERACTIONS",
    "primaryKeyAttribute": "orderId",
    "creationTimeAttribute": "orderMoment",
    "attributes": [
        {
            "name": "orderId",
            "valueType": "STRING",
            "mandatory": True,
            "unique": True,
            "indexed": True,
            "valueRestriction": {"minLength": 20, "maxLength": 20},
        },
        {"name": "orderMoment", "valueType": "TIMESTAMP", "mandatory": True},
        {"name": "amount", "valueType": "NUMBER"},
        {
            "name": "status",
            "valueType": "STRING",
            "valueRestriction": {"acceptedValues": ["NEW", "SHIPPED"]},
        },
    ],
}


CUSTOMERS: dict[str, Any] = {
    "name": "Customers",
    "attributes": [
        {"type": "EMAIL_ADDRESS", "name": "emailAddress", "unique": True, "mandatory": True},
        {"type": "FIRSTNAME", "name": "firstName"},
        {
            "type": "CUSTOM",
            "name": "customerId",
            "valueType": "STRING",
            "unique": True,
            "valueRestriction": {"maxLength": 12},
        },
        {
            "type": "CUSTOM",
            "name": "tier",
            "valueType": "STRING",
            "valueRestriction": {"acceptedValues": ["STD", "GOLD"]},
        },
        {"type": "CUSTOM", "name": "age", "valueType": "INTEGER"},
        {"type": "CUSTOM", "name": "interests", "valueType": "STRING", "multiValued": True},
    ],
    "subscriptions": [
        {"name": "Newsletter", "channel": "EMAIL"},
        {"name": "Alerts", "channel": "SMS"},
    ],
    "segmentations": [
        {"name": "VIP", "type": "SIMPLE"},
        {
            "name": "Level",
            "type": "EXCLUSIVE",
            "segments": ["Bronze", "Silver", "Gold"],
            "mandatory": True,
            "defaultSegment": "Bronze",
            "history": True,
        },
    ],
}


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Emulator:
    store: Store
    app: Starlette
    clock: FakeClock
    key: str = EMULATOR_KEY

    @property
    def state(self) -> EmulatorState:
        state = self.app.state.emulator
        assert isinstance(state, EmulatorState)
        return state

    def client(self, **headers: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=in_process_transport(self.app), base_url=BASE_URL, headers=headers
        )


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """Entities B2C and B2B, no tables, one API key, a fake clock."""
    store = Store()
    apply_seed(store, {"entities": [{"name": "B2C"}, {"name": "B2B", "comment": "Companies"}]})
    clock = FakeClock()
    yield Emulator(store, create_app(store, api_keys=[EMULATOR_KEY], clock=clock), clock)
    store.close()


@pytest.fixture
async def raw(emulator: Emulator) -> AsyncIterator[httpx.AsyncClient]:
    """A client with no credentials."""
    async with emulator.client() as client:
        yield client


@pytest.fixture
async def api(emulator: Emulator, raw: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    """A client holding a fresh access token and `Accept: application/json`."""
    answer = await raw.get("/auth/token", headers={"Authorization": EMULATOR_KEY})
    assert answer.status_code == 200
    token = answer.json()["accessToken"]
    async with emulator.client(
        Authorization=f"Bearer {token}", Accept="application/json"
    ) as client:
        yield client


@pytest.fixture
def orders() -> Callable[..., dict[str, Any]]:
    """A fresh copy of the Orders definition, top-level keys overridden by keyword."""

    def make(**changes: Any) -> dict[str, Any]:
        body = copy.deepcopy(ORDERS)
        body.update(changes)
        return body

    return make


@pytest.fixture
async def created(api: httpx.AsyncClient, orders: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """The Orders table, created through the API; the stored definition."""
    answer = await api.post(CATEGORISED, json=orders())
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert isinstance(body, dict)
    return body


@pytest.fixture
def customers() -> Callable[..., dict[str, Any]]:
    """A fresh copy of the Customers profile-table definition, top-level keys overridden."""

    def make(**changes: Any) -> dict[str, Any]:
        body = copy.deepcopy(CUSTOMERS)
        body.update(changes)
        return body

    return make


@pytest.fixture
async def profile_table(
    api: httpx.AsyncClient, customers: Callable[..., dict[str, Any]]
) -> dict[str, Any]:
    """The Customers profile table, created through the API; the stored definition."""
    answer = await api.post(PROFILE_TABLES, json=customers())
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert isinstance(body, dict)
    return body
