"""Custom-table payloads both ways: a spec as the v5 definition ACTITO stores, and back.

Links are written with ids looked up by table name, and read back as names; a link whose
table cannot be found keeps its id, visibly, instead of failing the read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from actito_iac.kinds.base import IdLookup, NameLookup
from actito_iac.kinds.common import (
    CUSTOM_TABLE,
    PROFILE_TABLE,
    RESTRICTION_KEYS,
    display_by_name,
    display_entries,
    restriction_fields,
    restriction_payload,
)
from actito_iac.kinds.custom_table_spec import (
    TECHNICAL_ATTRIBUTES,
    CleaningRule,
    Condition,
    CustomTableAttribute,
    CustomTableSpec,
    Event,
    EventRule,
    Link,
)
from actito_iac.kinds.overlay import overlay_items
from actito_iac.vocabulary import JSON

_TABLE_TYPES = {"PROFILE_TABLE": PROFILE_TABLE, "CUSTOM_TABLE": CUSTOM_TABLE}


def link_target(link: Link) -> tuple[str, str]:
    """(kind, table name) a link points at."""
    if link.profileTable is not None:
        return PROFILE_TABLE, link.profileTable
    return CUSTOM_TABLE, str(link.customTable)


def payload_from_spec(spec: CustomTableSpec, ids: IdLookup, own_id: str = "") -> dict[str, JSON]:
    body: dict[str, JSON] = {
        "name": spec.name,
        "type": spec.type,
        "primaryKeyAttribute": spec.primaryKey,
        "bigTable": spec.bigTable,
        "attributes": [_attribute_payload(a) for a in spec.attributes],
        "foreignKeys": [_link_payload(spec, link, ids, own_id) for link in spec.links],
        "eventsToTrigger": [_event_payload(e) for e in spec.events],
        "cleaningRules": [
            {"attribute": r.attribute, "retentionDays": r.retentionDays} for r in spec.cleaningRules
        ],
        "displayOptions": _display_payload(spec),
    }
    if spec.creationTime is not None:
        body["creationTimeAttribute"] = spec.creationTime
    return body


_ITEMS: tuple[tuple[str, str, tuple[str, ...], dict[str, tuple[str, ...]]], ...] = (
    # (list, its items' name key, keys the tool writes, sub-objects merged key by key)
    (
        "attributes",
        "name",
        ("name", "valueType", "mandatory", "indexed", "unique"),
        {"valueRestriction": RESTRICTION_KEYS},
    ),
    (
        "foreignKeys",
        "name",
        ("name", "attribute", "onDelete"),
        {"reference": ("tableType", "tableId", "attribute")},
    ),
    ("eventsToTrigger", "name", ("name", "triggerRules"), {}),
    ("cleaningRules", "attribute", ("attribute", "retentionDays"), {}),
)


def keep_unmanaged_keys(body: dict[str, JSON], live: Mapping[str, Any]) -> None:
    """Put back, item by item, the live keys the tool does not manage (see overlay.py), and
    the technical attributes a live definition lists, as they are."""
    for name, key, managed, nested in _ITEMS:
        body[name] = overlay_items(
            live.get(name), body[name], key=key, managed=managed, nested=nested
        )
    technical = [
        a
        for a in live.get("attributes") or []
        if isinstance(a, Mapping) and a.get("name") in TECHNICAL_ATTRIBUTES
    ]
    body["attributes"] = [*technical, *body["attributes"]]


def _attribute_payload(attr: CustomTableAttribute) -> dict[str, JSON]:
    out: dict[str, JSON] = {
        "name": attr.name,
        "valueType": attr.valueType,
        "mandatory": attr.mandatory,
        "indexed": attr.indexed,
        "unique": attr.unique,
    }
    restriction = restriction_payload(attr)
    if restriction:
        out["valueRestriction"] = restriction
    return out


def _link_payload(spec: CustomTableSpec, link: Link, ids: IdLookup, own_id: str) -> dict[str, JSON]:
    kind, table = link_target(link)
    # A link from a table to itself can only name its own id once it exists.
    own = kind == CUSTOM_TABLE and table == spec.name and own_id
    table_id = own_id if own else ids(kind, table)
    return {
        "name": link.name,
        "attribute": link.attribute,
        "reference": {
            "tableType": "PROFILE_TABLE" if kind == PROFILE_TABLE else "CUSTOM_TABLE",
            "tableId": table_id,
            "attribute": link.targetAttribute or link.attribute,
        },
        "onDelete": link.onDelete,
    }


def _event_payload(event: Event) -> dict[str, JSON]:
    rules = []
    for rule in event.rules:
        out: dict[str, JSON] = {"onOperation": rule.operation}
        if rule.anyAttribute:
            out["onAnyAttribute"] = list(rule.anyAttribute)
        conditions = {
            key: [c.model_dump() for c in side]
            for key, side in (
                ("stateBeforeOperation", rule.before),
                ("stateAfterOperation", rule.after),
            )
            if side
        }
        if conditions:
            out["matchingConditions"] = conditions
        rules.append(out)
    return {"name": event.name, "triggerRules": rules}


def _display_payload(spec: CustomTableSpec) -> dict[str, JSON]:
    out: dict[str, JSON] = {"forAttributes": display_entries(list(spec.attributes))}
    for key in ("displayName", "description"):
        value = getattr(spec, key)
        if value:
            out[key] = value
    return out


def spec_from_payload(table: Mapping[str, Any], names: NameLookup) -> CustomTableSpec:
    """Read a live definition into a spec; server defaults fill what the server omits.

    Built without validation: the live licence may hold values this version does not know
    (a newer table type, say), and reading must never fail on them; the planner compares them
    as they are.
    """
    display = display_by_name(table)
    attributes = [
        CustomTableAttribute.model_construct(
            name=a["name"],
            renamedFrom=None,
            valueType=a.get("valueType"),
            mandatory=bool(a.get("mandatory", False)),
            unique=bool(a.get("unique", False)),
            indexed=bool(a.get("indexed", False)),
            displayName=display.get(a["name"], {}).get("displayName"),
            description=display.get(a["name"], {}).get("description"),
            **restriction_fields(a),
        )
        # Every table has attributes: a missing or null list is an answer we cannot read
        # (reading it as "none" would plan to re-add them all), not an empty table.
        for a in table["attributes"]
        if a.get("name") not in TECHNICAL_ATTRIBUTES
    ]
    options = table.get("displayOptions") or {}
    return CustomTableSpec.model_construct(
        name=table["name"],
        renamedFrom=None,
        type=table.get("type", "INTERACTIONS"),
        displayName=options.get("displayName"),
        description=options.get("description"),
        primaryKey=table.get("primaryKeyAttribute", ""),
        creationTime=table.get("creationTimeAttribute"),
        bigTable=bool(table.get("bigTable", False)),
        attributes=attributes,
        links=[_link_from_payload(fk, names) for fk in table.get("foreignKeys") or []],
        events=[_event_from_payload(e) for e in table.get("eventsToTrigger") or []],
        cleaningRules=[
            CleaningRule.model_construct(
                attribute=r.get("attribute"), retentionDays=r.get("retentionDays")
            )
            for r in table.get("cleaningRules") or []
        ],
    )


def _link_from_payload(fk: Mapping[str, Any], names: NameLookup) -> Link:
    reference = fk.get("reference") or {}
    kind = _TABLE_TYPES.get(str(reference.get("tableType")), CUSTOM_TABLE)
    table_id = str(reference.get("tableId"))
    # A link to a table that cannot be found keeps its id, visibly, rather than failing the read.
    table = names(kind, table_id) or f"(unknown id {table_id})"
    return Link.model_construct(
        name=str(fk.get("name")),
        attribute=str(fk.get("attribute")),
        profileTable=table if kind == PROFILE_TABLE else None,
        customTable=table if kind == CUSTOM_TABLE else None,
        # The manifest's default (the same name) is kept implicit, as a user writes it.
        targetAttribute=None
        if reference.get("attribute") == fk.get("attribute")
        else reference.get("attribute"),
        onDelete=fk.get("onDelete", "CASCADE"),
    )


def _event_from_payload(event: Mapping[str, Any]) -> Event:
    rules = []
    for rule in event.get("triggerRules") or []:
        conditions = rule.get("matchingConditions") or {}
        rules.append(
            EventRule.model_construct(
                operation=rule.get("onOperation"),
                anyAttribute=list(rule.get("onAnyAttribute") or []),
                before=[
                    Condition.model_construct(**c)
                    for c in conditions.get("stateBeforeOperation") or []
                ],
                after=[
                    Condition.model_construct(**c)
                    for c in conditions.get("stateAfterOperation") or []
                ],
            )
        )
    return Event.model_construct(name=str(event.get("name")), rules=rules)
