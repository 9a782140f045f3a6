"""Access tokens: the `GET /auth/token` exchange and their expiry.

Tokens live in memory only, as a restart of ACTITO's token service is not something a client
can observe except by a 401, which it must already handle by asking for a new token. Expiry is
measured on an injected monotonic clock so tests can jump past the 15 minutes.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import uuid
from collections.abc import Callable, Sequence
from typing import Any

DEFAULT_API_KEYS = ("emulator-key",)
"""The key an emulator accepts when none is named (`emulator serve`, `make demo`)."""


class TokenBook:
    def __init__(self, api_keys: Sequence[str], ttl: float, clock: Callable[[], float]) -> None:
        if not api_keys:
            raise ValueError("the emulator needs at least one API key")
        if ttl <= 0:
            raise ValueError("the token lifetime must be positive")
        self._keys = tuple(api_keys)
        self.ttl = ttl
        self._clock = clock
        self._expiry: dict[str, float] = {}
        self._lock = threading.Lock()

    def knows_key(self, key: str) -> bool:
        # Constant-time comparison against every key: the answer time says nothing about a key.
        matches = [hmac.compare_digest(key.encode(), k.encode()) for k in self._keys]
        return any(matches)

    def issue(self) -> dict[str, Any]:
        """A new token, in the documented body shape (`expiresIn` is a string ending in "s")."""
        # [INFER] an opaque random string: the documented sample is not a usable JWT and clients
        # must not look inside.
        token = secrets.token_urlsafe(32)
        with self._lock:
            now = self._clock()
            self._expiry = {t: e for t, e in self._expiry.items() if e > now}
            self._expiry[token] = now + self.ttl
        return {
            "accessToken": token,
            "tokenType": "bearer",
            "expiresIn": f"{self.ttl:g}s",
            "scope": "read write",
            "jti": str(uuid.uuid4()),
        }

    def is_valid(self, token: str) -> bool:
        with self._lock:
            expiry = self._expiry.get(token)
            return expiry is not None and self._clock() < expiry

    def clear(self) -> None:
        with self._lock:
            self._expiry.clear()
