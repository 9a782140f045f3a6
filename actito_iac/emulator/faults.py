"""Scripted faults: make chosen requests fail or stall, to exercise a client's retries.

A fault matches a method (or any) and a regular expression searched in the path; each matching
request consumes one use, and faults are tried in the order they were added, so a script like
"503 once, then a 429 with Retry-After" reads top to bottom.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_KEYS = frozenset({"method", "path", "status", "count", "retryAfter", "delay"})


class FaultError(ValueError):
    """A fault description that cannot be used."""


@dataclass
class Fault:
    path: re.Pattern[str]
    method: str | None = None
    status: int | None = None
    """None: no answer is forced; the request proceeds normally after `delay`."""
    count: int = 1
    retry_after: int | None = None
    delay: float = 0.0

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and bool(self.path.search(path))

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path.pattern,
            "status": self.status,
            "count": self.count,
            "retryAfter": self.retry_after,
            "delay": self.delay,
        }

    @classmethod
    def from_json(cls, raw: object) -> Fault:
        if not isinstance(raw, Mapping):
            raise FaultError("a fault must be a JSON object")
        unknown = sorted(str(k) for k in set(raw) - _KEYS)
        if unknown:
            raise FaultError(f"unknown fault key(s): {', '.join(unknown)}")
        try:
            path = re.compile(_typed(raw, "path", str, ".*"))
        except re.error as exc:
            raise FaultError(f"path is not a regular expression: {exc}") from None
        method = _typed(raw, "method", str, None)
        status = _typed(raw, "status", int, None)
        if status is not None and not 400 <= status <= 599:
            raise FaultError("status must be an error status (400–599)")
        count = _typed(raw, "count", int, 1)
        retry_after = _typed(raw, "retryAfter", int, None)
        delay = float(_typed(raw, "delay", (int, float), 0))
        if count < 1 or delay < 0 or (retry_after is not None and retry_after < 0):
            raise FaultError("count must be ≥ 1; delay and retryAfter must be ≥ 0")
        return cls(path, method and method.upper(), status, count, retry_after, delay)


def _typed(raw: Mapping[str, Any], key: str, kind: type | tuple[type, ...], default: Any) -> Any:
    value = raw.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, kind):
        raise FaultError(f"{key} has the wrong type")
    return value


class FaultQueue:
    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def take(self, method: str, path: str) -> Fault | None:
        """The first fault matching this request, with one of its uses consumed."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.count -= 1
                    if fault.count == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [f.to_json() for f in self._faults]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
