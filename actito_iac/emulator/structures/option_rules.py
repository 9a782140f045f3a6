"""Events to trigger, cleaning rules and display options: the parts of a table definition that
a change request may rewrite freely, but that must still name attributes the table has.

Each checker returns what is stored: events and cleaning rules as sent (once valid), so a
client reading them back sees exactly what it wrote; display options with their lists present.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from actito_iac.emulator.problems import Report, unknown_keys

# CREATE and UPDATE are documented ("a CREATE event always exists by default, UPDATE events
# must be defined"); `=` and `!=` are the documented operators. [INFER] the ordering operators.
OPERATIONS = ("CREATE", "UPDATE")
OPERATORS = ("=", "!=", "<", ">", "<=", ">=")

_EVENT_KEYS = ("name", "triggerRules")
_RULE_KEYS = ("onOperation", "onAnyAttribute", "matchingConditions")
_STATES = ("stateBeforeOperation", "stateAfterOperation")
_CONDITION_KEYS = ("attribute", "operator", "value")
_CLEANING_KEYS = ("attribute", "retentionDays")
_DISPLAY_KEYS = ("displayName", "description", "forAttributes")
_FOR_ATTRIBUTE_KEYS = ("name", "displayName", "description")


def events_to_trigger(raw: object, attributes: Collection[str], bad: Report) -> list[Any]:
    if not isinstance(raw, list):
        bad("eventsToTrigger must be a list")
        return []
    seen: set[str] = set()
    for index, event in enumerate(raw):
        if not isinstance(event, Mapping):
            bad(f"eventsToTrigger[{index}] must be an object")
            continue
        name = event.get("name")
        if not isinstance(name, str) or not name.strip():
            bad(f"eventsToTrigger[{index}]: name must be a non-empty string")
            continue
        where = f"event {name!r}"
        if name in seen:
            bad(f"{where} is defined twice")  # [INFER] event names unique in the table
        seen.add(name)
        unknown_keys(where, event, _EVENT_KEYS, bad)
        rules = event.get("triggerRules")
        # [INFER] an event without a trigger rule would never fire: refused.
        if not isinstance(rules, list) or not rules:
            bad(f"{where}: triggerRules must be a non-empty list")
            continue
        for position, rule in enumerate(rules):
            _trigger_rule(f"{where}: triggerRules[{position}]", rule, attributes, bad)
    return raw


def _trigger_rule(where: str, rule: object, attributes: Collection[str], bad: Report) -> None:
    if not isinstance(rule, Mapping):
        bad(f"{where} must be an object")
        return
    unknown_keys(where, rule, _RULE_KEYS, bad)
    operation = rule.get("onOperation")
    if operation not in OPERATIONS:
        bad(f"{where}: onOperation {operation!r} is not one of {', '.join(OPERATIONS)}")
    watched = rule.get("onAnyAttribute", [])
    if not isinstance(watched, list):
        bad(f"{where}: onAnyAttribute must be a list of attribute names")
    else:
        for name in watched:
            _known(f"{where}: onAnyAttribute", name, attributes, bad)  # [INFER]
    conditions = rule.get("matchingConditions", {})
    if not isinstance(conditions, Mapping):
        bad(f"{where}: matchingConditions must be an object")
        return
    unknown_keys(f"{where}: matchingConditions", conditions, _STATES, bad)
    for state in _STATES:
        items = conditions.get(state, [])
        if not isinstance(items, list):
            bad(f"{where}: {state} must be a list")
            continue
        if items and state == "stateBeforeOperation" and operation == "CREATE":
            # [INFER] nothing exists before a creation, so there is no state to match.
            bad(f"{where}: a CREATE rule has no stateBeforeOperation")
        for position, condition in enumerate(items):
            _condition(f"{where}: {state}[{position}]", condition, attributes, bad)


def _condition(where: str, condition: object, attributes: Collection[str], bad: Report) -> None:
    if not isinstance(condition, Mapping):
        bad(f"{where} must be an object")
        return
    unknown_keys(where, condition, _CONDITION_KEYS, bad)
    _known(where, condition.get("attribute"), attributes, bad)  # [INFER]
    operator = condition.get("operator")
    if operator not in OPERATORS:
        bad(f"{where}: operator {operator!r} is not one of {' '.join(OPERATORS)}")
    value = condition.get("value")
    if value is not None and not isinstance(value, str | int | float):
        bad(f"{where}: value must be a string, a number, a boolean or null")  # [INFER]


def cleaning_rules(raw: object, value_types: Mapping[str, object], bad: Report) -> list[Any]:
    """[INFER] the documented name with an inferred content: `{attribute, retentionDays}`,
    the attribute a TIMESTAMP, the retention a whole number of days, one rule per attribute."""
    if not isinstance(raw, list):
        bad("cleaningRules must be a list")
        return []
    seen: set[object] = set()
    for index, rule in enumerate(raw):
        where = f"cleaningRules[{index}]"
        if not isinstance(rule, Mapping):
            bad(f"{where} must be an object")
            continue
        unknown_keys(where, rule, _CLEANING_KEYS, bad)
        attribute = rule.get("attribute")
        if not isinstance(attribute, str) or attribute not in value_types:
            bad(f"{where}: attribute {attribute!r} is not an attribute of the table")
        elif value_types[attribute] != "TIMESTAMP":
            bad(f"{where}: attribute {attribute!r} must be a TIMESTAMP attribute")
        elif attribute in seen:
            bad(f"{where}: attribute {attribute!r} already has a cleaning rule")
        seen.add(attribute)
        days = rule.get("retentionDays")
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            bad(f"{where}: retentionDays must be an integer ≥ 1")
    return raw


def display_options(
    raw: object, attributes: Collection[str], bad: Report, *, with_lists: bool
) -> dict[str, Any]:
    """`{"displayName"?, "description"?, "forAttributes": [{"name", …}]}`.

    `with_lists` fills in `forAttributes: []` (profile tables always show it); custom tables
    keep `{}` as their documented default.
    """
    # [INFER] the table-level displayName/description keys; forAttributes is documented.
    if not isinstance(raw, Mapping):
        bad("displayOptions must be an object")
        return {"forAttributes": []} if with_lists else {}
    unknown_keys("displayOptions", raw, _DISPLAY_KEYS, bad)
    for key in ("displayName", "description"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            bad(f"displayOptions: {key} must be a string")
    out = dict(raw)
    items = raw.get("forAttributes", [])
    if with_lists:
        out["forAttributes"] = items
    if not isinstance(items, list):
        bad("displayOptions: forAttributes must be a list")
        return out
    seen: set[object] = set()
    for index, item in enumerate(items):
        where = f"displayOptions.forAttributes[{index}]"
        if not isinstance(item, Mapping):
            bad(f"{where} must be an object")
            continue
        unknown_keys(where, item, _FOR_ATTRIBUTE_KEYS, bad)
        name = item.get("name")
        _known(where, name, attributes, bad)  # [INFER]
        if name in seen:
            bad(f"{where}: attribute {name!r} is listed twice")  # [INFER]
        seen.add(name)
        for key in ("displayName", "description"):
            if item.get(key) is not None and not isinstance(item[key], str):
                bad(f"{where}: {key} must be a string")
    return out


def _known(where: str, name: object, attributes: Collection[str], bad: Report) -> None:
    if not isinstance(name, str) or name not in attributes:
        bad(f"{where}: {name!r} is not an attribute of the table")
