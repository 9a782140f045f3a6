"""How fast the emulated licence answers: a fixed latency, and ACTITO's throttle.

Latency stands for the network and ACTITO's own time (a benchmark runs with 50 ms, the order of
a real call from Europe); it is spent inside the request's in-flight slot, as a slow real answer
holds it.

The throttle follows ACTITO's documented limit [DOC]: "max 100 calls per minute — exceeding
calls are not rejected but throttled (response time grows)". How the response time grows is
not documented: [INFER] a call that arrives when `calls` calls already began in the last
`period` seconds is held until the oldest of them is `period` old, so a licence that keeps
calling is answered at exactly the limit's rate, and one that paces itself is never held.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

DOCUMENTED_CALLS = 100
"""ACTITO's calls per minute before answers slow down [DOC]."""


@dataclass
class Throttle:
    calls: int = DOCUMENTED_CALLS
    period: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _admitted: deque[float] = field(default_factory=deque, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.calls < 1 or self.period <= 0:
            raise ValueError("a throttle needs at least 1 call per a positive period")

    def delay(self) -> float:
        """Seconds to hold the call arriving now (0 within the limit)."""
        with self._lock:
            now = self.clock()
            start = now
            if len(self._admitted) >= self.calls:
                start = max(now, self._admitted[-self.calls] + self.period)
            self._admitted.append(start)
            while len(self._admitted) > self.calls:
                self._admitted.popleft()
            return start - now

    def reset(self) -> None:
        with self._lock:
            self._admitted.clear()
