"""Seed documents: the entities and tables an emulated licence starts with.

Shape (YAML file or the same structure as JSON on `POST /__emulator__/seed`)::

    entities:
      - {name: B2C, comment: Consumers}
    customTables:
      - entity: B2C
        definition: {name: Orders, type: INTERACTIONS, primaryKeyAttribute: orderId, ...}

In a seed, an attribute may carry `minLength`, `maxLength` and `acceptedValues` directly (the
manifests' vocabulary) instead of under `valueRestriction`; they are moved there before the
definition is checked like an API create. The API itself takes only the v5 shape.

ACTITO has no API to create entities, so seeding is the only way an emulated licence gets
them. The whole document is checked before anything is stored, so a bad seed leaves the store
as it was. Seeding is idempotent: an entity or a table whose name already exists is kept as
stored, which lets `serve --db FILE --seed FILE` be restarted without failing on its own data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from actito_iac.emulator.rules import RuleError, validate_create
from actito_iac.emulator.store import Store
from actito_iac.errors import ActitoIacError

_TOP_KEYS = frozenset({"entities", "customTables"})
_ENTITY_KEYS = frozenset({"name", "comment"})
_TABLE_KEYS = frozenset({"entity", "definition"})
_RESTRICTION_KEYS = frozenset({"minLength", "maxLength", "acceptedValues"})


class SeedError(ActitoIacError):
    """A seed document that cannot be loaded; the message names the source and the problem."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        self.problem = message
        super().__init__(f"{source}: {message}")


@dataclass
class SeedResult:
    """Names actually added (existing ones were kept and are not listed)."""

    entities: list[str] = field(default_factory=list)
    custom_tables: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"entities": self.entities, "customTables": self.custom_tables}


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
    """Check the whole document, then add what is missing from the store."""
    entities, tables = _parse(document, source)
    known = {e.name for e in store.list_entities()} | {name for name, _ in entities}
    planned: dict[str, set[str]] = {}
    checked: list[tuple[str, dict[str, Any]]] = []
    for index, (entity, definition) in enumerate(tables):
        where = f"customTables[{index}]"
        if entity not in known:
            raise SeedError(
                source, f"{where}: unknown entity {entity!r} (seed it under `entities`)"
            )
        existing = {t["name"] for t in store.list_custom_tables(entity)}
        if isinstance(definition, Mapping) and definition.get("name") in existing:
            continue
        names = planned.setdefault(entity, set())
        try:
            table = validate_create(definition, existing_names=names)
        except RuleError as exc:
            raise SeedError(source, f"{where} (entity {entity!r}): {exc}") from None
        names.add(table["name"])
        checked.append((entity, table))
    return _store(store, entities, checked)


def _store(
    store: Store, entities: list[tuple[str, str | None]], tables: list[tuple[str, dict[str, Any]]]
) -> SeedResult:
    result = SeedResult()
    for name, comment in entities:
        if store.get_entity(name) is None:
            store.insert_entity(name, comment)
            result.entities.append(name)
    for entity, table in tables:
        store.insert_custom_table(entity, table)
        result.custom_tables.append(f"{entity}/{table['name']}")
    return result


def _parse(
    document: object, source: str
) -> tuple[list[tuple[str, str | None]], list[tuple[str, object]]]:
    if not isinstance(document, Mapping):
        raise SeedError(source, "the document must be a mapping with `entities` and `customTables`")
    _no_unknown_keys(document, _TOP_KEYS, "the document", source)
    entities: list[tuple[str, str | None]] = []
    for index, item in enumerate(_list(document, "entities", source)):
        where = f"entities[{index}]"
        _no_unknown_keys(item, _ENTITY_KEYS, where, source)
        name, comment = item.get("name"), item.get("comment")
        if not isinstance(name, str) or not name.strip():
            raise SeedError(source, f"{where}: `name` must be a non-empty string")
        if comment is not None and not isinstance(comment, str):
            raise SeedError(source, f"{where}: `comment` must be a string")
        entities.append((name, comment))
    tables: list[tuple[str, object]] = []
    for index, item in enumerate(_list(document, "customTables", source)):
        where = f"customTables[{index}]"
        _no_unknown_keys(item, _TABLE_KEYS, where, source)
        entity = item.get("entity")
        if not isinstance(entity, str):
            raise SeedError(source, f"{where}: `entity` must be an entity name")
        tables.append((entity, _lift_restrictions(item.get("definition"))))
    return entities, tables


def _lift_restrictions(definition: object) -> object:
    """Move attribute-level restriction keys under `valueRestriction` (seed shorthand)."""
    if not isinstance(definition, Mapping) or not isinstance(definition.get("attributes"), list):
        return definition
    return {**definition, "attributes": [_lift(a) for a in definition["attributes"]]}


def _lift(attribute: object) -> object:
    if not isinstance(attribute, Mapping) or not _RESTRICTION_KEYS & set(attribute):
        return attribute
    lifted = {k: v for k, v in attribute.items() if k not in _RESTRICTION_KEYS}
    restriction = attribute.get("valueRestriction")
    lifted["valueRestriction"] = {
        **(restriction if isinstance(restriction, Mapping) else {}),
        **{k: attribute[k] for k in _RESTRICTION_KEYS if k in attribute},
    }
    return lifted


def _list(document: Mapping[str, Any], key: str, source: str) -> list[Mapping[str, Any]]:
    items = document.get(key) or []
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        raise SeedError(source, f"`{key}` must be a list of mappings")
    return items


def _no_unknown_keys(
    item: Mapping[str, Any], allowed: frozenset[str], where: str, source: str
) -> None:
    unknown = sorted(str(k) for k in set(item) - allowed)
    if unknown:
        raise SeedError(
            source,
            f"{where}: unknown key(s) {', '.join(unknown)} (expected {', '.join(sorted(allowed))})",
        )
