"""Validation of custom-table definitions, on create and on change request (docs/api.md).

Pure functions: a request body in, the normalised stored definition out, or a `RuleError`
listing every problem found (a caller fixing a definition wants them all at once). The
normalised definition carries every key with the server defaults applied, so what the emulator
answers on GET is stable whatever subset of keys the client sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

# The 64-character limit is documented. [INFER] the character set (letter first, then letters,
# digits, `_`), the same pattern the client checks manifests against.
TECHNICAL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")

# STRING, LONG, NUMBER, TIMESTAMP are documented for custom tables; INTEGER only for profile
# tables. [INFER] INTEGER, BOOLEAN and DATE are accepted on custom tables (never seen there).
VALUE_TYPES = frozenset({"STRING", "LONG", "NUMBER", "TIMESTAMP", "INTEGER", "BOOLEAN", "DATE"})

# INTERACTIONS is documented. [INFER] LINKED_DATA and REPOSITORY: ACTITO's two other table kinds
# exist, but the spelling of their enum values is a guess.
TABLE_TYPES = frozenset({"INTERACTIONS", "LINKED_DATA", "REPOSITORY"})

_TABLE_KEYS = frozenset(
    {
        "id",
        "name",
        "type",
        "primaryKeyAttribute",
        "creationTimeAttribute",
        "bigTable",
        "attributes",
        "foreignKeys",
        "eventsToTrigger",
        "cleaningRules",
        "displayOptions",
    }
)
_ATTRIBUTE_KEYS = frozenset(
    {"name", "valueType", "mandatory", "unique", "indexed", "valueRestriction"}
)
_RESTRICTION_KEYS = ("minLength", "maxLength", "acceptedValues")
_PASS_THROUGH_LISTS = ("foreignKeys", "eventsToTrigger", "cleaningRules")

_Report = Callable[[str], None]
"""Records one problem; the helpers below report through it instead of raising."""


class RuleError(ValueError):
    """The definition breaks one or more rules; `problems` holds one message per rule broken."""

    def __init__(self, problems: Collection[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def validate_create(definition: object, *, existing_names: Collection[str] = ()) -> dict[str, Any]:
    """Check a create body and return the definition to store (without `id`).

    An `id` in the body is ignored: the server assigns it.
    """
    # [INFER] a client-sent id is ignored rather than refused.
    table, problems = _normalise(definition)
    if table.get("name") in existing_names:
        problems.insert(0, f"table {table['name']!r}: a table with this name already exists")
    if problems:
        raise RuleError(problems)
    return table


def validate_change(stored: Mapping[str, Any], requested: object) -> dict[str, Any]:
    """Check a change request (the whole desired definition) against the stored definition.

    Returns the new stored definition, `id` first. Immutable fields are checked first and alone:
    when one of them changed, the rest of the comparison would only add confusing echoes (a
    removed primary key also "names no attribute").
    """
    # [INFER] the body is the whole desired definition (omitted lists fall back to their
    # defaults), and an `id` in it is ignored: the table stays the one named in the URL.
    problems = _immutable_problems(stored, requested)
    if problems:
        raise RuleError(problems)
    table, problems = _normalise(requested)
    if not problems:
        problems = _attribute_change_problems(stored, table)
    if problems:
        raise RuleError(problems)
    return {"id": stored["id"], **table}


# -- normalisation ----------------------------------------------------------------------------


def _normalise(definition: object) -> tuple[dict[str, Any], list[str]]:
    if not isinstance(definition, Mapping):
        return {}, ["the custom table definition must be a JSON object"]
    name = definition.get("name")
    label = f"table {name!r}" if isinstance(name, str) else "table"
    problems: list[str] = []

    def bad(message: str) -> None:
        problems.append(f"{label}: {message}")

    # [INFER] unknown properties are refused rather than silently dropped, so a client typo
    # ("primaryKey" for "primaryKeyAttribute") fails loudly against the emulator.
    for key in sorted(set(definition) - _TABLE_KEYS, key=str):
        bad(f"unknown property {key!r}")
    if not isinstance(name, str) or not TECHNICAL_NAME.fullmatch(name):
        bad(f"name {name!r} is not a technical name (a letter, then letters, digits or _; ≤ 64)")
    table_type = definition.get("type")
    if table_type not in TABLE_TYPES:
        bad(f"type {table_type!r} is not one of {', '.join(sorted(TABLE_TYPES))}")
    big_table = definition.get("bigTable", False)  # [INFER] server default false
    if not isinstance(big_table, bool):
        bad("bigTable must be true or false")

    attributes = _attributes(definition.get("attributes"), bad)
    by_name = {a["name"]: a for a in attributes}
    primary_key = definition.get("primaryKeyAttribute")
    key_attribute = by_name.get(primary_key) if isinstance(primary_key, str) else None
    if key_attribute is None:
        bad(f"primaryKeyAttribute {primary_key!r} is not an attribute of the table")
    elif not (key_attribute["mandatory"] and key_attribute["unique"]):
        bad(f"primary key attribute {primary_key!r} must be mandatory and unique")
    creation_time = definition.get("creationTimeAttribute")
    # [INFER] the creation-time attribute must be a TIMESTAMP.
    if creation_time is not None:
        moment = by_name.get(creation_time) if isinstance(creation_time, str) else None
        if moment is None:
            bad(f"creationTimeAttribute {creation_time!r} is not an attribute of the table")
        elif moment["valueType"] != "TIMESTAMP":
            bad(f"creationTimeAttribute {creation_time!r} must be a TIMESTAMP attribute")

    table: dict[str, Any] = {
        "name": name,
        "type": table_type,
        "primaryKeyAttribute": primary_key,
        "creationTimeAttribute": creation_time,
        "bigTable": big_table,
        "attributes": attributes,
    }
    # [INFER] these default to empty and are stored as sent (only their JSON type is checked):
    # the emulator does not model foreign-key targets, events or retention, it keeps them so a
    # client can read back what it wrote.
    for key in _PASS_THROUGH_LISTS:
        value = definition.get(key, [])
        if not isinstance(value, list):
            bad(f"{key} must be a list")
        table[key] = value
    display_options = definition.get("displayOptions", {})
    if not isinstance(display_options, Mapping):
        bad("displayOptions must be an object")
    table["displayOptions"] = display_options
    return table, problems


def _attributes(raw: object, bad: _Report) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        bad("attributes must be a non-empty list")
        return []
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        attribute = _attribute(index, item, bad)
        if attribute is None:
            continue
        # [INFER] attribute names unique within the table.
        if attribute["name"] in seen:
            bad(f"attribute {attribute['name']!r} is defined twice")
            continue
        seen.add(attribute["name"])
        out.append(attribute)
    return out


def _attribute(index: int, raw: object, bad: _Report) -> dict[str, Any] | None:
    if not isinstance(raw, Mapping):
        bad(f"attributes[{index}] must be an object")
        return None
    name = raw.get("name")
    if not isinstance(name, str) or not TECHNICAL_NAME.fullmatch(name):
        bad(f"attributes[{index}]: name {name!r} is not a technical name")
        return None
    where = f"attribute {name!r}"
    for key in sorted(set(raw) - _ATTRIBUTE_KEYS, key=str):
        bad(f"{where}: unknown property {key!r}")  # [INFER] as for the table's properties
    value_type = raw.get("valueType")
    if value_type not in VALUE_TYPES:
        bad(f"{where}: valueType {value_type!r} is not one of {', '.join(sorted(VALUE_TYPES))}")
    attribute: dict[str, Any] = {"name": name, "valueType": value_type}
    for flag in ("mandatory", "indexed", "unique"):
        value = raw.get(flag, False)  # [INFER] server default false
        if not isinstance(value, bool):
            bad(f"{where}: {flag} must be true or false")
        attribute[flag] = value
    restriction = _restriction(where, value_type, raw.get("valueRestriction"), bad)
    if restriction:
        attribute["valueRestriction"] = restriction
    return attribute


def _restriction(where: str, value_type: object, raw: object, bad: _Report) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        bad(f"{where}: valueRestriction must be an object")
        return {}
    for key in sorted(set(raw) - set(_RESTRICTION_KEYS), key=str):
        bad(f"{where}: unknown valueRestriction property {key!r}")
    out = {k: raw[k] for k in _RESTRICTION_KEYS if raw.get(k) is not None}
    if out and value_type != "STRING":
        bad(f"{where}: only STRING attributes take a valueRestriction")  # [INFER]
    for key, low in (("minLength", 0), ("maxLength", 1)):
        value = out.get(key)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < low
        ):
            bad(f"{where}: {key} must be an integer ≥ {low}")
            out.pop(key)
    if "minLength" in out and "maxLength" in out and out["minLength"] > out["maxLength"]:
        bad(f"{where}: minLength is above maxLength")
    values = out.get("acceptedValues")
    if values is not None:
        if (
            not isinstance(values, list)
            or not values
            or not all(isinstance(v, str) for v in values)
        ):
            bad(f"{where}: acceptedValues must be a non-empty list of strings")
        elif len(set(values)) != len(values):
            bad(f"{where}: acceptedValues lists a value twice")  # [INFER]
    return out


# -- change requests --------------------------------------------------------------------------


def _immutable_problems(stored: Mapping[str, Any], requested: object) -> list[str]:
    if not isinstance(requested, Mapping):
        return ["the custom table definition must be a JSON object"]
    label = f"table {stored['name']!r}"
    problems = [
        f"{label}: {what} cannot be changed ({stored[key]!r} → {requested.get(key)!r})"
        for key, what in (
            ("name", "the name"),  # [DOC] technical names are immutable
            ("type", "the type"),  # [DOC]
            ("primaryKeyAttribute", "the primary key attribute"),  # [INFER]
        )
        if requested.get(key) != stored[key]
    ]
    attributes = requested.get("attributes")
    names = (
        {a.get("name") for a in attributes if isinstance(a, Mapping)}
        if isinstance(attributes, list)
        else set()
    )
    primary_key = stored["primaryKeyAttribute"]
    if primary_key not in names:
        # [INFER] removing the primary key attribute is refused.
        problems.append(f"{label}: the primary key attribute {primary_key!r} cannot be removed")
    return problems


def _attribute_change_problems(stored: Mapping[str, Any], table: Mapping[str, Any]) -> list[str]:
    label = f"table {stored['name']!r}"
    before = {a["name"]: a for a in stored["attributes"]}
    problems: list[str] = []
    for after in table["attributes"]:
        old = before.get(after["name"])
        if old is None:
            continue  # a new attribute: allowed [DOC]
        where = f"{label}: attribute {after['name']!r}"
        if old["valueType"] != after["valueType"]:
            problems.append(
                f"{where}: the value type cannot be changed "
                f"({old['valueType']} → {after['valueType']})"  # [DOC]
            )
        old_r = old.get("valueRestriction", {})
        new_r = after.get("valueRestriction", {})
        # [INFER] lengths are not in ACTITO's list of possible modifications.
        for key in ("minLength", "maxLength"):
            if old_r.get(key) != new_r.get(key):
                problems.append(
                    f"{where}: {key} cannot be changed ({old_r.get(key)!r} → {new_r.get(key)!r})"
                )
        problems.extend(_accepted_values_problems(where, old_r, new_r))
    return problems


def _accepted_values_problems(
    where: str, old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[str]:
    """Accepted values may be added, or a restriction introduced, as documented."""
    # [INFER] removing accepted values, or dropping the restriction, is refused.
    before = old.get("acceptedValues")
    if before is None:
        return []
    after = new.get("acceptedValues")
    if after is None:
        return [f"{where}: the accepted-values restriction cannot be dropped"]
    removed = [v for v in before if v not in after]
    if removed:
        return [f"{where}: accepted values cannot be removed ({', '.join(map(repr, removed))})"]
    return []
