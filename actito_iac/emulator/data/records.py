"""Custom-table records: create-or-update, get, list and delete (docs/api.md, "Data").

A record is stored under its business key, the text of its primary key attribute's value;
writing a record whose key exists updates it. [INFER] an update merges: attributes left out
keep their values and `null` clears one, as ACTITO's partial PUT does.

`PUT …/record/{businessKey}` updates one existing record with only the properties it lists
[CODE actito/data-model-sdk; the operation is in ACTITO's own v4 Swagger listing]: a missing
record is a 404 (PUT never creates), and the primary key, which names the record, cannot change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from actito_iac.emulator.data.row_rules import (
    incoming_problems,
    key_text,
    mandatory_problems,
    pairs,
    parse_text,
)
from actito_iac.emulator.problems import NotFound, RuleError
from actito_iac.emulator.store import CUSTOM_TABLE, Store


class Records:
    def __init__(self, store: Store) -> None:
        self.store = store

    def upsert(self, entity: str, table: Mapping[str, Any], body: object) -> tuple[str, bool]:
        """Write one record; (its business key, whether it was created)."""
        label = f"record of table {table['name']!r}"
        values = _properties(label, body)
        attributes = {a["name"]: a for a in table["attributes"]}
        problems = incoming_problems(label, attributes, values)
        primary_key = table["primaryKeyAttribute"]
        if values.get(primary_key) is None:
            problems.append(f"{label}: the primary key attribute {primary_key!r} needs a value")
        if problems:
            raise RuleError(problems)
        key = key_text(values[primary_key])
        return key, self._write(entity, table, key, values, label)

    def update(self, entity: str, table: Mapping[str, Any], key: str, body: object) -> None:
        """Change the listed properties of the existing record `key`; the others keep their
        values and `null` clears one (partial PUT)."""
        label = f"record {key!r} of table {table['name']!r}"
        if self.store.rows.get(entity, CUSTOM_TABLE, table["id"], key) is None:
            raise NotFound(f"no record {key!r} in table {table['name']!r}")
        values = _properties(label, body)
        attributes = {a["name"]: a for a in table["attributes"]}
        problems = incoming_problems(label, attributes, values)
        primary_key = table["primaryKeyAttribute"]
        if primary_key in values and key_text(values[primary_key]) != key:
            # [INFER] the business key names the record in the URL: it cannot change.
            problems.append(f"{label}: the primary key attribute {primary_key!r} cannot change")
        if problems:
            raise RuleError(problems)
        self._write(entity, table, key, values, label)

    def _write(
        self,
        entity: str,
        table: Mapping[str, Any],
        key: str,
        values: Mapping[str, Any],
        label: str,
    ) -> bool:
        """Merge `values` into the record `key` (created if new); whether it was created."""
        rows = self.store.rows
        with self.store.transaction():
            existing = rows.get(entity, CUSTOM_TABLE, table["id"], key)
            merged = {**(existing["values"] if existing else {}), **values}
            merged = {k: v for k, v in merged.items() if v is not None}
            problems = mandatory_problems(label, table["attributes"], merged)
            problems += [
                f"{label}: unique attribute {name!r}: {merged[name]!r} is already used"
                for name in rows.clashes(
                    entity, CUSTOM_TABLE, table["id"], table["attributes"], merged, key
                )
            ]
            if problems:
                raise RuleError(problems)
            rows.put(entity, CUSTOM_TABLE, table["id"], key, {"values": merged})
        return existing is None

    def get(self, entity: str, table: Mapping[str, Any], key: str) -> dict[str, Any]:
        row = self.store.rows.get(entity, CUSTOM_TABLE, table["id"], key)
        if row is None:
            raise NotFound(f"no record {key!r} in table {table['name']!r}")
        return answer(table, row)

    def page(
        self,
        entity: str,
        table: Mapping[str, Any],
        number: int,
        search: tuple[str, str] | None = None,
    ) -> list[dict[str, Any]]:
        """At most `number` records in insertion order; `search` = (attribute, text) equality."""
        rows = self.store.rows
        if search is None:
            found = rows.read(entity, CUSTOM_TABLE, table["id"], limit=number)
        else:
            name, text = search
            attribute = next((a for a in table["attributes"] if a["name"] == name), None)
            if attribute is None:
                raise RuleError(
                    [f"table {table['name']!r}: searchField {name!r} is not an attribute"]
                )
            value = parse_text(attribute, text)
            found = (
                {} if value is None else rows.find(entity, CUSTOM_TABLE, table["id"], name, value)
            )
        return [answer(table, row) for row in list(found.values())[:number]]

    def delete(self, entity: str, table: Mapping[str, Any], key: str) -> None:
        # [INFER] foreign keys' onDelete is not enforced: records pointing here are left as is.
        if not self.store.rows.delete(entity, CUSTOM_TABLE, table["id"], key):
            raise NotFound(f"no record {key!r} in table {table['name']!r}")


def _properties(label: str, body: object) -> dict[str, Any]:
    # [INFER] `properties` is the whole body: anything else is refused, not ignored.
    if not isinstance(body, Mapping) or set(body) != {"properties"}:
        raise RuleError([f'{label}: the body must be {{"properties": [{{name, value}}…]}}'])
    return pairs(label, body["properties"], "properties")


def answer(table: Mapping[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    """`{"properties": [{name, value}…]}`, every attribute in definition order, null when
    empty [INFER], so a reader sees the whole shape of the table."""
    values = row["values"]
    return {
        "properties": [
            {"name": a["name"], "value": values.get(a["name"])} for a in table["attributes"]
        ]
    }
