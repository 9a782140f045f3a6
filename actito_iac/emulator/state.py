"""Everything one emulated licence holds at run time, shared by the middleware and the routes."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from actito_iac.emulator.faults import FaultQueue
from actito_iac.emulator.store import Store
from actito_iac.emulator.tokens import TokenBook

REQUEST_LOG_LIMIT = 10_000
"""Oldest entries are dropped beyond this, so a long demo run does not grow without bound."""


class RequestLog:
    """Method, path and status of each API request, in arrival order.

    Deliberately nothing else: no headers, no query string, no body, so neither API keys nor
    tokens can ever show up in it.
    """

    def __init__(self) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_LIMIT)
        self._lock = threading.Lock()

    def open(self, method: str, path: str) -> dict[str, Any]:
        """Record an arriving request; its status stays None until `close`."""
        entry: dict[str, Any] = {"method": method, "path": path, "status": None}
        with self._lock:
            self._entries.append(entry)
        return entry

    def close(self, entry: dict[str, Any], status: int) -> None:
        with self._lock:
            entry["status"] = status

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(e) for e in self._entries]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


@dataclass
class EmulatorState:
    store: Store
    tokens: TokenBook
    max_in_flight: int
    hosts: frozenset[str] = frozenset()
    """Host names the admin surface also answers to, besides loopback (the bound address)."""
    faults: FaultQueue = field(default_factory=FaultQueue)
    log: RequestLog = field(default_factory=RequestLog)
    in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def enter(self) -> bool:
        """Count a request in, unless the licence's concurrency limit is already reached."""
        with self._lock:
            if self.in_flight >= self.max_in_flight:
                return False
            self.in_flight += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def reset(self) -> None:
        """Forget everything but the configuration (keys, limits)."""
        self.store.reset()
        self.tokens.clear()
        self.faults.clear()
        self.log.clear()
