"""A scripted stand-in for the ACTITO API, and fixtures that build clients against it.

The fake answers `GET /auth/token` itself (issuing token-1, token-2, … for the right key),
answers 401 to API calls that do not carry a live token, and otherwise plays per-route
scripts: a list of answers consumed one per attempt, then a default 200.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, contextmanager
from typing import Any

import httpx
import pytest

from actito_iac.api.client import ActitoClient
from actito_iac.secrets import Secret

BASE_URL = "https://api.test"
API_KEY = "k3y-Sup3rSecret-0123456789"

Answer = Callable[[httpx.Request], httpx.Response | Awaitable[httpx.Response]]


def reply(status: int, **kwargs: Any) -> Answer:
    """An answer building a fresh response (a response object serves one attempt only)."""
    return lambda request: httpx.Response(status, **kwargs)


def fail(exc_type: type[httpx.TransportError], text: str = "boom") -> Answer:
    def answer(request: httpx.Request) -> httpx.Response:
        raise exc_type(text, request=request)

    return answer


class FakeActito:
    def __init__(self) -> None:
        self.key = API_KEY
        self.calls: list[tuple[str, str]] = []
        self.requests: list[httpx.Request] = []
        self.scripts: dict[tuple[str, str], list[Answer]] = {}
        self.issued: list[str] = []
        self.live_tokens: set[str] = set()
        self.expires_in: object = "900s"
        self.delay = 0.0
        self.in_flight = 0
        self.max_in_flight = 0

    def script(self, method: str, path: str, *answers: Answer) -> None:
        self.scripts.setdefault((method, path), []).extend(answers)

    def revoke_tokens(self) -> None:
        self.live_tokens.clear()

    @property
    def exchanges(self) -> int:
        return sum(1 for call in self.calls if call == ("GET", "/auth/token"))

    def calls_to(self, method: str, path: str) -> int:
        return self.calls.count((method, path))

    async def handler(self, request: httpx.Request) -> httpx.Response:
        self.calls.append((request.method, request.url.path))
        self.requests.append(request)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            return await self._answer(request)
        finally:
            self.in_flight -= 1

    async def _answer(self, request: httpx.Request) -> httpx.Response:
        key = (request.method, request.url.path)
        script = self.scripts.get(key)
        if script:
            result = script.pop(0)(request)
            return result if isinstance(result, httpx.Response) else await result
        if key == ("GET", "/auth/token"):
            return self._token(request)
        if request.headers.get("Authorization", "").removeprefix("Bearer ") not in (
            self.live_tokens
        ):
            return _error(401, "Unauthorized", "Full authentication is required")
        return httpx.Response(200, json={"path": request.url.path})

    def _token(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("Authorization") != self.key:
            return _error(401, "Unauthorized", "Bad credentials")
        token = f"tok-{len(self.issued) + 1}-S3cr3tT0ken"
        self.issued.append(token)
        self.live_tokens.add(token)
        return httpx.Response(
            200,
            json={
                "accessToken": token,
                "tokenType": "bearer",
                "expiresIn": self.expires_in,
                "scope": "read write",
                "jti": "ce6c1d3c",
            },
        )


def _error(status: int, error: str, message: str) -> httpx.Response:
    return httpx.Response(status, json={"status": status, "error": error, "message": message})


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def fake() -> FakeActito:
    return FakeActito()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sleeps() -> list[float]:
    """Waits the retry layer asked for, recorded instead of spent."""
    return []


@pytest.fixture
def make_client(
    fake: FakeActito, clock: FakeClock, sleeps: list[float]
) -> Callable[..., AbstractAsyncContextManager[ActitoClient]]:
    async def record_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        await asyncio.sleep(0)

    def build(**options: Any) -> ActitoClient:
        options.setdefault("transport", httpx.MockTransport(fake.handler))
        options.setdefault("clock", clock)
        options.setdefault("sleep", record_sleep)
        options.setdefault("backoff_factor", 0.5)
        return ActitoClient(BASE_URL, Secret(fake.key), **options)

    return build


@pytest.fixture(autouse=True)
def no_secret_in_logs(caplog: pytest.LogCaptureFixture, fake: FakeActito) -> Iterator[None]:
    """Every test runs with DEBUG logging captured; no secret may appear in it."""
    caplog.set_level(logging.DEBUG)
    yield
    for secret in [API_KEY, *fake.issued]:
        assert secret not in caplog.text


@pytest.fixture
def raises(fake: FakeActito) -> Callable[..., Any]:
    """`pytest.raises` that also checks the error shows no secret and hides httpx's."""

    @contextmanager
    def check(kind: type[BaseException], match: str | None = None) -> Iterator[Any]:
        with pytest.raises(kind, match=match) as info:
            yield info
        error = info.value
        shown = "".join(traceback.format_exception(error)) + repr(error) + repr(error.args)
        for secret in [API_KEY, *fake.issued]:
            assert secret not in shown
        assert "\n" not in str(error)
        assert not isinstance(error, httpx.HTTPError)
        assert not isinstance(error.__context__, httpx.HTTPError)
        assert not isinstance(error.__cause__, httpx.HTTPError)

    return check
