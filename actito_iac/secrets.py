"""A string that never prints itself: API keys and other secret values.

`str()`, `repr()` and f-strings all give the mask; only `reveal()` gives the value, and only
the code that must send it (the API client's token exchange) calls it.
"""

from __future__ import annotations

import hashlib

MASK = "***"


class Secret:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def fingerprint(self) -> str:
        """A short stable digest, to compare secrets without showing them."""
        return "sha256:" + hashlib.sha256(self._value.encode()).hexdigest()[:12]

    def __str__(self) -> str:
        return MASK

    def __repr__(self) -> str:
        return f"Secret({MASK})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)
