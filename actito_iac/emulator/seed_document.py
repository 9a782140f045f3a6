"""The shape of a seed document, checked and turned into plain tuples before anything is
applied (what each definition or row means is then checked by the API's own rules).

    settings:       {profileTableParts: shown | hidden}   how the licence answers (below)
    entities:       [{name, comment?}]
    profileTables:  [{entity, definition}]   subscriptions and segmentations included
    customTables:   [{entity, definition}]   foreign keys may name their table (see seed.py)
    profiles:       [{entity, table: <name>, rows: [{attribute: value, …}]}]
    records:        [{entity, table: <name>, rows: [{attribute: value, …}]}]
    <resource>:     [{entity, definition}]   one key per CRUD resource (resources/registry.py):
                    webhookSubscriptions (may name its table: `table: Customers`),
                    customActions

`profileTableParts: hidden` makes profile-table definitions answer without `subscriptions` and
`segmentations`, as ACTITO's documented example does [INFER: which of the two a real licence
does is not known]; a create then need not carry them. Default: `shown`.

In a seed, an attribute may carry `minLength`, `maxLength` and `acceptedValues` directly (the
manifests' vocabulary) instead of under `valueRestriction`; they are moved there before the
definition is checked like an API create. The API itself takes only the v5 shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from actito_iac.emulator.resources.registry import RESOURCES
from actito_iac.emulator.structures.tables import PROFILE_TABLE_PARTS
from actito_iac.errors import ActitoIacError

_TOP_KEYS = frozenset(
    {"settings", "entities", "profileTables", "customTables", "profiles", "records"}
)
_RESOURCE_KEYS = frozenset(r.seed_key for r in RESOURCES if r.seed_key)
PARTS_VALUES = ("shown", "hidden")
_ENTITY_KEYS = frozenset({"name", "comment"})
_TABLE_KEYS = frozenset({"entity", "definition"})
_ROWS_KEYS = frozenset({"entity", "table", "rows"})
_RESTRICTION_KEYS = frozenset({"minLength", "maxLength", "acceptedValues"})


class SeedError(ActitoIacError):
    """A seed document that cannot be loaded; the message names the source and the problem."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        self.problem = message
        super().__init__(f"{source}: {message}")


@dataclass
class SeedDocument:
    settings: dict[str, str] = field(default_factory=dict)
    entities: list[tuple[str, str | None]] = field(default_factory=list)
    profile_tables: list[tuple[str, object]] = field(default_factory=list)
    custom_tables: list[tuple[str, object]] = field(default_factory=list)
    profiles: list[tuple[str, str, list[Mapping[str, Any]]]] = field(default_factory=list)
    records: list[tuple[str, str, list[Mapping[str, Any]]]] = field(default_factory=list)
    objects: list[tuple[str, str, object]] = field(default_factory=list)
    """(seed key, entity, definition) of the CRUD resources, in document order."""


def parse_seed(document: object, source: str) -> SeedDocument:
    if not isinstance(document, Mapping):
        raise SeedError(source, "the document must be a mapping with `entities` and `customTables`")
    _no_unknown_keys(document, _TOP_KEYS | _RESOURCE_KEYS, "the document", source)
    parsed = SeedDocument()
    settings = document.get("settings") or {}
    if not isinstance(settings, Mapping):
        raise SeedError(source, "`settings` must be a mapping")
    _no_unknown_keys(settings, frozenset({PROFILE_TABLE_PARTS}), "settings", source)
    parts = settings.get(PROFILE_TABLE_PARTS)
    if parts is not None:
        if parts not in PARTS_VALUES:
            expected = " or ".join(PARTS_VALUES)
            raise SeedError(source, f"settings: {PROFILE_TABLE_PARTS} must be {expected}")
        parsed.settings[PROFILE_TABLE_PARTS] = parts
    for index, item in enumerate(_list(document, "entities", source)):
        where = f"entities[{index}]"
        _no_unknown_keys(item, _ENTITY_KEYS, where, source)
        name, comment = item.get("name"), item.get("comment")
        if not isinstance(name, str) or not name.strip():
            raise SeedError(source, f"{where}: `name` must be a non-empty string")
        if comment is not None and not isinstance(comment, str):
            raise SeedError(source, f"{where}: `comment` must be a string")
        parsed.entities.append((name, comment))
    parsed.profile_tables = _tables(document, "profileTables", source)
    parsed.custom_tables = _tables(document, "customTables", source)
    parsed.profiles = _rows(document, "profiles", source)
    parsed.records = _rows(document, "records", source)
    for key in sorted(_RESOURCE_KEYS):
        for index, item in enumerate(_list(document, key, source)):
            where = f"{key}[{index}]"
            _no_unknown_keys(item, _TABLE_KEYS, where, source)
            parsed.objects.append((key, _entity(item, where, source), item.get("definition")))
    return parsed


def _tables(document: Mapping[str, Any], key: str, source: str) -> list[tuple[str, object]]:
    tables: list[tuple[str, object]] = []
    for index, item in enumerate(_list(document, key, source)):
        where = f"{key}[{index}]"
        _no_unknown_keys(item, _TABLE_KEYS, where, source)
        tables.append((_entity(item, where, source), _lift_restrictions(item.get("definition"))))
    return tables


def _rows(
    document: Mapping[str, Any], key: str, source: str
) -> list[tuple[str, str, list[Mapping[str, Any]]]]:
    groups: list[tuple[str, str, list[Mapping[str, Any]]]] = []
    for index, item in enumerate(_list(document, key, source)):
        where = f"{key}[{index}]"
        _no_unknown_keys(item, _ROWS_KEYS, where, source)
        table, rows = item.get("table"), item.get("rows") or []
        if not isinstance(table, str):
            raise SeedError(source, f"{where}: `table` must be a table name")
        if not isinstance(rows, list) or not all(isinstance(r, Mapping) for r in rows):
            raise SeedError(source, f"{where}: `rows` must be a list of {{attribute: value}}")
        groups.append((_entity(item, where, source), table, rows))
    return groups


def _entity(item: Mapping[str, Any], where: str, source: str) -> str:
    entity = item.get("entity")
    if not isinstance(entity, str):
        raise SeedError(source, f"{where}: `entity` must be an entity name")
    return entity


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
