"""Validation of custom-table definitions, on create and on change request (docs/api.md).

Pure functions: a request body in, the normalised stored definition out, or a `RuleError`
listing every problem found. The normalised definition carries every key with the server
defaults applied, so what the emulator answers on GET is stable whatever subset of keys the
client sent. Checks that need rows (unique, accepted values, mandatory against the data) live
in `data_rules.py`; foreign keys are checked through a `References` lookup (`link_rules.py`).
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import Any

from actito_iac.emulator.problems import Report, RuleError
from actito_iac.emulator.structures.attribute_rules import (
    TECHNICAL_NAME,
    VALUE_TYPES,
    attribute_head,
    flag,
    restriction,
    restriction_change_problems,
    table_head,
    ui_settings,
)
from actito_iac.emulator.structures.link_rules import (
    CUSTOM_TABLE_REF,
    References,
    foreign_keys,
    no_references,
)
from actito_iac.emulator.structures.option_rules import (
    cleaning_rules,
    display_options,
    events_to_trigger,
)

__all__ = [
    "TABLE_TYPES",
    "TECHNICAL_NAME",
    "VALUE_TYPES",
    "RuleError",
    "validate_change",
    "validate_create",
]

# INTERACTIONS is documented. [INFER] LINKED_DATA and REPOSITORY: ACTITO's two other table kinds
# exist, but the spelling of their enum values is a guess.
TABLE_TYPES = frozenset({"INTERACTIONS", "LINKED_DATA", "REPOSITORY"})

_TABLE_KEYS = (
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
)
_ATTRIBUTE_KEYS = ("name", "valueType", "mandatory", "unique", "indexed", "valueRestriction")


def validate_create(
    definition: object,
    *,
    existing_names: Container[str] = (),
    references: References = no_references,
) -> dict[str, Any]:
    """Check a create body and return the definition to store (without `id`).

    An `id` in the body is ignored: the server assigns it.
    """
    # [INFER] a client-sent id is ignored rather than refused.
    table, problems = _normalise(definition, references, own_id=None)
    if table.get("name") in existing_names:
        problems.insert(0, f"table {table['name']!r}: a table with this name already exists")
    if problems:
        raise RuleError(problems)
    return table


def validate_change(
    stored: Mapping[str, Any], requested: object, *, references: References = no_references
) -> dict[str, Any]:
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
    table, problems = _normalise(requested, references, own_id=stored["id"])
    if not problems:
        problems = _attribute_change_problems(stored, table)
    if problems:
        raise RuleError(problems)
    return {"id": stored["id"], **table}


# -- normalisation ----------------------------------------------------------------------------


def _normalise(
    definition: object, references: References, *, own_id: str | None
) -> tuple[dict[str, Any], list[str]]:
    if not isinstance(definition, Mapping):
        return {}, ["the custom table definition must be a JSON object"]
    name, problems, bad = table_head(definition, "table", _TABLE_KEYS)
    table_type = definition.get("type")
    if table_type not in TABLE_TYPES:
        bad(f"type {table_type!r} is not one of {', '.join(sorted(TABLE_TYPES))}")
    big_table = flag("", definition, "bigTable", bad)

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

    def lookup(table_type: str, table_id: str) -> Mapping[str, Any] | None:
        # A table may reference itself (a parent record): it is checked as requested.
        if own_id is not None and table_type == CUSTOM_TABLE_REF and table_id == own_id:
            return {"name": name, "attributes": attributes}
        return references(table_type, table_id)

    return {
        "name": name,
        "type": table_type,
        "primaryKeyAttribute": primary_key,
        "creationTimeAttribute": creation_time,
        "bigTable": big_table,
        "attributes": attributes,
        "foreignKeys": foreign_keys(definition.get("foreignKeys", []), by_name, lookup, bad),
        "eventsToTrigger": events_to_trigger(definition.get("eventsToTrigger", []), by_name, bad),
        "cleaningRules": cleaning_rules(
            definition.get("cleaningRules", []),
            {n: a["valueType"] for n, a in by_name.items()},
            bad,
        ),
        # [INFER] the default `{}`: a definition read back without display options.
        "displayOptions": display_options(
            definition.get("displayOptions", {}), by_name, bad, with_lists=False
        ),
    }, problems


def _attributes(raw: object, bad: Report) -> list[dict[str, Any]]:
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


def _attribute(index: int, item: object, bad: Report) -> dict[str, Any] | None:
    head = attribute_head(index, item, _ATTRIBUTE_KEYS, bad)
    if head is None:
        return None
    name, where, raw = head
    value_type = raw.get("valueType")
    if value_type not in VALUE_TYPES:
        bad(f"{where}: valueType {value_type!r} is not one of {', '.join(sorted(VALUE_TYPES))}")
    attribute: dict[str, Any] = {"name": name, "valueType": value_type}
    for name_of_flag in ("mandatory", "indexed", "unique"):
        attribute[name_of_flag] = flag(where, raw, name_of_flag, bad)
    value_restriction = restriction(where, value_type, raw.get("valueRestriction"), bad)
    if value_restriction:
        attribute["valueRestriction"] = value_restriction
    attribute.update(ui_settings(raw))
    return attribute


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
        problems.extend(restriction_change_problems(where, old, after))
    return problems
