"""Retry policy: which calls are repeated, on what, and how long to wait in between.

Built on httpx-retries. Its transport loop retries any status in `status_forcelist`, with or
without a `Retry-After` header (its `is_retry` method, which skips responses carrying the
header, is not used by the loop), and waits `Retry-After` when present — capped, like the
backoff, by `max_backoff_wait`.

A refused connection and an unknown host name are not repeated (api/network.py): the answer
would be the same, and the user would wait for nothing. Each repeat is logged with its reason
(the status and `Retry-After`, or what happened to the connection), so `-v` shows why a run
is slow.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, cast

import httpx
from httpx_retries import Retry

from actito_iac.api import network

logger = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]

# POST and PATCH are not repeated on these grounds: a POST that reached the server before the
# connection dropped could otherwise create the same object twice (see WRITE_METHODS below).
IDEMPOTENT_METHODS = ("GET", "PUT", "DELETE", "HEAD", "OPTIONS")

# 429: too many requests in flight for the licence; 502/503/504: a gateway or the service
# was briefly unavailable. Other failures are answers that a repeat would not change.
RETRY_STATUSES = (429, 502, 503, 504)

# Writes are repeated on one answer only: 429, which ACTITO documents as "too many concurrent
# requests" — the call was refused, not processed (actito-api.md §1.4, §1.5), so repeating it
# cannot create anything twice. Any other failure of a write (a dropped connection, a 502/503
# from a gateway that may have passed it on) may have been processed: never repeated.
WRITE_METHODS = ("POST", "PATCH")
WRITE_RETRY_STATUSES = (429,)


class PacedRetry(Retry):
    """httpx-retries' `Retry` whose waits go through an injectable async `sleep`.

    Tests pass a recording sleep to check the requested waits without spending them.
    """

    def __init__(self, *args: Any, sleep: Sleep | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wait: Sleep = sleep if sleep is not None else asyncio.sleep

    def copy_with(self, *args: Any, **kwargs: Any) -> PacedRetry:
        # The base class builds the copy with `self.__class__(...)`, unaware of `wait`.
        twin = cast(PacedRetry, super().copy_with(*args, **kwargs))
        twin.wait = self.wait
        return twin

    def is_retryable_exception(self, exception: Exception) -> bool:
        if network.is_final(exception):
            return False
        return super().is_retryable_exception(exception)

    async def asleep(self, response: httpx.Response | Exception) -> None:
        headers = response.headers if isinstance(response, httpx.Response) else {}
        seconds = self._calculate_sleep(headers)
        logger.info(
            "%s: retry %d of %d in %.1f s after %s",
            _call(response),
            self.attempts_made,
            self.total,
            seconds,
            _why(response),
        )
        await self.wait(seconds)
        self.elapsed_sleep += seconds


def _call(response: httpx.Response | Exception) -> str:
    """`METHOD /path` of the attempt that failed (the transport below attached its request)."""
    try:
        request = (
            response.request if isinstance(response, httpx.Response | httpx.RequestError) else None
        )
    except RuntimeError:  # an httpx object that was never given its request
        request = None
    return f"{request.method} {request.url.path}" if request is not None else "a call"


def _why(response: httpx.Response | Exception) -> str:
    if isinstance(response, Exception):
        return network.reason(response)
    why = f"{response.status_code} {httpx.codes.get_reason_phrase(response.status_code)}".rstrip()
    retry_after = response.headers.get("Retry-After", "").strip()
    return f"{why} (Retry-After: {retry_after})" if retry_after else why


def build_retry(
    *,
    retries: int,
    backoff_factor: float,
    max_backoff: float,
    sleep: Sleep | None = None,
    writes: bool = False,
) -> PacedRetry:
    """`retries` repeats at most (so `retries + 1` attempts), with full-jitter exponential
    backoff `backoff_factor * 2**n` capped at `max_backoff`, or `Retry-After` when given.

    `writes`: the policy of POST and PATCH calls (repeated after a 429 only, see above)."""
    return PacedRetry(
        total=retries,
        allowed_methods=WRITE_METHODS if writes else IDEMPOTENT_METHODS,
        status_forcelist=WRITE_RETRY_STATUSES if writes else RETRY_STATUSES,
        retry_on_exceptions=() if writes else None,
        backoff_factor=backoff_factor,
        max_backoff_wait=max_backoff,
        respect_retry_after_header=True,
        backoff_jitter=1.0,
        sleep=sleep,
    )
