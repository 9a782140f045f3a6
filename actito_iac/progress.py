"""Progress of the long stages, as hooks: the stages say what they did, never how to show it.

`read_actual` (live.py) reports each list it has read, `read_samples` each table whose rows it
has read, the apply each change it has made. What becomes of that — a progress bar on a
terminal, one line per stage in a CI log, nothing in a test — is the caller's choice
(render/progress.py). The stages only call these three methods.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class Stage(StrEnum):
    READ = "read"
    """Reading the licence: `total` is the number of lists to read, `count` the objects read."""
    SAMPLE = "sample"
    """Reading rows to size risky changes: `total` and `count` are tables."""
    APPLY = "apply"
    """Making the changes: `total` is the changes to make, `count` those done."""


class Progress(Protocol):
    def start(self, stage: Stage, total: int) -> None: ...

    def advance(self, stage: Stage) -> None: ...

    def finish(self, stage: Stage, count: int) -> None: ...


class Silent:
    """No progress shown (library use, tests)."""

    def start(self, stage: Stage, total: int) -> None:
        pass

    def advance(self, stage: Stage) -> None:
        pass

    def finish(self, stage: Stage, count: int) -> None:
        pass


SILENT: Progress = Silent()
