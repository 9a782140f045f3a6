"""The emulator's persistence: entities plus a generic table of stored objects.

Entities get their own table because they are the one thing with a numeric id that every other
object hangs off. Everything else (custom tables today, profile tables, webhooks… later) lives
in one `objects` table keyed by (entity, kind, id), with a unique name per (entity, kind) and
the ACTITO definition kept as JSON: a new kind needs no schema change.

One sqlite3 connection shared across threads behind a lock: the emulator answers from one event
loop, but tests and the server thread of `running_server` may touch the store concurrently.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

CUSTOM_TABLE = "customTable"
"""Kind name under which custom-table definitions are stored (same word as the client's kind)."""

_SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS entities (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    comment TEXT
);
CREATE TABLE IF NOT EXISTS objects (
    entity  TEXT NOT NULL REFERENCES entities(name),
    kind    TEXT NOT NULL,
    id      TEXT NOT NULL,
    name    TEXT NOT NULL,
    body    TEXT NOT NULL,
    PRIMARY KEY (entity, kind, id),
    UNIQUE (entity, kind, name)
);
"""


class DuplicateName(Exception):
    """An entity, or an object of one kind in one entity, already has this name."""


@dataclass(frozen=True)
class Entity:
    id: int
    name: str
    comment: str | None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "comment": self.comment}


class Store:
    """SQLite-backed state of one emulated licence.

    `path=None` keeps everything in memory (tests, throwaway demos); a file path survives
    restarts and is opened in WAL mode so a reader never blocks the writer.
    """

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path or ":memory:", check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        with self._lock, self._db:
            if path is not None:
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version={_SCHEMA_VERSION}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One locked transaction: committed on success, rolled back on any exception."""
        with self._lock, self._db:
            yield self._db

    # -- entities -----------------------------------------------------------------------------

    def list_entities(self) -> list[Entity]:
        with self._tx() as db:
            rows = db.execute("SELECT id, name, comment FROM entities ORDER BY id").fetchall()
        return [Entity(r["id"], r["name"], r["comment"]) for r in rows]

    def get_entity(self, name: str) -> Entity | None:
        with self._tx() as db:
            row = db.execute(
                "SELECT id, name, comment FROM entities WHERE name = ?", (name,)
            ).fetchone()
        return None if row is None else Entity(row["id"], row["name"], row["comment"])

    def insert_entity(self, name: str, comment: str | None = None) -> Entity:
        """Add an entity with the next numeric id; DuplicateName if the name is taken."""
        try:
            with self._tx() as db:
                cur = db.execute(
                    "INSERT INTO entities (name, comment) VALUES (?, ?)", (name, comment)
                )
        except sqlite3.IntegrityError as exc:
            _raise_duplicate(exc, f"entity {name!r} already exists")
            raise
        assert cur.lastrowid is not None
        return Entity(cur.lastrowid, name, comment)

    def replace_entity(self, entity: Entity) -> None:
        with self._tx() as db:
            cur = db.execute(
                "UPDATE entities SET name = ?, comment = ? WHERE id = ?",
                (entity.name, entity.comment, entity.id),
            )
        if cur.rowcount == 0:
            raise KeyError(entity.id)

    # -- generic objects ----------------------------------------------------------------------

    def list_objects(self, entity: str, kind: str) -> list[dict[str, Any]]:
        """Bodies in creation order (rowid), which is what a list endpoint answers."""
        with self._tx() as db:
            rows = db.execute(
                "SELECT body FROM objects WHERE entity = ? AND kind = ? ORDER BY rowid",
                (entity, kind),
            ).fetchall()
        return [_body(r["body"]) for r in rows]

    def get_object(self, entity: str, kind: str, object_id: str) -> dict[str, Any] | None:
        return self._one("id", entity, kind, object_id)

    def find_object(self, entity: str, kind: str, name: str) -> dict[str, Any] | None:
        return self._one("name", entity, kind, name)

    def _one(self, column: str, entity: str, kind: str, value: str) -> dict[str, Any] | None:
        assert column in ("id", "name")  # never user input: it is part of the SQL text
        with self._tx() as db:
            row = db.execute(
                f"SELECT body FROM objects WHERE entity = ? AND kind = ? AND {column} = ?",  # noqa: S608
                (entity, kind, value),
            ).fetchone()
        return None if row is None else _body(row["body"])

    def insert_object(
        self, entity: str, kind: str, object_id: str, name: str, body: dict[str, Any]
    ) -> None:
        try:
            with self._tx() as db:
                db.execute(
                    "INSERT INTO objects (entity, kind, id, name, body) VALUES (?, ?, ?, ?, ?)",
                    (entity, kind, object_id, name, json.dumps(body)),
                )
        except sqlite3.IntegrityError as exc:
            _raise_duplicate(exc, f"{kind} {name!r} already exists in entity {entity!r}")
            raise

    def replace_object(
        self, entity: str, kind: str, object_id: str, name: str, body: dict[str, Any]
    ) -> None:
        """Overwrite in place, so the object keeps its position in lists."""
        try:
            with self._tx() as db:
                cur = db.execute(
                    "UPDATE objects SET name = ?, body = ?"
                    " WHERE entity = ? AND kind = ? AND id = ?",
                    (name, json.dumps(body), entity, kind, object_id),
                )
        except sqlite3.IntegrityError as exc:
            _raise_duplicate(exc, f"{kind} {name!r} already exists in entity {entity!r}")
            raise
        if cur.rowcount == 0:
            raise KeyError(object_id)

    # -- custom tables ------------------------------------------------------------------------

    def list_custom_tables(self, entity: str) -> list[dict[str, Any]]:
        return self.list_objects(entity, CUSTOM_TABLE)

    def get_custom_table(self, entity: str, table_id: str) -> dict[str, Any] | None:
        return self.get_object(entity, CUSTOM_TABLE, table_id)

    def find_custom_table(self, entity: str, name: str) -> dict[str, Any] | None:
        return self.find_object(entity, CUSTOM_TABLE, name)

    def insert_custom_table(self, entity: str, definition: dict[str, Any]) -> dict[str, Any]:
        """Store a validated definition under a fresh UUID v4 and return it with its `id`."""
        stored = {"id": str(uuid.uuid4()), **{k: v for k, v in definition.items() if k != "id"}}
        self.insert_object(entity, CUSTOM_TABLE, stored["id"], stored["name"], stored)
        return stored

    def replace_custom_table(
        self, entity: str, table_id: str, definition: dict[str, Any]
    ) -> dict[str, Any]:
        stored = {"id": table_id, **{k: v for k, v in definition.items() if k != "id"}}
        self.replace_object(entity, CUSTOM_TABLE, table_id, stored["name"], stored)
        return stored

    # -- whole store --------------------------------------------------------------------------

    def reset(self) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM objects")
            db.execute("DELETE FROM entities")

    def dump(self) -> dict[str, Any]:
        """Everything stored: `{"entities": [...], "objects": {entity: {kind: [body…]}}}`."""
        with self._tx() as db:
            rows = db.execute("SELECT entity, kind, body FROM objects ORDER BY rowid").fetchall()
        objects: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for row in rows:
            objects.setdefault(row["entity"], {}).setdefault(row["kind"], []).append(
                _body(row["body"])
            )
        return {"entities": [e.to_json() for e in self.list_entities()], "objects": objects}


def _raise_duplicate(exc: sqlite3.IntegrityError, message: str) -> None:
    """Turn a uniqueness violation into DuplicateName; other integrity errors (an object for an
    entity that does not exist) are programming errors and stay as they are."""
    if str(exc).startswith("UNIQUE constraint failed"):
        raise DuplicateName(message) from exc


def _body(text: str) -> dict[str, Any]:
    body = json.loads(text)
    assert isinstance(body, dict)
    return body
