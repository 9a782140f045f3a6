"""Custom tables: business data (orders, stores…) described by a v5 structure definition.

API (actito-api.md §4): list/get [DOC], create `POST …/custom-tables` [CODE], update
`POST …/custom-tables/{id}/change-requests` [CODE]. The change-request body is not documented;
we send the whole desired definition, built on top of the live one so that anything this tool
does not manage is kept [INFER]. No delete endpoint exists: a live table missing from the
manifests is reported as unmanaged.

Links are written by table name in manifests and resolved to ids (profile table numeric id,
custom table UUID) when the payload is built — including tables created earlier in the apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from operator import eq
from typing import Any, ClassVar

from actito_iac.kinds.base import IdLookup, NameLookup
from actito_iac.kinds.common import (
    CUSTOM_TABLE,
    canonical_restriction,
    display_entries,
    merge_display,
)
from actito_iac.kinds.custom_table_payload import (
    keep_unmanaged_keys,
    link_target,
    payload_from_spec,
    spec_from_payload,
)
from actito_iac.kinds.custom_table_spec import (
    CustomTableAttribute,
    CustomTableSpec,
    Event,
    Link,
    check_custom_table,
)
from actito_iac.kinds.endpoints import Endpoints, RowsEndpoint
from actito_iac.kinds.scenario import SCENARIO
from actito_iac.kinds.scenario_spec import event_start
from actito_iac.kinds.structure import (
    TableKind,
    judge_added_or_removed,
    judge_attribute_field,
)
from actito_iac.vocabulary import (
    JSON,
    Address,
    Capabilities,
    Issue,
    Path,
    Risk,
    Source,
    SpecModel,
    Use,
    Verdict,
    op,
)

_NEW_TABLE = "create a table under a new name, migrate the data, then delete the old one in the UI"


class CustomTableKind(TableKind):
    name: ClassVar[str] = CUSTOM_TABLE
    noun: ClassVar[str] = "custom table"
    section: ClassVar[str] = "customTables"
    spec_type: ClassVar[type[SpecModel]] = CustomTableSpec
    endpoints: ClassVar[Endpoints] = TableKind.structure(
        "custom-table-structure", "custom-tables", "customTables"
    )
    # [DOC] records are read by the table's name; `number` bounds the answer [CODE].
    rows: ClassVar[RowsEndpoint | None] = RowsEndpoint(
        "/custom-data/v4/entity/{entity}/customTable/{name}/record", "records", "properties"
    )
    capabilities: ClassVar[Capabilities] = Capabilities(
        list=op(Source.DOC),
        get=op(Source.DOC),
        create=op(Source.CODE, "POST …/custom-tables; response shape inferred"),
        update=op(Source.CODE, "POST …/{id}/change-requests; body shape inferred"),
        delete=op(Source.NONE, "UI only: unmanaged tables are listed, never deleted"),
    )

    def check(self, spec: SpecModel) -> list[Issue]:
        assert isinstance(spec, CustomTableSpec)
        return check_custom_table(spec)

    def canonical(self, spec: SpecModel) -> dict[str, JSON]:
        assert isinstance(spec, CustomTableSpec)
        out: dict[str, JSON] = {
            "type": spec.type,
            "primaryKey": spec.primaryKey,
            "bigTable": spec.bigTable,
            "attributes": {a.name: _canonical_attribute(a) for a in spec.attributes},
            "links": {link.name: _canonical_link(link) for link in spec.links},
            "events": {e.name: _canonical_event(e) for e in spec.events},
            "cleaningRules": {r.attribute: r.retentionDays for r in spec.cleaningRules},
        }
        for key in ("creationTime", "displayName", "description"):
            value = getattr(spec, key)
            if value:
                out[key] = value
        return out

    def judge(self, path: Path, before: JSON, after: JSON, name: str = "") -> Verdict:
        """Classify one field change by ACTITO's documented list of possible modifications."""
        head = path[0]
        if head == "type":
            # [DOC] a table's type is immutable.
            why = "a table's type cannot be changed; " + _NEW_TABLE
            return Verdict(Risk.SAFE, why, source=Source.DOC)
        if head == "primaryKey":
            # [INFER] not in the list of possible modifications.
            return Verdict(Risk.SAFE, "a table's primary key cannot be changed; " + _NEW_TABLE)
        if head == "attributes":
            return _judge_attribute(path, before, after)
        if head == "links":
            return _judge_link(path, before, after)
        if head == "cleaningRules":
            # [DOC] retention rules can be updated; [INFER] their content, and that a new or
            # shorter retention deletes the records that are now too old.
            shorter = before is None or (after is not None and after < before)
            return Verdict(Risk.DESTRUCTIVE if shorter else Risk.SAFE)
        # [DOC] bigTable, creationTime, events and display options are listed as updatable.
        return Verdict(Risk.SAFE, source=Source.DOC)

    def references(self, entity: str, spec: SpecModel) -> list[Address]:
        assert isinstance(spec, CustomTableSpec)
        return [Address(entity, *link_target(link)) for link in spec.links]

    def uses(self, entity: str, spec: SpecModel) -> list[Use]:
        """Each link relies on its target attribute, which must exist and be unique [INFER:
        a link designates one row; ACTITO refuses a foreign key to anything else]: checked
        offline, at plan time against the licence, and a change removing it or making it
        non-unique is blocked, naming the link. The scenarios its events start (triggers):
        each must be declared, and start on that event. Neither is an ordering for a
        trigger: the table comes first, the scenario after."""
        assert isinstance(spec, CustomTableSpec)
        uses = []
        for index, link in enumerate(spec.links):
            attribute = link.targetAttribute or link.attribute
            uses.append(
                Use(
                    Address(entity, *link_target(link)),
                    ("attributes", attribute),
                    f"links through {link.name!r} to attribute {attribute!r}",
                    at=("links", index),
                    requires=(("unique", True),),
                )
            )
        uses += [
            Use(
                Address(entity, SCENARIO, event.scenario),
                ("start",),
                f"says its event {event.name!r} is the start",
                at=("events", index, "scenario"),
                holds=partial(eq, event_start(spec.name, event.name)),
                declared=True,
            )
            for index, event in enumerate(spec.events)
            if event.scenario is not None
        ]
        return uses

    def spec_from_payload(self, payload: Mapping[str, JSON], names: NameLookup) -> SpecModel:
        return spec_from_payload(payload, names)

    def payload(
        self, spec: SpecModel, ids: IdLookup, live: Mapping[str, JSON] | None
    ) -> dict[str, JSON]:
        assert isinstance(spec, CustomTableSpec)
        body = {k: v for k, v in (live or {}).items() if k != "id"}
        body.update(payload_from_spec(spec, ids, "" if live is None else str(live.get("id"))))
        if live is not None:
            keep_unmanaged_keys(body, live)
            texts = {"displayName": spec.displayName, "description": spec.description}
            declared = display_entries(list(spec.attributes))
            names = {a.name for a in spec.attributes}
            body["displayOptions"] = merge_display(
                live.get("displayOptions") or {}, declared, texts, names
            )
        return body


