"""Seed documents: the entities, tables and rows an emulated licence starts with.

A YAML file, or the same structure as JSON on `POST /__emulator__/seed` (shape in
`seed_document.py`). ACTITO has no API to create entities, subscriptions or segmentations, so
seeding is how an emulated licence gets them. Tables and rows go through the same services as
the API, so a seed obeys the API's rules.

The whole document is applied in one store transaction: a problem anywhere rolls everything
back, so a bad seed leaves the store as it was. Seeding is idempotent: an entity or a table
whose name was already stored is kept as stored, and rows are upserted — records by business
key, profiles by a unique attribute (which each seeded profile must therefore carry) — which
lets `serve --db FILE --seed FILE` be restarted without failing on, or duplicating, its data.

A seeded table describes one that exists, so its definition may be pasted from an API answer:
its technical fields (`id`, generated attributes) are stripped rather than refused as in an
API create, and the `id` it gives, if any, becomes the stored id (structures/technical.py).

Seed authors need not know table ids, so a custom table's foreign key may name its table:
`reference: {tableType: PROFILE_TABLE, table: Customers, attribute: customerId}` is resolved
to `tableId` from the tables stored or seeded earlier in the document.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from actito_iac.emulator.data.profiles import Profiles
from actito_iac.emulator.data.records import Records
from actito_iac.emulator.problems import RuleError
from actito_iac.emulator.resources.crud import Objects, Resource
from actito_iac.emulator.resources.registry import RESOURCES
from actito_iac.emulator.seed_document import SeedDocument, SeedError, parse_seed
from actito_iac.emulator.store import Store
from actito_iac.emulator.structures.link_rules import PROFILE_TABLE_REF
from actito_iac.emulator.structures.profile_rules import TECHNICAL_ATTRIBUTES
from actito_iac.emulator.structures.tables import CUSTOM, PROFILE, Family, Structures

__all__ = ["SeedError", "SeedResult", "apply_seed", "apply_seed_file", "load_seed_file"]


@dataclass
class SeedResult:
    """Names actually added, and rows created (existing names and rows are not counted)."""

    entities: list[str] = field(default_factory=list)
    profile_tables: list[str] = field(default_factory=list)
    custom_tables: list[str] = field(default_factory=list)
    profiles: int = 0
    records: int = 0
    objects: dict[str, int] = field(default_factory=dict)
    """Objects of the CRUD resources created, by seed key."""

    def to_json(self) -> dict[str, Any]:
        return {
            "entities": self.entities,
            "profileTables": self.profile_tables,
            "customTables": self.custom_tables,
            "profiles": self.profiles,
            "records": self.records,
            **self.objects,
        }


def load_seed_file(path: str | Path) -> dict[str, Any]:
    """Read a YAML seed file into a plain document; SeedError for unreadable or invalid YAML."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedError(source, f"cannot read the file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise SeedError(source, "the file is not UTF-8 text") from None
    try:
        document = YAML(typ="safe", pure=True).load(text)
    except YAMLError as exc:
        raise SeedError(source, "invalid YAML: " + " ".join(str(exc).split())) from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise SeedError(source, "the document must be a mapping with `entities` and `customTables`")
    return document


def apply_seed_file(store: Store, path: str | Path) -> SeedResult:
    return apply_seed(store, load_seed_file(path), source=str(path))


def apply_seed(store: Store, document: object, *, source: str = "seed") -> SeedResult:
    """Check and apply the whole document atomically; SeedError names the first problem."""
    parsed = parse_seed(document, source)
    with store.transaction():
        return _Seeding(store, source).apply(parsed)


