"""The bottom of the transport stack: at most N HTTP attempts in flight, each logged.

Log lines name the method, the path (never the query or the headers, where the key and the
token travel), the status or what happened to the connection, and the milliseconds.

ACTITO answers 429 when a licence has more than 5 requests in flight. This layer sits *below*
the retry layer, so every attempt (retries and token exchanges included) takes a slot, and a
retry waiting out its backoff does not hold one.
"""

from __future__ import annotations

import asyncio
import logging
import time

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


class ConcurrencyLimit(httpx.AsyncBaseTransport):
    """Wraps a transport; each attempt holds one of `max_in_flight` slots until its body is in."""

    def __init__(self, inner: httpx.AsyncBaseTransport, max_in_flight: int) -> None:
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        self._inner = inner
        self._slots = asyncio.Semaphore(max_in_flight)
        self.attempts = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
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
