"""The data of tables (profiles, records), reached as `Store.rows`.

A row is keyed by (entity, table kind, table id, row key) — a profile's id, a record's business
key — and its body is JSON with the attribute values under `values`. Every value is also
indexed in `row_values` (as canonical JSON), so that finding the row holding a value — every
write's uniqueness check, `attr=value` lookups — stays cheap on tables of thousands of rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from typing import Any

Transaction = Callable[[], AbstractContextManager[sqlite3.Connection]]

ROW_SCHEMA = """
CREATE TABLE IF NOT EXISTS rows (
    entity   TEXT NOT NULL,
    kind     TEXT NOT NULL,
    table_id TEXT NOT NULL,
    row_key  TEXT NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (entity, kind, table_id, row_key),
    FOREIGN KEY (entity, kind, table_id) REFERENCES objects(entity, kind, id)
);
CREATE TABLE IF NOT EXISTS row_values (
    entity    TEXT NOT NULL,
    kind      TEXT NOT NULL,
    table_id  TEXT NOT NULL,
    row_key   TEXT NOT NULL,
    attribute TEXT NOT NULL,
    value     TEXT NOT NULL,
    FOREIGN KEY (entity, kind, table_id, row_key)
        REFERENCES rows(entity, kind, table_id, row_key) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS row_values_by_value
    ON row_values (entity, kind, table_id, attribute, value);
CREATE INDEX IF NOT EXISTS row_values_by_row ON row_values (entity, kind, table_id, row_key);
"""


class RowStore:
    def __init__(self, transaction: Transaction) -> None:
        self._tx = transaction

    def read(
        self, entity: str, kind: str, table_id: str, *, limit: int | None = None
    ) -> dict[str, dict[str, Any]]:
        """Row key → body, in insertion order (an update keeps a row's place)."""
        with self._tx() as db:
            found = db.execute(
                "SELECT row_key, body FROM rows WHERE entity = ? AND kind = ? AND table_id = ?"
                " ORDER BY rowid LIMIT ?",
                (entity, kind, table_id, -1 if limit is None else limit),
            ).fetchall()
        return {r["row_key"]: json_body(r["body"]) for r in found}

    def get(self, entity: str, kind: str, table_id: str, key: str) -> dict[str, Any] | None:
        with self._tx() as db:
            row = db.execute(
                "SELECT body FROM rows"
                " WHERE entity = ? AND kind = ? AND table_id = ? AND row_key = ?",
                (entity, kind, table_id, key),
            ).fetchone()
        return None if row is None else json_body(row["body"])

    def find(
        self, entity: str, kind: str, table_id: str, attribute: str, value: object
    ) -> dict[str, dict[str, Any]]:
        """Rows whose `values.<attribute>` equals `value` (same JSON type and value)."""
        with self._tx() as db:
            found = db.execute(
                "SELECT r.row_key, r.body FROM row_values v JOIN rows r"
                " USING (entity, kind, table_id, row_key)"
                " WHERE v.entity = ? AND v.kind = ? AND v.table_id = ? AND v.attribute = ?"
                " AND v.value = ? ORDER BY r.rowid",
                (entity, kind, table_id, attribute, _canonical(value)),
            ).fetchall()
        return {r["row_key"]: json_body(r["body"]) for r in found}

    def clashes(
        self,
        entity: str,
        kind: str,
        table_id: str,
        attributes: Iterable[Mapping[str, Any]],
        values: Mapping[str, Any],
        own_key: str | None,
    ) -> list[str]:
        """The unique attributes whose value in `values` another row already holds."""
        return [
            a["name"]
            for a in attributes
            if a["unique"]
            and values.get(a["name"]) is not None
            and any(
                key != own_key
                for key in self.find(entity, kind, table_id, a["name"], values[a["name"]])
            )
        ]

    def count(self, entity: str, kind: str, table_id: str) -> int:
        with self._tx() as db:
            row = db.execute(
                "SELECT COUNT(*) FROM rows WHERE entity = ? AND kind = ? AND table_id = ?",
                (entity, kind, table_id),
            ).fetchone()
        return int(row[0])

    def put(self, entity: str, kind: str, table_id: str, key: str, body: Mapping[str, Any]) -> None:
        """Insert, or overwrite in place (the row keeps its position)."""
        row = (entity, kind, table_id, key)
        with self._tx() as db:
            db.execute(
                "INSERT INTO rows (entity, kind, table_id, row_key, body) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (entity, kind, table_id, row_key) DO UPDATE SET body = excluded.body",
                (*row, json_text(body)),
            )
            db.execute(
                "DELETE FROM row_values"
                " WHERE entity = ? AND kind = ? AND table_id = ? AND row_key = ?",
                row,
            )
            db.executemany(
                "INSERT INTO row_values (entity, kind, table_id, row_key, attribute, value)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (*row, name, _canonical(value))
                    for name, value in body["values"].items()
                    if value is not None
                ],
            )

    def reindex(self) -> None:
        """Rebuild the index of values from the rows (a file from before the index existed)."""
        with self._tx() as db:
            db.execute("DELETE FROM row_values")
            found = db.execute("SELECT entity, kind, table_id, row_key, body FROM rows").fetchall()
            for r in found:
                self.put(r["entity"], r["kind"], r["table_id"], r["row_key"], json_body(r["body"]))

    def delete(self, entity: str, kind: str, table_id: str, key: str) -> bool:
        """Remove a row (its indexed values go with it: ON DELETE CASCADE)."""
        with self._tx() as db:
            cur = db.execute(
                "DELETE FROM rows WHERE entity = ? AND kind = ? AND table_id = ? AND row_key = ?",
                (entity, kind, table_id, key),
            )
        return cur.rowcount > 0


def json_text(body: Mapping[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False)


def json_body(text: str) -> dict[str, Any]:
    body = json.loads(text)
    assert isinstance(body, dict)
    return body


def _canonical(value: object) -> str:
    """A value as indexed: JSON with sorted keys, a whole float as the integer it equals (so a
    NUMBER attribute's 2 and 2.0 are one value), booleans distinct from numbers."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
