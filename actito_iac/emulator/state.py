"""Everything one emulated licence holds at run time, shared by the middleware and the routes."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from actito_iac.emulator.faults import FaultQueue
from actito_iac.emulator.pace import Throttle
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
class Stats:
    """What a benchmark reads of a run (`/__emulator__/stats`): API calls, the most in flight
    at once, those refused with 429, those the throttle held and for how long in all, and when
    the first call came in and the last answer left (monotonic seconds)."""

    calls: int = 0
    peak_in_flight: int = 0
    refused: int = 0
    throttled: int = 0
    held: float = 0.0
    first: float | None = None
    last: float | None = None

    def to_json(self) -> dict[str, Any]:
        span = (self.last - self.first) if self.first is not None and self.last else 0.0
        return {
            "calls": self.calls,
            "peakInFlight": self.peak_in_flight,
            "refused": self.refused,
            "throttled": self.throttled,
            "heldSeconds": round(self.held, 6),
            "spanSeconds": round(max(span, 0.0), 6),
        }


@dataclass
class EmulatorState:
    store: Store
    tokens: TokenBook
    max_in_flight: int
    hosts: frozenset[str] = frozenset()
    """Host names the admin surface also answers to, besides loopback (the bound address)."""
    faults: FaultQueue = field(default_factory=FaultQueue)
    log: RequestLog = field(default_factory=RequestLog)
    latency: float = 0.0
    """Seconds every API call takes besides its work (pace.py)."""
    throttle: Throttle | None = None
    """ACTITO's slow-down past its calls per minute (pace.py); None: never slowed."""
    stats: Stats = field(default_factory=Stats)
    in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def arrive(self, now: float) -> None:
        with self._lock:
            self.stats.calls += 1
            if self.stats.first is None:
                self.stats.first = now

    def depart(self, now: float) -> None:
        with self._lock:
            self.stats.last = now

    def enter(self) -> bool:
        """Count a request in, unless the licence's concurrency limit is already reached."""
        with self._lock:
            if self.in_flight >= self.max_in_flight:
                self.stats.refused += 1
                return False
            self.in_flight += 1
            self.stats.peak_in_flight = max(self.stats.peak_in_flight, self.in_flight)
            return True

    def leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def pause(self) -> float:
        """Seconds to hold the call just let in: the latency, and the throttle's delay."""
        held = self.throttle.delay() if self.throttle is not None else 0.0
        if held > 0:
            with self._lock:
                self.stats.throttled += 1
                self.stats.held += held
        return self.latency + held

    def clear_stats(self) -> None:
        with self._lock:
            self.stats = Stats()
        if self.throttle is not None:
            self.throttle.reset()

    def reset(self) -> None:
        """Forget everything but the configuration (keys, limits)."""
        self.store.reset()
        self.tokens.clear()
        self.faults.clear()
        self.log.clear()
        self.clear_stats()
