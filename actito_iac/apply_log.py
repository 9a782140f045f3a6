"""What one apply has done so far, as the executor reports it, and what to say when it is
interrupted.

The executor runs several changes at once (apply.py) and tells this log when each starts and
when each ends, in the order they do. So when the run is interrupted, the log knows exactly
which changes were made, which were in flight — their requests may or may not have reached
ACTITO — and which were not started.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from actito_iac.apply_result import Outcome, Status
from actito_iac.errors import ApplyInterrupted
from actito_iac.plan.model import Change


@dataclass
class ApplyLog:
    planned: tuple[Change, ...]
    """The executable changes, in plan order."""
    running: list[Change] = field(default_factory=list)
    """Changes started and not over, in the order they started."""
    outcomes: list[Outcome] = field(default_factory=list)
    """Changes over, in the order they ended."""

    def start(self, change: Change) -> None:
        self.running.append(change)

    def finish(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        self.running = [c for c in self.running if not _same(c, outcome)]

    def interrupted(self) -> ApplyInterrupted:
        touched = {(o.address, o.action) for o in self.outcomes}
        touched.update((c.address, c.action) for c in self.running)
        return ApplyInterrupted(
            changed=[_line(o) for o in self.outcomes if o.status is Status.DONE],
            in_flight=[f"{c.action} {c.address}" for c in self.running],
            not_started=[
                f"{c.action} {c.address}"
                for c in self.planned
                if (c.address, c.action) not in touched
            ],
            not_changed=[_line(o) for o in self.outcomes if o.status is not Status.DONE],
        )


def _same(change: Change, outcome: Outcome) -> bool:
    return change.address == outcome.address and change.action == outcome.action


def _line(outcome: Outcome) -> str:
    return f"{outcome.action} {outcome.address}"
