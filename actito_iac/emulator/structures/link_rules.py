"""Foreign keys: how a custom table links to a profile table or to another custom table.

A foreign key is checked against the table it references, found through a `References`
lookup the caller builds over the store (and, in a seed, the tables the seed creates first).
The other direction matters too: a table whose attribute is referenced may not drop that
attribute or make it non-unique, or the link it carries would silently break.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from actito_iac.emulator.problems import Report, unknown_keys

PROFILE_TABLE_REF = "PROFILE_TABLE"
CUSTOM_TABLE_REF = "CUSTOM_TABLE"
REFERENCE_TYPES = (PROFILE_TABLE_REF, CUSTOM_TABLE_REF)
# CASCADE is documented. [INFER] SET_NULL and RESTRICT, the usual alternatives.
ON_DELETE = ("CASCADE", "SET_NULL", "RESTRICT")

_KEY_KEYS = ("name", "attribute", "reference", "onDelete")
_REFERENCE_KEYS = ("tableType", "tableId", "attribute")

References = Callable[[str, str], Mapping[str, Any] | None]
"""(tableType, tableId) → the referenced table's definition in the same entity, or None."""


def no_references(table_type: str, table_id: str) -> Mapping[str, Any] | None:
    """The lookup of a definition checked alone: every referenced table is unknown."""
    return None


def foreign_keys(
    raw: object, attributes: Mapping[str, Mapping[str, Any]], references: References, bad: Report
) -> list[Any]:
    """Check `foreignKeys` and return it as sent."""
    if not isinstance(raw, list):
        bad("foreignKeys must be a list")
        return []
    seen: set[str] = set()
    for index, key in enumerate(raw):
        if not isinstance(key, Mapping):
            bad(f"foreignKeys[{index}] must be an object")
            continue
        name = key.get("name")
        if not isinstance(name, str) or not name.strip():
            bad(f"foreignKeys[{index}]: name must be a non-empty string")
            continue
        where = f"foreign key {name!r}"
        if name in seen:
            bad(f"{where} is defined twice")  # [INFER] names unique in the table
        seen.add(name)
        unknown_keys(where, key, _KEY_KEYS, bad)
        attribute = key.get("attribute")
        own = attributes.get(attribute) if isinstance(attribute, str) else None
        if own is None:
            bad(f"{where}: attribute {attribute!r} is not an attribute of the table")
        on_delete = key.get("onDelete")
        if on_delete not in ON_DELETE:
            bad(f"{where}: onDelete {on_delete!r} is not one of {', '.join(ON_DELETE)}")
        elif on_delete == "SET_NULL" and own is not None and own["mandatory"]:
            # [INFER] a mandatory attribute cannot be emptied when its target goes.
            bad(f"{where}: onDelete SET_NULL needs a non-mandatory attribute")
        _reference(where, key.get("reference"), references, bad)
    return raw


def _reference(where: str, raw: object, references: References, bad: Report) -> None:
    if not isinstance(raw, Mapping):
        bad(f"{where}: reference must be an object")
        return
    unknown_keys(f"{where}: reference", raw, _REFERENCE_KEYS, bad)
    table_type, table_id = raw.get("tableType"), raw.get("tableId")
    if table_type not in REFERENCE_TYPES:
        bad(f"{where}: tableType {table_type!r} is not one of {', '.join(REFERENCE_TYPES)}")
        return
    kind = "profile table" if table_type == PROFILE_TABLE_REF else "custom table"
    # [INFER] the referenced table must exist, in the same entity.
    table = references(table_type, table_id) if isinstance(table_id, str) else None
    if table is None:
        bad(f"{where}: references unknown {kind} {table_id!r}")
        return
    attribute = raw.get("attribute")
    target = next((a for a in table["attributes"] if a["name"] == attribute), None)
    label = f"{kind} {table['name']!r}"
    if target is None:
        bad(f"{where}: {attribute!r} is not an attribute of {label}")
    elif not target["unique"]:
        # [INFER] a link must designate one row of the referenced table.
        bad(f"{where}: attribute {attribute!r} of {label} must be unique to be referenced")


def referrers(
    tables: Iterable[Mapping[str, Any]], table_type: str, table_id: str
) -> list[tuple[str, Mapping[str, Any]]]:
    """(table name, foreign key) for every foreign key of `tables` pointing at one table."""
    return [
        (table["name"], key)
        for table in tables
        for key in table["foreignKeys"]
        if key["reference"]["tableType"] == table_type and key["reference"]["tableId"] == table_id
    ]


def kept_reference_problems(
    label: str,
    attributes: Iterable[Mapping[str, Any]],
    pointing: Iterable[tuple[str, Mapping[str, Any]]],
) -> list[str]:
    """A referenced attribute must stay, and stay unique [INFER]."""
    by_name = {a["name"]: a for a in attributes}
    problems: list[str] = []
    for table_name, key in pointing:
        name = key["reference"]["attribute"]
        by = f"foreign key {key['name']!r} of custom table {table_name!r}"
        if name not in by_name:
            problems.append(f"{label}: attribute {name!r} is referenced by {by}: it must stay")
        elif not by_name[name]["unique"]:
            problems.append(
                f"{label}: attribute {name!r} is referenced by {by}: it must stay unique"
            )
    return problems
