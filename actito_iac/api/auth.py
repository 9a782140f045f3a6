"""Access tokens: reading the token exchange answer, caching and renewing the token.

ACTITO trades the API key for a bearer token valid 15 minutes (`GET /auth/token`). The cache
hands out the current token, renews it shortly before it expires, and lets one caller at a time
do the exchange so that a burst of concurrent calls costs a single exchange.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from actito_iac.secrets import Secret

# Documented token lifetime, used when an answer leaves `expiresIn` out.
DEFAULT_LIFETIME = 900.0

# Header values must be visible ASCII; anything else would be refused by the HTTP layer with an
# error message that quotes the value.
_HEADER_SAFE = re.compile(r"[\x21-\x7e]+")

Exchange = Callable[[], Awaitable[tuple[Secret, float]]]


def is_header_safe(value: str) -> bool:
    return bool(_HEADER_SAFE.fullmatch(value))


def parse_expires_in(value: object) -> float:
    """Seconds from ACTITO's `expiresIn`: documented as a string like "900s"; a number is
    tolerated too."""
    seconds: float | None = None
    if isinstance(value, bool):
        seconds = None
    elif isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower().removesuffix("s").strip()
        try:
            seconds = float(text)
        except ValueError:
            seconds = None
    if seconds is None or not seconds > 0 or seconds == float("inf"):
        raise ValueError(f"expiresIn {value!r} is not a positive number of seconds")
    return seconds


def parse_token_answer(body: object) -> tuple[Secret, float]:
    """(token, lifetime in seconds) from the token exchange answer; ValueError if unusable.

    Error messages describe the shape only, never the token.
    """
    if not isinstance(body, dict):
        raise ValueError("the token answer is not a JSON object")
    token = body.get("accessToken")
    if not isinstance(token, str) or not token:
        raise ValueError("the token answer has no accessToken")
    if not is_header_safe(token):
        raise ValueError("the accessToken contains characters that cannot be sent in a header")
    raw_lifetime = body.get("expiresIn")
    lifetime = DEFAULT_LIFETIME if raw_lifetime is None else parse_expires_in(raw_lifetime)
    return Secret(token), lifetime


@dataclass(frozen=True)
class AccessToken:
    value: Secret
    renew_at: float  # clock reading after which the token is renewed before use


class TokenCache:
    """The current access token, renewed when less than `margin` seconds of it remain.

    `clock` gives monotonic seconds (injected so tests can move time). The margin is capped
    at half the token's lifetime, so a short-lived token is not renewed before every call.
    """

    def __init__(self, exchange: Exchange, *, clock: Callable[[], float], margin: float) -> None:
        self._exchange = exchange
        self._clock = clock
        self._margin = margin
        self._token: AccessToken | None = None
        self._lock = asyncio.Lock()
        self.exchanges = 0

    async def current(self) -> Secret:
        token = self._token
        if token is not None and self._clock() <= token.renew_at:
            return token.value
        async with self._lock:
            # Another caller may have renewed it while this one waited for the lock.
            token = self._token
            if token is None or self._clock() > token.renew_at:
                # Read the clock before asking: the lifetime starts no earlier than the request.
                asked_at = self._clock()
                value, lifetime = await self._exchange()
                self.exchanges += 1
                margin = min(self._margin, lifetime / 2)
                token = AccessToken(value, asked_at + lifetime - margin)
                self._token = token
            return token.value

    def discard(self, value: Secret) -> None:
        """Forget `value` (refused by ACTITO) unless a newer token already replaced it."""
        if self._token is not None and self._token.value == value:
            self._token = None