# -- canonical form and change rules --------------------------------------------------------


def _canonical_attribute(attr: CustomTableAttribute) -> dict[str, JSON]:
    out: dict[str, JSON] = {
        "valueType": attr.valueType,
        "mandatory": attr.mandatory,
        "unique": attr.unique,
        "indexed": attr.indexed,
    }
    out.update(canonical_restriction(attr))
    return out


def _canonical_link(link: Link) -> dict[str, JSON]:
    kind, table = link_target(link)
    return {
        "attribute": link.attribute,
        kind: table,
        "targetAttribute": link.targetAttribute or link.attribute,
        "onDelete": link.onDelete,
    }


def _canonical_event(event: Event) -> dict[str, JSON]:
    return {
        "rules": [
            {
                "operation": r.operation,
                "anyAttribute": sorted(r.anyAttribute),
                "before": sorted(_condition(c) for c in r.before),
                "after": sorted(_condition(c) for c in r.after),
            }
            for r in event.rules
        ]
    }


def _condition(cond: Any) -> str:
    return f"{cond.attribute} {cond.operator} {cond.value}"


def _judge_attribute(path: Path, before: JSON, after: JSON) -> Verdict:
    if len(path) == 2:
        return judge_added_or_removed(before, after)
    return judge_attribute_field(path[1], path[2], before, after)


def _judge_link(path: Path, before: JSON, after: JSON) -> Verdict:
    """[DOC] adding and removing a foreign key are listed modifications; changing one in
    place is not [INFER]."""
    if len(path) == 2 and after is None:
        # Dropping a cascading link changes what deleting a parent row does to these rows.
        cascading = before.get("onDelete") == "CASCADE"
        return Verdict(Risk.DESTRUCTIVE if cascading else Risk.SAFE, source=Source.DOC)
    # A new or re-pointed link fails when existing rows reference rows that do not exist.
    return Verdict(Risk.MAY_FAIL_ON_DATA, source=Source.DOC if len(path) == 2 else Source.INFER)
