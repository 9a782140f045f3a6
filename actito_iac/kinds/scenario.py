"""Scenarios: the journeys a licence runs for its profiles — declared, checked, never written.

API (actito-api.md §8.1, §11): creating or changing a scenario is not possible through the API
[DOC]; a profile table's scenarios are listed by `GET /v4/entity/{e}/table/{t}/scenario`
[DOC], which gives their technical names. The reader calls it once per profile table, in the
same round as the other lists (`Endpoints.within`). Everything the answer holds beyond names —
its wrapper, the state, the start block — is [INFER]: ACTITO's answer was never seen.

So a scenario in a manifest states what the licence relies on: it exists on this profile
table, is (or is not) active, and starts this way. A missing one, and every difference, is a
`manual` step saying where to go in the ACTITO UI; apply never claims to have made one. ACTITO
documents two rules a manifest can break: a scenario started by API must use the Start block
[DOC], and once activated a scenario cannot be modified [DOC] — so changing the start of an
active scenario means a copy, which the manual step says.

What it relies on is declared (`uses`): its profile table, the custom-table event or the
profile attributes and subscription it starts on, the date attribute of a schedule. Removing
any of them is blocked while the scenario is there, naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from actito_iac.kinds.base import Kind, NameLookup
from actito_iac.kinds.common import CUSTOM_TABLE, PROFILE_TABLE
from actito_iac.kinds.endpoints import LISTED_UNDER, Endpoints
from actito_iac.kinds.scenario_spec import (
    API_START,
    ScenarioSpec,
    ScenarioStart,
    check_scenario,
    start_text,
)
from actito_iac.vocabulary import (
    JSON,
    UNREAD,
    Address,
    Capabilities,
    Issue,
    Path,
    Risk,
    Source,
    SpecModel,
    Use,
    Verdict,
    op,
)

SCENARIO = "scenario"
SCENARIOS = "In ACTITO: Campaigns › Scenarios"
"""[INFER] where the UI manages scenarios (the documentation's screens were not readable)."""
ACTIVE = "ACTIVE"
"""[INFER] the state of a running scenario; any other state (being defined, paused,
stopped) starts nothing."""
STATE_WORDS = {
    "DRAFT": "in definition, never activated",
    "ACTIVE": "active",
    "PAUSED": "paused",
    "STOPPED": "stopped",
}
"""[INFER] the states, as the plan shows them beside a scenario."""
_TYPES = {
    "START_BLOCK": "API",
    "CUSTOM_TABLE_EVENT": "EVENT",
    "PROFILE_EVENT": "PROFILE_EVENT",
    "SCHEDULE": "SCHEDULE",
}
"""[INFER] the start block types of the answer -> the manifest's."""
_ONCE_ACTIVE = (
    "once activated, a scenario cannot be modified [documented]: if it was ever activated, "
    "duplicate it, make the change on the copy, activate the copy, stop the original, and "
    "declare the copy's technical name in this manifest"
)


class ScenarioKind(Kind):
    name: ClassVar[str] = SCENARIO
    noun: ClassVar[str] = "scenario"
    section: ClassVar[str] = "scenarios"
    spec_type: ClassVar[type[SpecModel]] = ScenarioSpec
    capabilities: ClassVar[Capabilities] = Capabilities(
        list=op(
            Source.DOC,
            "per profile table (GET …/table/{t}/scenario), one call each; the answer's shape "
            "(wrapper, state, start block) is inferred",
        ),
        get=op(Source.NONE, "the list gives each scenario"),
        create=op(Source.NONE, "UI only: a missing scenario is a manual step"),
        update=op(
            Source.NONE,
            "UI only, and an active scenario cannot be modified: each difference is a manual step",
        ),
        delete=op(Source.NONE, "UI only: a scenario in no manifest is listed, never deleted"),
    )
    endpoints: ClassVar[Endpoints] = Endpoints(
        category="scenarios",  # [DOC] the category; [INFER] that v4 paths live under it
        version="v4",
        resource="table/{within}/scenario",  # [DOC] by the profile table's technical name
        list_key="scenarios",  # [INFER]
        get=False,
        within=PROFILE_TABLE,
    )
    declared_only: ClassVar[frozenset[Path]] = frozenset({("displayName",)})

    def check(self, spec: SpecModel) -> list[Issue]:
        assert isinstance(spec, ScenarioSpec)
        return check_scenario(spec)

    def canonical(self, spec: SpecModel) -> dict[str, JSON]:
        assert isinstance(spec, ScenarioSpec)
        out: dict[str, JSON] = {
            "profileTable": spec.profileTable,
            "active": spec.active,
            "start": start_text(spec.start),
        }
        if spec.displayName:
            out["displayName"] = spec.displayName
        return out

    def judge(self, path: Path, before: JSON, after: JSON, name: str = "") -> Verdict:
        """Every difference is a step in the UI, which this text spells out."""
        where = f'{SCENARIOS} › open scenario "{name}"'
        head = path[0]
        # [DOC] scenarios are designed in the ACTITO UI only; [INFER] that activating one is
        # not possible by API (no endpoint found), and that its profile table is fixed.
        source = Source.DOC
        if head == "active" and after:
            step = (
                f"{where} › Activate (or Resume): while inactive it starts nothing — API calls "
                "to start it are refused and its events are ignored"
            )
            source = Source.INFER
        elif head == "active":
            step = f"{where} › Pause (or Stop, which ends it for good)"
            source = Source.INFER
        elif head == "start":
            step = f"{where}: its start must be {after}; {_ONCE_ACTIVE}{_api_note(after)}"
        elif head == "profileTable":
            step = (
                f"a scenario runs for the profile table chosen when it is created: {SCENARIOS} › "
                f'create one on profile table "{after}" like "{name}", activate it, stop '
                f'"{name}", and declare the new one in this manifest'
            )
            source = Source.INFER
        else:
            step = f"{where} › rename it: {after}"
        return Verdict(Risk.SAFE, manual=step, source=source)

    def manual_create(self, spec: SpecModel) -> str:
        assert isinstance(spec, ScenarioSpec)
        start = start_text(spec.start)
        then = ", then activate it" if spec.active else " (leave it inactive)"
        return (
            f'{SCENARIOS} › Create a scenario for profile table "{spec.profileTable}": '
            f'technical name "{spec.name}", start: {start}{then}{_api_note(start)}'
        )

    def references(self, entity: str, spec: SpecModel) -> list[Address]:
        assert isinstance(spec, ScenarioSpec)
        refs = [Address(entity, PROFILE_TABLE, spec.profileTable)]
        if spec.start.type == "EVENT" and spec.start.customTable:
            refs.append(Address(entity, CUSTOM_TABLE, spec.start.customTable))
        return refs

    def uses(self, entity: str, spec: SpecModel) -> list[Use]:
        assert isinstance(spec, ScenarioSpec)
        table = Address(entity, PROFILE_TABLE, spec.profileTable)
        uses = [Use(table, (), "runs for its profiles", at=("profileTable",))]
        return uses + _start_uses(entity, table, spec.start)

    def spec_from_payload(self, payload: Mapping[str, JSON], names: NameLookup) -> SpecModel:
        """Built without validation: a state or start this version does not know is kept as
        it is, visibly; a state the answer does not give is not known, never "inactive"."""
        state = payload.get("state")
        active: Any = UNREAD if state is None else state == ACTIVE
        spec = ScenarioSpec.model_construct(
            name=str(payload["name"]),
            profileTable=str(payload.get(LISTED_UNDER)),
            displayName=payload.get("displayName"),
            active=active,
            start=_start_from_payload(payload.get("start") or {}, names),
        )
        spec._state = None if state is None else str(state)
        return spec

    def status(self, spec: SpecModel) -> str:
        assert isinstance(spec, ScenarioSpec)
        state = spec._state
        return STATE_WORDS.get(state, str(state).lower()) if state else ""


def _api_note(start: JSON) -> str:
    if start != API_START:
        return ""
    return " — a scenario started by API must use the Start block and be active [documented]"


def _start_uses(entity: str, table: Address, start: ScenarioStart) -> list[Use]:
    if start.type == "EVENT" and start.customTable and start.event:
        events = Address(entity, CUSTOM_TABLE, start.customTable)
        what = f"starts on event {start.event!r}"
        # [DOC] a custom table's UPDATE events exist only once its definition declares them.
        at = ("start", "event")
        return [Use(events, ("events", start.event), what, at=at, source=Source.DOC)]
    uses = []
    for index, attribute in enumerate(start.attributes):
        what = f"starts on changes to attribute {attribute!r}"
        uses.append(Use(table, ("attributes", attribute), what, at=("start", "attributes", index)))
    if start.subscription:
        what = f"starts on {str(start.operation).lower()} events of subscription "
        what += repr(start.subscription)
        uses.append(Use(table, ("subscriptions", start.subscription), what, at=("start",)))
    if start.dateAttribute:
        what = f"runs on the anniversary of attribute {start.dateAttribute!r}"
        at = ("start", "dateAttribute")
        keeps = ("type", "valueType")  # a date it can no longer read would start nothing
        uses.append(Use(table, ("attributes", start.dateAttribute), what, at=at, keeps=keeps))
    return uses


def _start_from_payload(raw: Mapping[str, Any], names: NameLookup) -> ScenarioStart:
    kind: Any = _TYPES.get(str(raw.get("type")), raw.get("type"))
    table_id = raw.get("customTableId")
    table = None
    if table_id is not None:
        table = names(CUSTOM_TABLE, str(table_id)) or f"(unknown id {table_id})"
    return ScenarioStart.model_construct(
        type=kind,
        customTable=table,
        event=raw.get("eventName"),
        operation=raw.get("operation"),
        attributes=list(raw.get("attributes") or []),
        subscription=raw.get("subscription"),
        frequency=raw.get("frequency"),
        dateAttribute=raw.get("dateAttribute"),
    )
