"""What one apply has done so far, as the executor reports it change by change, and what to say
when it is interrupted.

Only the executor's per-change report callback is used, so this holds however the executor is
written, as long as it keeps the documented order: changes run one at a time, in plan order
(apply.py). Then, when the run is interrupted, the first change not reported is the one that
was in flight — its request may or may not have reached ACTITO — and those after it were not
started.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from actito_iac.apply_result import Outcome, Status
from actito_iac.errors import ApplyInterrupted
from actito_iac.plan.model import Change


@dataclass
class ApplyLog:
    planned: tuple[Change, ...]
    """The executable changes, in the order the executor runs them."""
    outcomes: list[Outcome] = field(default_factory=list)
    started: bool = False
    """Whether the executor was called (a first request may have been sent)."""

    def report(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    def interrupted(self) -> ApplyInterrupted:
        reported = {o.address for o in self.outcomes}
        rest = [f"{c.action} {c.address}" for c in self.planned if c.address not in reported]
        in_flight = rest[:1] if self.started else []
        return ApplyInterrupted(
            changed=[_line(o) for o in self.outcomes if o.status is Status.DONE],
            in_flight=in_flight,
            not_started=rest[len(in_flight) :],
            not_changed=[_line(o) for o in self.outcomes if o.status is not Status.DONE],
        )


def _line(outcome: Outcome) -> str:
    return f"{outcome.action} {outcome.address}"