class _Seeding:
    def __init__(self, store: Store, source: str) -> None:
        self.store = store
        self.source = source
        self.structures = Structures(store)
        self.result = SeedResult()

    def fail(self, message: str) -> SeedError:
        return SeedError(self.source, message)

    def apply(self, document: SeedDocument) -> SeedResult:
        for setting, value in document.settings.items():
            self.store.set_setting(setting, value)
        for entity_name, comment in document.entities:
            if self.store.get_entity(entity_name) is None:
                self.store.insert_entity(entity_name, comment)
                self.result.entities.append(entity_name)
        # Names stored before this seed are kept; a name seeded twice is an error.
        kept = {
            (e.name, family.kind, t["name"])
            for e in self.store.list_entities()
            for family in (PROFILE, CUSTOM)
            for t in self.store.list_objects(e.name, family.kind)
        }
        for family, key, tables, added in (
            (PROFILE, "profileTables", document.profile_tables, self.result.profile_tables),
            (CUSTOM, "customTables", document.custom_tables, self.result.custom_tables),
        ):
            for index, (entity, definition) in enumerate(tables):
                where = f"{key}[{index}]"
                self._known_entity(entity, where)
                name = definition.get("name") if isinstance(definition, Mapping) else None
                if (entity, family.kind, name) in kept:
                    continue
                if family is CUSTOM:
                    definition = self._resolved(entity, definition, where)
                with self._reported(f"{where} (entity {entity!r})"):
                    self.structures.create(entity, family, definition, seeded=True)
                added.append(f"{entity}/{name}")
        self._rows(document)
        self._objects(document)
        return self.result

    def _objects(self, document: SeedDocument) -> None:
        """Objects of the CRUD resources, through the API's rules; one already stored (same
        name, or the same definition for a kind without names) is kept as it is."""
        by_key = {r.seed_key: r for r in RESOURCES}
        counted = dict.fromkeys((key for key, _, _ in document.objects), 0)
        for index, (key, entity, definition) in enumerate(document.objects):
            resource = by_key[key]
            where = f"{key}[{index}] (entity {entity!r})"
            self._known_entity(entity, where)
            with self._reported(where):
                extras: dict[str, Any] = {}
                if resource.seed_only and isinstance(definition, Mapping):
                    extras = {k: v for k, v in definition.items() if k in resource.seed_only}
                    definition = {k: v for k, v in definition.items() if k not in extras}
                if resource.seed_resolve is not None:
                    definition = resource.seed_resolve(self.store, entity, definition)
                if self._seeded(resource, entity, definition):
                    continue
                stored = Objects(self.store, resource).create(entity, definition)
                if resource.seed_after is not None:
                    resource.seed_after(self.store, entity, stored, extras)
            counted[key] += 1
        self.result.objects.update(counted)

    def _seeded(self, resource: Resource, entity: str, definition: object) -> bool:
        """Whether the licence holds the object already: by its name, one indexed look-up
        (seeding thousands stays linear); an object without a name, by what it holds."""
        if resource.name_key is not None and isinstance(definition, Mapping):
            name = definition.get(resource.name_key)
            return name is not None and self.store.has_name(entity, resource.kind, str(name))
        checked = resource.rules.create(self.store, entity, definition)
        stored = self.store.list_objects(entity, resource.kind)
        return any({k: v for k, v in o.items() if k != "id"} == checked for o in stored)

    def _rows(self, document: SeedDocument) -> None:
        """Profiles upserted as with `allowUpdate=true`, records by business key."""
        profiles, records = Profiles(self.store), Records(self.store)
        for index, (entity, name, rows) in enumerate(document.profiles):
            table = self._table(entity, PROFILE, name, f"profiles[{index}]")
            for position, row in enumerate(rows):
                where = f"profiles[{index}].rows[{position}]"
                self._idempotent_profile(table, row, where)
                with self._reported(f"{where} (entity {entity!r})"):
                    body = {"attributes": _pairs(row)}
                    _, created = profiles.upsert(entity, table, body, allow_update=True)
                self.result.profiles += created
        for index, (entity, name, rows) in enumerate(document.records):
            table = self._table(entity, CUSTOM, name, f"records[{index}]")
            for position, row in enumerate(rows):
                with self._reported(f"records[{index}].rows[{position}] (entity {entity!r})"):
                    _, created = records.upsert(entity, table, {"properties": _pairs(row)})
                self.result.records += created

    def _idempotent_profile(
        self, table: Mapping[str, Any], row: Mapping[str, Any], where: str
    ) -> None:
        unique = [
            a["name"]
            for a in table["attributes"]
            if a["unique"] and a["name"] not in TECHNICAL_ATTRIBUTES
        ]
        if not any(row.get(name) is not None for name in unique):
            raise self.fail(
                f"{where}: a seeded profile needs a value for a unique attribute "
                f"({', '.join(unique) or 'the table has none'}), so that seeding again "
                "updates it instead of adding it twice"
            )

    def _resolved(self, entity: str, definition: object, where: str) -> object:
        """Foreign keys naming their table (`table`) get its `tableId` instead."""
        if not isinstance(definition, Mapping) or not isinstance(
            definition.get("foreignKeys"), list
        ):
            return definition
        keys: list[object] = []
        for key in definition["foreignKeys"]:
            reference = key.get("reference") if isinstance(key, Mapping) else None
            if not isinstance(reference, Mapping) or "table" not in reference:
                keys.append(key)
                continue
            if "tableId" in reference:
                raise self.fail(
                    f"{where}: a foreign key reference takes table or tableId, not both"
                )
            family = PROFILE if reference.get("tableType") == PROFILE_TABLE_REF else CUSTOM
            name = reference["table"]
            table = self._table(entity, family, name, f"{where}: foreign key {key.get('name')!r}")
            resolved = {k: v for k, v in reference.items() if k != "table"}
            keys.append({**key, "reference": {**resolved, "tableId": table["id"]}})
        return {**definition, "foreignKeys": keys}

    def _table(self, entity: str, family: Family, name: object, where: str) -> dict[str, Any]:
        self._known_entity(entity, where)
        title = "profile table" if family is PROFILE else "custom table"
        table = self.store.find_object(entity, family.kind, name) if isinstance(name, str) else None
        if table is None:
            raise self.fail(
                f"{where}: unknown {title} {name!r} in entity {entity!r}"
                " (seed it earlier in the document)"
            )
        return table

    def _known_entity(self, entity: str, where: str) -> None:
        if self.store.get_entity(entity) is None:
            raise self.fail(f"{where}: unknown entity {entity!r} (seed it under `entities`)")

    @contextmanager
    def _reported(self, where: str) -> Iterator[None]:
        """A broken API rule becomes a SeedError naming the place in the document."""
        try:
            yield
        except RuleError as exc:
            raise self.fail(f"{where}: {exc}") from None


def _pairs(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A seed row `{attribute: value}` in the data API's `[{name, value}]` form."""
    return [{"name": name, "value": value} for name, value in row.items()]
