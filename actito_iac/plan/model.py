"""The plan's value types: one small closed vocabulary of actions, each change self-describing.

Which of `before` / `after` is empty, per action:

    action      before          after            meaning
    create      None            desired          the object does not exist live
    update      live            desired          applicable field changes
    replace     live            desired          a field the API cannot change in place: the
                                                 object is deleted and created again (one
                                                 change; its risk is the kind's)
    delete      live            None             in no manifest, and pruned (`--prune`): opt-in
                                                 only, always destructive
    no-op       live            desired (equal)  nothing to do; `reason` may say what could not
                                                 be compared (a value the API does not return)
    manual      live or None    desired          the API cannot do it; each field's `manual` (or,
                                                 for a missing object, `reason`) says how in
                                                 the UI: `manual_steps` lists them
    blocked     live            desired or None  ACTITO forbids it, or it would break an object
                                                 that depends on it; `reason` says the way around
                                                 (`after` is None for a refused delete)
    unmanaged   live            None             exists live, absent from manifests; never touched

`before` and `after` are canonical specs (see each kind's `canonical`), the same form the
diff was computed on, so every renderer shows exactly what was compared. A long text they hold
only as a digest (an e-mail's HTML) comes with a line diff of its own in `diffs`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from actito_iac.plan.textdiff import TextDiff
from actito_iac.vocabulary import JSON, Address, Path, Risk, Source, SpecModel


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    REPLACE = "replace"
    DELETE = "delete"
    NO_OP = "no-op"
    MANUAL = "manual"
    BLOCKED = "blocked"
    UNMANAGED = "unmanaged"


PENDING = frozenset(
    {
        Action.CREATE,
        Action.UPDATE,
        Action.REPLACE,
        Action.DELETE,
        Action.MANUAL,
        Action.BLOCKED,
    }
)
"""Actions that mean the live licence differs from the manifests."""

EXECUTABLE = frozenset({Action.CREATE, Action.UPDATE, Action.REPLACE, Action.DELETE})


@dataclass(frozen=True)
class FieldChange:
    path: Path
    before: JSON
    after: JSON
    risk: Risk = Risk.SAFE
    blocked: str = ""
    """Why ACTITO forbids this field change, and the way around; empty when allowed."""
    manual: str = ""
    """Where in the ACTITO UI to make this change, when the API cannot; empty otherwise."""
    impact: str = ""
    """What the live data says of this change ("37 of 1,204 rows hold a value"), or empty."""
    replace: str = ""
    """Why this field can only change by deleting the object and creating it again; empty
    when it changes in place."""
    source: Source | None = None
    """Where the rule that judged this change comes from (its kind's verdict); None in a plan
    written before sources were recorded."""

    @property
    def dotted(self) -> str:
        return ".".join(self.path)

    @property
    def verdict(self) -> tuple[str, str]:
        """What sets this field change apart, and why — the first that holds of "blocked",
        "replace", "manual" — else ("", ""). Every rendering says it in this order."""
        for what, why in (("blocked", self.blocked), ("replace", self.replace)):
            if why:
                return what, why
        return ("manual", self.manual) if self.manual else ("", "")


@dataclass(frozen=True)
class Change:
    address: Address
    action: Action
    before: dict[str, JSON] | None
    after: dict[str, JSON] | None
    fields: tuple[FieldChange, ...] = ()
    risk: Risk = Risk.SAFE
    reason: str = ""
    depends_on: tuple[Address, ...] = ()
    """Objects that must exist first (what this one refers to)."""
    runs_after: tuple[Address, ...] = ()
    """Objects whose change must succeed first: they stop depending on this object (a link
    dropped before the attribute it held, a subscription deleted before its table's change)."""
    impact: str = ""
    """What the live data says of the object ("1,204 rows", "≥ 5,000 rows", "unknown")."""
    not_compared: tuple[str, ...] = ()
    """Top-level parts of the desired spec that the live answer does not carry, so nothing
    could be compared there ("not known", never "none"): each renderer says so."""
    status: str = ""
    """The live object's state ("in definition", "sent"), for kinds that have one."""
    diffs: tuple[TextDiff, ...] = ()
    """Line diffs of the long texts among the changed fields (all of them for a create)."""
    source: Source | None = None
    """Where the rules that decided the action come from: the least sure of them (the fields
    that block, replace or make it manual, or the reliance it would break; for an update, all
    of its fields). None where no rule decided (create, delete, no-op, unmanaged)."""
    spec: SpecModel | None = field(default=None, compare=False, repr=False)
    """The desired spec the executor writes (create/update); not part of the plan's meaning."""

    @property
    def creates(self) -> bool:
        """Whether the change brings a new object: a create, or a manual step making one in
        the UI. Renderings list its fields whole."""
        return self.action is Action.CREATE or (
            self.action is Action.MANUAL and self.before is None
        )


@dataclass(frozen=True)
class Plan:
    changes: tuple[Change, ...]
    """In execution order: creates and updates after what they depend on."""

    def count(self) -> Counter[Action]:
        return Counter(c.action for c in self.changes)

    def risks(self) -> Counter[Risk]:
        return Counter(c.risk for c in self.changes if c.action in EXECUTABLE)

    @property
    def pending(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.action in PENDING)

    @property
    def executable(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.action in EXECUTABLE)

    @property
    def has_changes(self) -> bool:
        return bool(self.pending)


def unsaid_reason(change: Change) -> str:
    """The part of the change's reason its fields do not already say under themselves: all of
    it, or what follows their own explanation (who else a blocked change would break)."""
    parts = [f.verdict[1] for f in change.fields]

    def joined(texts: list[str]) -> str:
        return "; ".join(dict.fromkeys(t for t in texts if t))  # each said once

    said = (
        joined(parts),
        joined([f.blocked for f in change.fields]),
        joined([f.replace for f in change.fields]),
        joined([f.manual for f in change.fields]),
    )
    for text in sorted({s for s in said if s}, key=len, reverse=True):
        if change.reason == text:
            return ""
        if change.reason.startswith(text + "; "):
            return change.reason[len(text) + 2 :]
    return change.reason


@dataclass(frozen=True)
class ManualStep:
    """One thing a person must do in the ACTITO UI, because the API cannot."""

    address: Address
    text: str
    """Where to go and what to set ("In ACTITO: … › Activate")."""


def manual_steps(plan: Plan) -> tuple[ManualStep, ...]:
    """Every manual step of the plan, in plan order: one per UI-only field change (the same
    text once), or the change's reason for a step that concerns the whole object."""
    steps = []
    for change in plan.changes:
        if change.action is not Action.MANUAL:
            continue
        texts = [f.manual for f in change.fields if f.manual] or [change.reason]
        steps += [ManualStep(change.address, text) for text in dict.fromkeys(texts) if text]
    return tuple(steps)
