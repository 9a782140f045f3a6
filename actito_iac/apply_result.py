"""The executor's value: what happened to each change of an apply.

Its own module, so that renderers can show outcomes without importing the executor.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from actito_iac.plan.model import Action
from actito_iac.vocabulary import Address


class Status(StrEnum):
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Outcome:
    address: Address
    action: Action
    status: Status
    message: str = ""


@dataclass(frozen=True)
class ApplyResult:
    outcomes: tuple[Outcome, ...]

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status is not Status.DONE)

    @property
    def ok(self) -> bool:
        return not self.failed
