"""The data of tables (profiles, records): one `rows` table, reached as `Store.rows`.

A row is keyed by (entity, table kind, table id, row key) — a profile's id, a record's business
key — and its body is JSON with the attribute values under `values`, so SQLite itself can find
a row by an attribute's value (`json_extract`) without decoding the whole table.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from typing import Any

Transaction = Callable[[], AbstractContextManager[sqlite3.Connection]]


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
        """Rows whose `values.<attribute>` equals `value` (a JSON value; never null)."""
        with self._tx() as db:
            found = db.execute(
                "SELECT row_key, body FROM rows WHERE entity = ? AND kind = ? AND table_id = ?"
                " AND json_extract(body, ?) = ? ORDER BY rowid",
                (entity, kind, table_id, f'$.values."{attribute}"', _sql_value(value)),
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
        with self._tx() as db:
            db.execute(
                "INSERT INTO rows (entity, kind, table_id, row_key, body) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (entity, kind, table_id, row_key) DO UPDATE SET body = excluded.body",
                (entity, kind, table_id, key, json_text(body)),
            )

    def delete(self, entity: str, kind: str, table_id: str, key: str) -> bool:
        with self._tx() as db:
            cur = db.execute(
                "DELETE FROM rows WHERE entity = ? AND kind = ? AND table_id = ? AND row_key = ?",
                (entity, kind, table_id, key),
            )
        return cur.rowcount > 0


def json_text(body: Mapping[str, Any]) -> str:
    # Unicode kept as is, so json_extract of a list compares equal to `_sql_value` of it.
    return json.dumps(body, ensure_ascii=False)


def json_body(text: str) -> dict[str, Any]:
    body = json.loads(text)
    assert isinstance(body, dict)
    return body


def _sql_value(value: object) -> object:
    """A JSON value as json_extract yields it: scalars natively (true → 1), arrays as text."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value
