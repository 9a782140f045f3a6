"""The emulator's persistence: entities, stored objects, the rows of tables, and counters.

Entities get their own table because they are the one thing with a numeric id that every other
object hangs off. Everything else (custom and profile tables today, webhooks… later) lives in
one `objects` table keyed by (entity, kind, id), with a unique name per (entity, kind) and the
ACTITO definition kept as JSON: a new kind needs no schema change. The data of a table (profiles,
records) lives in `rows`, keyed by (entity, table kind, table id, row key), body as JSON; the
numeric ids ACTITO hands out (profile tables, profiles) come from named `counters`.

One sqlite3 connection shared across threads behind a lock: the emulator answers from one event
loop, but tests and the server thread of `running_server` may touch the store concurrently.
`transaction()` groups several calls into one atomic change (a seed, a change request that
rewrites rows); calls made inside it join it instead of committing on their own.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Container, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from actito_iac.emulator.data.row_store import ROW_SCHEMA, RowStore, json_body, json_text

CUSTOM_TABLE = "customTable"
"""Kind name under which custom-table definitions are stored (same word as the client's kind)."""
PROFILE_TABLE = "profileTable"
"""Kind name under which profile-table definitions are stored."""

# Version 2 added `counters` and the rows, version 3 the index of row values (row_store.py),
# version 4 the licence's `settings` (how its answers look where ACTITO's are not known),
# version 5 the index of references between objects (`refs`).
# The schema only ever grows by new tables, so an older file is upgraded by the CREATE … IF NOT
# EXISTS below, and its indexes are rebuilt.
_SCHEMA_VERSION = 5
_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (
    name    TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);
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
-- Which objects refer to which (a custom table's foreign keys): a change to a table finds the
-- tables that point at it without reading every table of the entity.
CREATE TABLE IF NOT EXISTS refs (
    entity  TEXT NOT NULL,
    kind    TEXT NOT NULL,
    id      TEXT NOT NULL,
    target  TEXT NOT NULL,
    FOREIGN KEY (entity, kind, id) REFERENCES objects (entity, kind, id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS refs_target ON refs (entity, target);
CREATE INDEX IF NOT EXISTS refs_source ON refs (entity, kind, id);
CREATE TABLE IF NOT EXISTS counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
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
        self._lock = threading.RLock()
        self._depth = 0  # transactions open on the lock-holding thread
        self._db = sqlite3.connect(path or ":memory:", check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        with self._lock, self._db:
            if path is not None:
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            self._db.executescript(_SCHEMA + ROW_SCHEMA)
            self._db.execute(f"PRAGMA user_version={_SCHEMA_VERSION}")
        self.rows = RowStore(self._tx)
        if version < _SCHEMA_VERSION:
            self.rows.reindex()
            self._reindex_refs()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One locked transaction: committed on success, rolled back on any exception.

        Nested uses (inside `transaction()`) join the outer one, which alone commits.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self._db
                finally:
                    self._depth -= 1
                return
            self._depth = 1
            try:
                with self._db:
                    yield self._db
            finally:
                self._depth = 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything done inside is committed together, or not at all if it raises."""
        with self._tx():
            yield

    def next_number(self, counter: str) -> int:
        """1, 2, 3… per counter name, persisted (ids survive restarts and are never reused)."""
        with self._tx() as db:
            row = db.execute(
                "INSERT INTO counters (name, value) VALUES (?, 1)"
                " ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
                (counter,),
            ).fetchone()
        return int(row[0])

    def setting(self, name: str, default: Any = None) -> Any:
        """A licence setting of the emulator (see seed_document.py), or `default`."""
        with self._tx() as db:
            row = db.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
        return default if row is None else json_body(row["value"])["value"]

    def set_setting(self, name: str, value: Any) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO settings (name, value) VALUES (?, ?)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (name, json_text({"value": value})),
            )

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
        return [json_body(r["body"]) for r in rows]

    def list_texts(self, entity: str, kind: str) -> list[str]:
        """The bodies of `list_objects` as the JSON texts they are stored as (a list answer
        built from them is not decoded and encoded again)."""
        with self._tx() as db:
            rows = db.execute(
                "SELECT body FROM objects WHERE entity = ? AND kind = ? ORDER BY rowid",
                (entity, kind),
            ).fetchall()
        return [str(r["body"]) for r in rows]

    def names(self, entity: str, kind: str) -> Container[str]:
        """The names of one kind in one entity, each asked by itself: a create checks its own
        name with one indexed lookup instead of listing the entity."""
        return _Names(self, entity, kind)

    def has_name(self, entity: str, kind: str, name: str) -> bool:
        with self._tx() as db:
            row = db.execute(
                "SELECT 1 FROM objects WHERE entity = ? AND kind = ? AND name = ?",
                (entity, kind, name),
            ).fetchone()
        return row is not None

    def referring(self, entity: str, kind: str, target: str) -> list[dict[str, Any]]:
        """Bodies of `kind` in `entity` holding a reference to `target` (see `reference_targets`),
        in creation order."""
        with self._tx() as db:
            rows = db.execute(
                "SELECT body FROM objects WHERE rowid IN (SELECT o.rowid FROM refs r"
                " JOIN objects o ON (o.entity, o.kind, o.id) = (r.entity, r.kind, r.id)"
                " WHERE r.entity = ? AND r.kind = ? AND r.target = ?) ORDER BY rowid",
                (entity, kind, target),
            ).fetchall()
        return [json_body(r["body"]) for r in rows]

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
        return None if row is None else json_body(row["body"])

    def insert_object(
        self, entity: str, kind: str, object_id: str, name: str, body: dict[str, Any]
    ) -> None:
        try:
            with self._tx() as db:
                db.execute(
                    "INSERT INTO objects (entity, kind, id, name, body) VALUES (?, ?, ?, ?, ?)",
                    (entity, kind, object_id, name, json_text(body)),
                )
                _put_refs(db, entity, kind, object_id, body)
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
                    (name, json_text(body), entity, kind, object_id),
                )
                if cur.rowcount:
                    _put_refs(db, entity, kind, object_id, body)
        except sqlite3.IntegrityError as exc:
            _raise_duplicate(exc, f"{kind} {name!r} already exists in entity {entity!r}")
            raise
        if cur.rowcount == 0:
            raise KeyError(object_id)

    def delete_object(self, entity: str, kind: str, object_id: str) -> bool:
        """Remove an object and the rows it holds; False when there was none."""
        with self._tx() as db:
            db.execute(
                "DELETE FROM rows WHERE entity = ? AND kind = ? AND table_id = ?",
                (entity, kind, object_id),
            )
            # Its references go with it: `refs` cascades on delete (foreign keys are on).
            cur = db.execute(
                "DELETE FROM objects WHERE entity = ? AND kind = ? AND id = ?",
                (entity, kind, object_id),
            )
        return cur.rowcount > 0

    def _reindex_refs(self) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM refs")
            found = db.execute("SELECT entity, kind, id, body FROM objects").fetchall()
            for row in found:
                _put_refs(db, row["entity"], row["kind"], row["id"], json_body(row["body"]))

    # -- custom tables ------------------------------------------------------------------------

    def list_custom_tables(self, entity: str) -> list[dict[str, Any]]:
        return self.list_objects(entity, CUSTOM_TABLE)

    def get_custom_table(self, entity: str, table_id: str) -> dict[str, Any] | None:
        return self.get_object(entity, CUSTOM_TABLE, table_id)

    def find_custom_table(self, entity: str, name: str) -> dict[str, Any] | None:
        return self.find_object(entity, CUSTOM_TABLE, name)

    def insert_custom_table(
        self, entity: str, definition: dict[str, Any], table_id: str | None = None
    ) -> dict[str, Any]:
        """Store a validated definition under `table_id` (a seed's) or a fresh UUID v4, and
        return it with its `id`."""
        new_id = table_id or str(uuid.uuid4())
        stored = {"id": new_id, **{k: v for k, v in definition.items() if k != "id"}}
        self.insert_object(entity, CUSTOM_TABLE, stored["id"], stored["name"], stored)
        return stored

    def replace_custom_table(
        self, entity: str, table_id: str, definition: dict[str, Any]
    ) -> dict[str, Any]:
        stored = {"id": table_id, **{k: v for k, v in definition.items() if k != "id"}}
        self.replace_object(entity, CUSTOM_TABLE, table_id, stored["name"], stored)
        return stored

    # -- profile tables -----------------------------------------------------------------------

    def list_profile_tables(self, entity: str) -> list[dict[str, Any]]:
        return self.list_objects(entity, PROFILE_TABLE)

    def get_profile_table(self, entity: str, table_id: str) -> dict[str, Any] | None:
        return self.get_object(entity, PROFILE_TABLE, table_id)

    def find_profile_table(self, entity: str, name: str) -> dict[str, Any] | None:
        return self.find_object(entity, PROFILE_TABLE, name)

    def insert_profile_table(
        self, entity: str, definition: dict[str, Any], table_id: str | None = None
    ) -> dict[str, Any]:
        """Store a validated definition under `table_id` (a seed's) or the licence's next
        numeric id (as a string) that no seeded table holds yet."""
        with self.transaction():
            while table_id is None:
                table_id = str(self.next_number(PROFILE_TABLE))
                if self.get_object(entity, PROFILE_TABLE, table_id) is not None:
                    table_id = None
            stored = {"id": table_id, **{k: v for k, v in definition.items() if k != "id"}}
            self.insert_object(entity, PROFILE_TABLE, table_id, stored["name"], stored)
        return stored

    def replace_profile_table(
        self, entity: str, table_id: str, definition: dict[str, Any]
    ) -> dict[str, Any]:
        stored = {"id": table_id, **{k: v for k, v in definition.items() if k != "id"}}
        self.replace_object(entity, PROFILE_TABLE, table_id, stored["name"], stored)
        return stored

    # -- whole store --------------------------------------------------------------------------

    def reset(self) -> None:
        with self._tx() as db:
            tables = ("row_values", "rows", "refs", "objects", "entities", "counters", "settings")
            for table in tables:
                db.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)

    def dump(self) -> dict[str, Any]:
        """Everything stored but the rows themselves, which are counted::

        {"entities": [...], "objects": {entity: {kind: [body…]}},
         "rows": {entity: {kind: {table name: count}}}}
        """
        with self._tx() as db:
            found = db.execute("SELECT entity, kind, body FROM objects ORDER BY rowid").fetchall()
            counts = db.execute(
                "SELECT o.entity, o.kind, o.name, COUNT(*) AS n FROM rows r JOIN objects o"
                " ON (o.entity, o.kind, o.id) = (r.entity, r.kind, r.table_id)"
                " GROUP BY o.entity, o.kind, o.name ORDER BY MIN(o.rowid)"
            ).fetchall()
        objects: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for row in found:
            objects.setdefault(row["entity"], {}).setdefault(row["kind"], []).append(
                json_body(row["body"])
            )
        rows: dict[str, dict[str, dict[str, int]]] = {}
        for row in counts:
            rows.setdefault(row["entity"], {}).setdefault(row["kind"], {})[row["name"]] = row["n"]
        return {
            "entities": [e.to_json() for e in self.list_entities()],
            "objects": objects,
            "rows": rows,
        }


def _raise_duplicate(exc: sqlite3.IntegrityError, message: str) -> None:
    """Turn a uniqueness violation into DuplicateName; other integrity errors (an object for an
    entity that does not exist) are programming errors and stay as they are."""
    if str(exc).startswith("UNIQUE constraint failed"):
        raise DuplicateName(message) from exc


class _Names:
    """`name in names` asks the store (see Store.names)."""

    def __init__(self, store: Store, entity: str, kind: str) -> None:
        self._store, self._entity, self._kind = store, entity, kind

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._store.has_name(self._entity, self._kind, name)


def reference_target(table_type: str, table_id: str) -> str:
    """How a reference to one table is indexed: `PROFILE_TABLE:12`."""
    return f"{table_type}:{table_id}"


def reference_targets(body: dict[str, Any]) -> Iterable[str]:
    """The tables a stored body refers to: a custom table's foreign keys."""
    keys = body.get("foreignKeys")
    for key in keys if isinstance(keys, list) else ():
        reference = key.get("reference") if isinstance(key, dict) else None
        if isinstance(reference, dict):
            table_type, table_id = reference.get("tableType"), reference.get("tableId")
            if isinstance(table_type, str) and isinstance(table_id, str | int):
                yield reference_target(table_type, str(table_id))


def _put_refs(
    db: sqlite3.Connection, entity: str, kind: str, object_id: str, body: dict[str, Any]
) -> None:
    db.execute(
        "DELETE FROM refs WHERE entity = ? AND kind = ? AND id = ?", (entity, kind, object_id)
    )
    db.executemany(
        "INSERT INTO refs (entity, kind, id, target) VALUES (?, ?, ?, ?)",
        [(entity, kind, object_id, t) for t in sorted(set(reference_targets(body)))],
    )
