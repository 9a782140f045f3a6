"""Scenarios: designed in ACTITO's UI only, listed per profile table (actito-api.md §8.1).

[DOC] creating a scenario is not possible through the API; `GET /v4/entity/{e}/table/{t}/
scenario` lists a profile table's scenarios with their technical names; a scenario started by
API uses the "Start" block; after activation a scenario cannot be modified. So the API here
only lists; scenarios come from seeds and from the UI surface (`/__emulator__/ui/…`), both
through these rules.

[INFER] everything else: the answer's wrapper and fields, the states (DRAFT while being
designed, ACTIVE, PAUSED, STOPPED — final), the start block's spelling, and that a scenario's
technical name is unique in its entity.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from actito_iac.emulator.problems import Report, RuleError, fixed_changes, object_body, unknown_keys
from actito_iac.emulator.resources.crud import Resource, Within, id_by_name
from actito_iac.emulator.store import CUSTOM_TABLE, PROFILE_TABLE, Store
from actito_iac.emulator.structures.attribute_rules import check_name

KIND = "scenario"
STATES = ("DRAFT", "ACTIVE", "PAUSED", "STOPPED")
DRAFT, STOPPED = "DRAFT", "STOPPED"
START_TYPES = ("START_BLOCK", "CUSTOM_TABLE_EVENT", "PROFILE_EVENT", "SCHEDULE")
OPERATIONS = ("CREATE", "UPDATE", "SUBSCRIBE", "UNSUBSCRIBE")
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
TABLE_KEY = "profileTableId"
_KEYS = ("name", "displayName", "state", TABLE_KEY, "start")
_START_KEYS = {
    "START_BLOCK": ("type",),
    "CUSTOM_TABLE_EVENT": ("type", "customTableId", "eventName"),
    "PROFILE_EVENT": ("type", "operation", "attributes", "subscription"),
    "SCHEDULE": ("type", "frequency", "dateAttribute"),
}


class ScenarioRules:
    def create(self, store: Store, entity: str, body: object) -> dict[str, Any]:
        return _checked(store, entity, body)

    def replace(
        self, store: Store, entity: str, stored: Mapping[str, Any], body: object
    ) -> dict[str, Any]:
        changed = _checked(store, entity, body)
        problems = fixed_changes(stored, changed, ("name", TABLE_KEY))
        if stored["state"] != DRAFT and changed["start"] != stored["start"]:
            # [DOC] "after activation a scenario cannot be modified".
            problems.append(
                f"scenario {stored['name']!r} has been activated: it cannot be modified "
                "(duplicate it to change its start)"
            )
        before, after = stored["state"], changed["state"]
        if before != after and (before == STOPPED or after == DRAFT):
            problems.append(f"state cannot go from {before} to {after}")
        if problems:
            raise RuleError(problems)
        return changed


def _checked(store: Store, entity: str, body: object) -> dict[str, Any]:
    body, problems, bad = object_body(body, "a scenario", _KEYS)
    name = body.get("name")
    check_name(name, bad)
    display = body.get("displayName")
    if display is not None and not isinstance(display, str):
        bad("displayName must be text")
    state = body.get("state", DRAFT)
    if state not in STATES:
        bad(f"state {state!r} is not one of {', '.join(STATES)}")
    table = store.get_object(entity, PROFILE_TABLE, str(body.get(TABLE_KEY)))
    if table is None:
        bad(f"{TABLE_KEY} {body.get(TABLE_KEY)!r}: no such profile table in {entity!r}")
    start = _start(store, entity, body.get("start"), table, bad)
    if problems:
        raise RuleError(problems)
    assert table is not None
    out = {"name": name, "state": state, TABLE_KEY: str(table["id"]), "start": start}
    if display is not None:
        out["displayName"] = display
    return out


def _start(
    store: Store, entity: str, raw: object, table: Mapping[str, Any] | None, bad: Report
) -> dict[str, Any]:
    if not isinstance(raw, Mapping) or raw.get("type") not in START_TYPES:
        kind = raw.get("type") if isinstance(raw, Mapping) else raw
        bad(f"start: type {kind!r} is not one of {', '.join(START_TYPES)}")
        return {}
    kind = str(raw["type"])
    unknown_keys("start", raw, _START_KEYS[kind], bad)
    if kind == "CUSTOM_TABLE_EVENT":
        _event(store, entity, raw, bad)
    elif kind == "PROFILE_EVENT":
        _profile_event(raw, table, bad)
    elif kind == "SCHEDULE":
        if raw.get("frequency") not in FREQUENCIES:
            bad(f"start: frequency {raw.get('frequency')!r} is not one of {FREQUENCIES}")
        if raw.get("dateAttribute") is not None:
            _attributes(table, [raw["dateAttribute"]], "dateAttribute", bad)
    return {k: raw[k] for k in _START_KEYS[kind] if k in raw}


def _event(store: Store, entity: str, raw: Mapping[str, Any], bad: Report) -> None:
    custom = store.get_object(entity, CUSTOM_TABLE, str(raw.get("customTableId")))
    if custom is None:
        bad(f"start: customTableId {raw.get('customTableId')!r}: no such custom table")
        return
    events = {e.get("name") for e in custom.get("eventsToTrigger") or []}
    if raw.get("eventName") not in events:
        bad(
            f"start: custom table {custom['name']!r} has no event {raw.get('eventName')!r} "
            f"(events: {', '.join(sorted(map(str, events))) or 'none'})"
        )


def _profile_event(raw: Mapping[str, Any], table: Mapping[str, Any] | None, bad: Report) -> None:
    operation = raw.get("operation")
    if operation not in OPERATIONS:
        bad(f"start: operation {operation!r} is not one of {', '.join(OPERATIONS)}")
    attributes = raw.get("attributes") or []
    if not isinstance(attributes, list):
        bad("start: attributes must be a list of attribute names")
    elif attributes and operation != "UPDATE":
        bad("start: only an UPDATE start takes attributes")
    else:
        _attributes(table, attributes, "attributes", bad)
    subscription = raw.get("subscription")
    if operation in ("SUBSCRIBE", "UNSUBSCRIBE") and table is not None:
        names = {s.get("name") for s in table.get("subscriptions") or []}
        if subscription not in names:
            bad(f"start: profile table {table['name']!r} has no subscription {subscription!r}")


def _attributes(table: Mapping[str, Any] | None, names: list[Any], where: str, bad: Report) -> None:
    if table is None:
        return
    known = {a.get("name") for a in table.get("attributes") or []}
    for name in names:
        if name not in known:
            bad(f"start: {where}: profile table {table['name']!r} has no attribute {name!r}")


def seed_definition(store: Store, entity: str, definition: object) -> object:
    """A seed (or a person in the UI) names the tables; the API stores their ids."""
    if not isinstance(definition, Mapping):
        return definition
    out = dict(definition)
    if "profileTable" in out:
        name = str(out.pop("profileTable"))
        missing = f"profileTable {name!r}: no such profile table in entity {entity!r}"
        out[TABLE_KEY] = id_by_name(store, entity, PROFILE_TABLE, name, missing)
    start = out.get("start")
    if isinstance(start, Mapping) and "customTable" in start:
        start = dict(start)
        name = str(start.pop("customTable"))
        missing = f"start.customTable {name!r}: no such custom table in entity {entity!r}"
        start["customTableId"] = id_by_name(store, entity, CUSTOM_TABLE, name, missing)
        out["start"] = start
    return out


RESOURCE = Resource(
    kind=KIND,
    title="scenario",
    # [DOC] the uncategorised path; [INFER] the same under the `scenarios` category.
    paths=(
        "/scenarios/v4/entity/{entity}/table/{table}/scenario",
        "/v4/entity/{entity}/table/{table}/scenario",
    ),
    wrapper="scenarios",  # [INFER]
    rules=ScenarioRules(),
    update="PUT",  # never served: api_writes is False
    seed_key="scenarios",
    seed_resolve=seed_definition,
    api_writes=False,  # [DOC] UI only
    within=Within("table", PROFILE_TABLE, TABLE_KEY, "profile table"),
)
