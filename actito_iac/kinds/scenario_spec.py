"""The manifest model of a scenario: what the licence relies on, and how it starts.

A scenario starts (actito-api.md §8.1) by an API call — the "Start" block [DOC] —, on an
event — a custom table's named event, or one of a profile's (created, changed, subscribing) —,
or on a schedule (a planned task, such as birthdays) [DOC: the three kinds of start]. The
spellings below are [INFER]: ACTITO's scenario list was never seen.

The start is compared and shown as one line of text (`start_text`), so that a changed start
is one difference with one manual step, not one per field.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field, PrivateAttr

from actito_iac.kinds.common import LINK_NAME, TECHNICAL_NAME, inferred_enum
from actito_iac.vocabulary import Issue, Model, NamedSpec

StartType = Literal["API", "EVENT", "PROFILE_EVENT", "SCHEDULE"]
ProfileOperation = Literal["CREATE", "UPDATE", "SUBSCRIBE", "UNSUBSCRIBE"]
"""[INFER] what happens to a profile that may start a scenario (ACTITO's documentation names
unsubscribing among the events a scenario starts on)."""
Frequency = Literal["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]
"""[INFER] how often a planned task runs."""

API_START = "API (Start block)"


class ScenarioStart(Model):
    """How the scenario starts: `type` and the fields that type takes."""

    type: StartType = Field(
        **inferred_enum(
            "API: started by an API call, through the Start block. EVENT: on a custom table's "
            "event. PROFILE_EVENT: on a change to a profile. SCHEDULE: a planned task. The "
            "four starts are documented; their spelling is not.",
            "API",
            "EVENT",
            "PROFILE_EVENT",
            "SCHEDULE",
        )
    )
    customTable: str | None = Field(default=None, description="EVENT: the custom table.")
    event: str | None = Field(
        default=None, pattern=LINK_NAME, description="EVENT: the event's name in that table."
    )
    operation: ProfileOperation | None = Field(
        default=None,
        **inferred_enum("PROFILE_EVENT: what happens to the profile.", *get_args(ProfileOperation)),
    )
    attributes: list[str] = Field(
        default_factory=list,
        description="PROFILE_EVENT UPDATE: start only when one of these attributes changes.",
    )
    subscription: str | None = Field(
        default=None, description="PROFILE_EVENT SUBSCRIBE / UNSUBSCRIBE: the subscription."
    )
    frequency: Frequency | None = Field(
        default=None, **inferred_enum("SCHEDULE: how often.", *get_args(Frequency))
    )
    dateAttribute: str | None = Field(
        default=None,
        description="SCHEDULE: run for each profile on the anniversary of this date attribute "
        "(birthdays).",
    )


class ScenarioSpec(NamedSpec):
    """A scenario the licence relies on. Scenarios are designed in the ACTITO UI only: the plan
    checks the licence has it, as declared, and says what to do in the UI where it differs."""

    name: str = Field(
        pattern=TECHNICAL_NAME,
        description="Technical name (ACTITO shows it beside the display name); its identity.",
    )
    profileTable: str = Field(description="The profile table whose profiles it runs for.")
    displayName: str | None = Field(default=None, description="The name shown in the UI.")
    active: bool = Field(
        default=True,
        description="Whether it runs. An inactive scenario starts nothing: API calls are "
        "refused and events ignored.",
    )
    start: ScenarioStart
    _state: str | None = PrivateAttr(default=None)
    """The state the licence gives (a live spec only): shown beside it in the plan, since
    whether a scenario was ever activated decides how it can be changed."""


_FIELDS_BY_TYPE = {
    "API": (),
    "EVENT": ("customTable", "event"),
    "PROFILE_EVENT": ("operation", "attributes", "subscription"),
    "SCHEDULE": ("frequency", "dateAttribute"),
}
_REQUIRED = {"EVENT": ("customTable", "event"), "SCHEDULE": ("frequency",)}
_START_FIELDS = (
    "customTable",
    "event",
    "operation",
    "attributes",
    "subscription",
    "frequency",
    "dateAttribute",
)


def check_scenario(spec: ScenarioSpec) -> list[Issue]:
    start = spec.start
    allowed = _FIELDS_BY_TYPE[start.type]
    issues = [
        Issue(("start", name), f"a start of type {start.type} takes no {name}")
        for name in _START_FIELDS
        if name not in allowed and getattr(start, name)
    ]
    issues += [
        Issue(("start",), f"a start of type {start.type} needs {name}")
        for name in _REQUIRED.get(start.type, ())
        if not getattr(start, name)
    ]
    if start.type == "PROFILE_EVENT":
        issues += _check_profile_event(start)
    return issues


def _check_profile_event(start: ScenarioStart) -> list[Issue]:
    if start.operation is None:
        return [Issue(("start",), "a start of type PROFILE_EVENT needs operation")]
    issues = []
    if start.attributes and start.operation != "UPDATE":
        issues.append(Issue(("start", "attributes"), "only an UPDATE start takes attributes"))
    if len(set(start.attributes)) != len(start.attributes):
        issues.append(Issue(("start", "attributes"), "an attribute is listed twice"))
    subscribing = start.operation in ("SUBSCRIBE", "UNSUBSCRIBE")
    if subscribing and start.subscription is None:
        issues.append(Issue(("start",), f"a {start.operation} start needs subscription"))
    if start.subscription is not None and not subscribing:
        message = "only a SUBSCRIBE or UNSUBSCRIBE start takes subscription"
        issues.append(Issue(("start", "subscription"), message))
    return issues


def start_text(start: ScenarioStart) -> str:
    """The start as one line, the form it is compared and shown in."""
    if start.type == "API":
        return API_START
    if start.type == "EVENT":
        return event_start(str(start.customTable), str(start.event))
    if start.type == "PROFILE_EVENT":
        text = f"profile {start.operation}"
        if start.attributes:
            text += " of " + ", ".join(sorted(start.attributes))
        if start.subscription:
            text += f" to {start.subscription!r}"
        return text
    if start.type == "SCHEDULE":
        on = f" on {start.dateAttribute!r}" if start.dateAttribute else ""
        return f"schedule {start.frequency}{on}"
    return f"{start.type} (a start this version does not know)"


def event_start(table: str, event: str) -> str:
    """How a start on a custom table's event reads: what a trigger on that event requires."""
    return f"event {event!r} of customTable {table!r}"
