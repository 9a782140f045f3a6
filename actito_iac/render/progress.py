"""Progress on stderr: a live bar on a terminal, one line per stage elsewhere (CI, pipes).

A CI log gets no carriage returns or redraws, only the stage's outcome once it is over:
"read 12 objects in 0.4 s", "sampled rows of 2 tables in 0.1 s", "applied 5 changes in 0.3 s".
A terminal sees a bar while the stage runs, then the same line.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from rich.console import Console

from actito_iac.progress import Progress, Stage

if TYPE_CHECKING:
    from rich.progress import TaskID

DOING = {
    Stage.READ: "Reading the licence",
    Stage.SAMPLE: "Reading rows of tables",
    Stage.APPLY: "Applying changes",
}


def summary(stage: Stage, count: int, seconds: float) -> str:
    took = f"in {seconds * 1000:.0f} ms" if seconds < 1 else f"in {seconds:.1f} s"
    if stage is Stage.READ:
        return f"read {count} object{_s(count)} {took}"
    if stage is Stage.SAMPLE:
        return f"sampled rows of {count} table{_s(count)} {took}"
    return f"applied {count} change{_s(count)} {took}"


def _s(count: int) -> str:
    return "" if count == 1 else "s"


class StageLines:
    """One line per finished stage."""

    def __init__(self, console: Console, clock: Callable[[], float] = time.monotonic) -> None:
        self._console = console
        self._clock = clock
        self._started: dict[Stage, float] = {}

    def start(self, stage: Stage, total: int) -> None:
        self._started[stage] = self._clock()

    def advance(self, stage: Stage) -> None:
        pass

    def finish(self, stage: Stage, count: int) -> None:
        seconds = self._clock() - self._started.pop(stage, self._clock())
        self._console.print(f"[dim]{summary(stage, count, seconds)}[/]", highlight=False)

    def close(self) -> None:
        pass


class StageBars(StageLines):
    """A rich bar while a stage runs (removed when it ends), then the stage's line."""

    def __init__(self, console: Console, clock: Callable[[], float] = time.monotonic) -> None:
        # Imported here: only a terminal draws bars, and CI runs (pipes) spare the import.
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.progress import Progress as Bars

        super().__init__(console, clock)
        self._bars = Bars(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            # What the run prints meanwhile (apply's outcomes) goes above the bar when stdout
            # is this same screen; redirected to a file, it stays out of the bar's way.
            redirect_stdout=sys.stdout.isatty(),
        )
        self._tasks: dict[Stage, TaskID] = {}

    def start(self, stage: Stage, total: int) -> None:
        super().start(stage, total)
        if not self._tasks:
            self._bars.start()
        self._tasks[stage] = self._bars.add_task(DOING[stage], total=total)

    def advance(self, stage: Stage) -> None:
        task = self._tasks.get(stage)
        if task is not None:
            self._bars.advance(task)

    def finish(self, stage: Stage, count: int) -> None:
        task = self._tasks.pop(stage, None)
        if task is not None:
            self._bars.remove_task(task)
        if not self._tasks:
            self._bars.stop()  # before the line: nothing redraws over it
        super().finish(stage, count)

    def close(self) -> None:
        """A stage that failed never finished: its bar goes all the same."""
        self._tasks.clear()
        self._bars.stop()


def for_console(console: Console) -> StageLines:
    """Bars when the console is a terminal, lines otherwise."""
    return StageBars(console) if console.is_terminal else StageLines(console)


@contextlib.contextmanager
def shown_on(console: Console) -> Iterator[Progress]:
    """`for_console`, with any bar gone on the way out."""
    progress = for_console(console)
    try:
        yield progress
    finally:
        progress.close()
