"""The bottom of the transport stack: at most N HTTP attempts in flight, each logged.

Log lines name the method, the path (never the query or the headers, where the key and the
token travel), the status or what happened to the connection, and the milliseconds.

ACTITO answers 429 when a licence has more than 5 requests in flight. This layer sits *below*
the retry layer, so every attempt (retries and token exchanges included) takes a slot, and a
retry waiting out its backoff does not hold one.

ACTITO also slows its answers down past 100 calls a minute. A `Pace` keeps the attempts under
that rate before they take a slot, so a long apply runs at the rate the licence allows instead
of piling slowed-down requests into its five slots (where they could run into the timeout).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable

import httpx

from actito_iac.api import network

logger = logging.getLogger(__name__)

# Request extension where the attempt count of one request is kept, for error messages.
ATTEMPTS = "actito_iac.attempts"


def attempts_of(request: httpx.Request) -> int:
    value = request.extensions.get(ATTEMPTS, 0)
    return value if isinstance(value, int) else 0


def _ms(started: float) -> str:
    return f"{(time.perf_counter() - started) * 1000:.0f} ms"


class Pace:
    """At most `calls` attempts begin in any `period` seconds: the first `calls` at once, then
    each as the oldest of the window ages out (a sliding window, so no fixed minute of the
    server's can see more)."""

    def __init__(
        self,
        calls: int,
        period: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if calls < 1 or period <= 0:
            raise ValueError("a pace needs at least 1 call per a positive period")
        self.calls, self.period = calls, period
        self._clock, self._sleep = clock, sleep
        self._began: deque[float] = deque()
        self._lock = asyncio.Lock()
        self.waited = 0.0
        """Seconds spent waiting for the window, in all (each wait is also logged at -v)."""

    async def wait(self) -> None:
        async with self._lock:  # one waiter at a time: calls begin in the order they came
            now = self._clock()
            if len(self._began) >= self.calls:
                delay = self._began[0] + self.period - now
                if delay > 0:
                    logger.debug("pacing: waiting %.2f s to stay under the call rate", delay)
                    self.waited += delay
                    await self._sleep(delay)
                    now = self._clock()
                self._began.popleft()
            self._began.append(now)


class ConcurrencyLimit(httpx.AsyncBaseTransport):
    """Wraps a transport; each attempt holds one of `max_in_flight` slots until its body is in,
    after waiting for the `pace` (if any) before it takes a slot."""

    def __init__(
        self, inner: httpx.AsyncBaseTransport, max_in_flight: int, pace: Pace | None = None
    ) -> None:
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        self._inner = inner
        self._slots = asyncio.Semaphore(max_in_flight)
        self._pace = pace
        self.limit = max_in_flight
        self.attempts = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._pace is not None:
            await self._pace.wait()
        async with self._slots:
            self.attempts += 1
            request.extensions[ATTEMPTS] = attempts_of(request) + 1
            started = time.perf_counter()
            try:
                response = await self._inner.handle_async_request(request)
                try:
                    # The request is only over for the server once the body is sent; reading
                    # it here keeps the slot until then (bodies are small JSON documents).
                    await response.aread()
                except BaseException:
                    await response.aclose()
                    raise
            except Exception as exc:
                if isinstance(exc, httpx.RequestError):
                    exc.request = request  # for the retry layer's log line
                logger.debug(
                    "%s %s -> %s after %s",
                    request.method,
                    request.url.path,
                    network.reason(exc),
                    _ms(started),
                )
                raise
        response.request = request  # for the retry layer's log line
        path, status = request.url.path, response.status_code
        logger.debug("%s %s -> %d in %s", request.method, path, status, _ms(started))
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()
