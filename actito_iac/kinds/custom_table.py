"""Custom tables: business data (orders, stores…) described by a v5 structure definition.

API (actito-api.md §4): list/get [DOC], create `POST …/custom-tables` [CODE], update
`POST …/custom-tables/{id}/change-requests` [CODE]. The change-request body is not documented;
we send the whole desired definition, built on top of the live one so that fields this tool
does not manage yet (foreign keys, events, cleaning rules, display options) are kept [INFER].
No delete endpoint exists: a live table missing from the manifests is reported as unmanaged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal
from urllib.parse import quote

from pydantic import Field

from actito_iac.kinds.base import (
    JSON,
    Capabilities,
    Issue,
    LiveObject,
    Path,
    Risk,
    Source,
    SpecModel,
    Verdict,
    op,
)

if TYPE_CHECKING:
    from actito_iac.address import Address
    from actito_iac.api.client import ActitoClient

TECHNICAL_NAME = r"^[A-Za-z][A-Za-z0-9_]{0,63}$"

ValueType = Literal["STRING", "LONG", "INTEGER", "NUMBER", "TIMESTAMP", "BOOLEAN", "DATE"]
"""STRING, LONG, NUMBER, TIMESTAMP are documented on custom tables; INTEGER is documented on
profile tables; BOOLEAN and DATE are inferred (never seen in ACTITO's pages)."""

TableType = Literal["INTERACTIONS"]
"""Only INTERACTIONS is documented; the other table kinds come with the data-model work."""


class CustomTableAttribute(SpecModel):
    name: str = Field(pattern=TECHNICAL_NAME, description="Technical name; immutable once created.")
    valueType: ValueType = Field(description="Type of the values; immutable once created.")
    mandatory: bool = Field(default=False, description="Every record must carry a value.")
    unique: bool = Field(default=False, description="No two records share a value.")
    indexed: bool = Field(default=False, description="Indexed for search and targeting.")
    minLength: int | None = Field(default=None, ge=0, description="STRING only.")
    maxLength: int | None = Field(default=None, ge=1, description="STRING only.")
    acceptedValues: list[str] | None = Field(
        default=None, min_length=1, description="STRING only: the closed list of values."
    )


class CustomTableSpec(SpecModel):
    name: str = Field(pattern=TECHNICAL_NAME, description="Technical name of the table.")
    type: TableType = Field(default="INTERACTIONS", description="Table kind; immutable.")
    primaryKey: str = Field(
        description="Attribute that identifies a record; must be mandatory and unique; immutable."
    )
    creationTime: str | None = Field(
        default=None, description="TIMESTAMP attribute used as the record's creation time."
    )
    bigTable: bool = Field(default=False, description="ACTITO's large-volume storage option.")
    attributes: list[CustomTableAttribute] = Field(min_length=1)


def _base(entity: str) -> str:
    return f"/custom-table-structure/v5/entities/{quote(entity, safe='')}/custom-tables"


class CustomTableKind:
    name: ClassVar[str] = "customTable"
    section: ClassVar[str] = "customTables"
    spec_type: ClassVar[type[SpecModel]] = CustomTableSpec
    capabilities: ClassVar[Capabilities] = Capabilities(
        list=op(Source.DOC),
        get=op(Source.DOC),
        create=op(Source.CODE, "POST …/custom-tables; response shape inferred"),
        update=op(Source.CODE, "POST …/{id}/change-requests; body shape inferred"),
        delete=op(Source.NONE, "UI only: unmanaged tables are listed, never deleted"),
    )

    # -- checks ------------------------------------------------------------------------------

    def check(self, spec: SpecModel) -> list[Issue]:
        assert isinstance(spec, CustomTableSpec)
        issues: list[Issue] = []
        by_name: dict[str, CustomTableAttribute] = {}
        for i, attr in enumerate(spec.attributes):
            if attr.name in by_name:
                issues.append(
                    Issue(("attributes", i, "name"), f"duplicate attribute {attr.name!r}")
                )
            by_name.setdefault(attr.name, attr)
            issues.extend(_check_attribute(i, attr))
        key = by_name.get(spec.primaryKey)
        if key is None:
            issues.append(Issue(("primaryKey",), f"unknown attribute {spec.primaryKey!r}"))
        elif not (key.mandatory and key.unique):
            issues.append(
                Issue(("primaryKey",), f"attribute {key.name!r} must be mandatory and unique")
            )
        if spec.creationTime is not None:
            moment = by_name.get(spec.creationTime)
            if moment is None:
                issues.append(Issue(("creationTime",), f"unknown attribute {spec.creationTime!r}"))
            elif moment.valueType != "TIMESTAMP":
                issues.append(
                    Issue(("creationTime",), f"attribute {moment.name!r} must be a TIMESTAMP")
                )
        return issues

    # -- comparison --------------------------------------------------------------------------

    def canonical(self, spec: SpecModel) -> dict[str, JSON]:
        assert isinstance(spec, CustomTableSpec)
        out: dict[str, JSON] = {
            "type": spec.type,
            "primaryKey": spec.primaryKey,
            "bigTable": spec.bigTable,
            "attributes": {a.name: _canonical_attribute(a) for a in spec.attributes},
        }
        if spec.creationTime is not None:
            out["creationTime"] = spec.creationTime
        return out

    def judge(self, path: Path, before: JSON, after: JSON) -> Verdict:
        """Classify one field change by ACTITO's documented list of possible modifications."""
        head = path[0]
        if head == "type":
            return Verdict(Risk.SAFE, "a table's type cannot be changed; " + _NEW_TABLE)
        if head == "primaryKey":
            return Verdict(Risk.SAFE, "a table's primary key cannot be changed; " + _NEW_TABLE)
        if head in ("bigTable", "creationTime"):
            return Verdict(Risk.SAFE)
        if head == "attributes" and len(path) == 2:
            if before is None:
                added_risk = Risk.MAY_FAIL_ON_DATA if after.get("mandatory") else Risk.SAFE
                return Verdict(added_risk)
            return Verdict(Risk.DESTRUCTIVE)  # removing an attribute drops its values
        if head == "attributes" and len(path) == 3:
            return _judge_attribute_field(path[1], path[2], before, after)
        return Verdict(Risk.SAFE, f"{'.'.join(path)} cannot be changed through the API")

    def references(self, entity: str, spec: SpecModel) -> list[Address]:
        return []  # links between tables arrive with foreign keys

    # -- live ---------------------------------------------------------------------------------

    async def read(self, client: ActitoClient, entity: str) -> list[LiveObject]:
        body = await client.get(_base(entity))
        tables = body.get("customTables", []) if isinstance(body, dict) else []
        return [LiveObject(str(t["id"]), spec_from_payload(t), t) for t in tables]

    async def create(self, client: ActitoClient, entity: str, spec: SpecModel) -> str:
        assert isinstance(spec, CustomTableSpec)
        created = await client.post(_base(entity), json=payload_from_spec(spec))
        return str(created["id"])

    async def update(
        self, client: ActitoClient, entity: str, live: LiveObject, spec: SpecModel
    ) -> None:
        assert isinstance(spec, CustomTableSpec)
        body = {k: v for k, v in live.payload.items() if k != "id"}
        body.update(payload_from_spec(spec))
        await client.post(f"{_base(entity)}/{quote(live.id, safe='')}/change-requests", json=body)


_NEW_TABLE = "create a table under a new name, migrate the data, then delete the old one in the UI"
_NEW_ATTRIBUTE = "add a new attribute, migrate the values, then remove the old attribute"


def _check_attribute(i: int, attr: CustomTableAttribute) -> list[Issue]:
    issues: list[Issue] = []
    if attr.valueType != "STRING":
        for field in ("minLength", "maxLength", "acceptedValues"):
            if getattr(attr, field) is not None:
                issues.append(Issue(("attributes", i, field), "only STRING attributes take it"))
    if (
        attr.minLength is not None
        and attr.maxLength is not None
        and attr.minLength > attr.maxLength
    ):
        issues.append(Issue(("attributes", i, "minLength"), "minLength is above maxLength"))
    if attr.acceptedValues is not None and len(set(attr.acceptedValues)) != len(
        attr.acceptedValues
    ):
        issues.append(Issue(("attributes", i, "acceptedValues"), "a value is listed twice"))
    return issues


def _canonical_attribute(attr: CustomTableAttribute) -> dict[str, JSON]:
    out: dict[str, JSON] = {
        "valueType": attr.valueType,
        "mandatory": attr.mandatory,
        "unique": attr.unique,
        "indexed": attr.indexed,
    }
    if attr.minLength is not None:
        out["minLength"] = attr.minLength
    if attr.maxLength is not None:
        out["maxLength"] = attr.maxLength
    if attr.acceptedValues is not None:
        out["acceptedValues"] = sorted(attr.acceptedValues)  # a set for ACTITO
    return out


def _judge_attribute_field(name: str, field: str, before: JSON, after: JSON) -> Verdict:
    if field == "valueType":
        return Verdict(
            Risk.SAFE, f"the type of attribute {name!r} cannot be changed; {_NEW_ATTRIBUTE}"
        )
    if field in ("mandatory", "unique"):
        return Verdict(Risk.MAY_FAIL_ON_DATA if after else Risk.SAFE)
    if field == "indexed":
        return Verdict(Risk.SAFE)
    if field == "acceptedValues":
        if before is None:
            return Verdict(Risk.MAY_FAIL_ON_DATA)
        if after is not None and set(before) <= set(after):
            return Verdict(Risk.SAFE)
        # [INFER] ACTITO lists only "adding accepted values" among possible modifications.
        return Verdict(
            Risk.SAFE, "accepted values can only be added, not removed; " + _NEW_ATTRIBUTE
        )
    # minLength / maxLength: not in ACTITO's list of possible modifications [INFER].
    return Verdict(Risk.SAFE, f"{field} of attribute {name!r} cannot be changed; {_NEW_ATTRIBUTE}")


def payload_from_spec(spec: CustomTableSpec) -> dict[str, JSON]:
    body: dict[str, JSON] = {
        "name": spec.name,
        "type": spec.type,
        "primaryKeyAttribute": spec.primaryKey,
        "bigTable": spec.bigTable,
        "attributes": [_attribute_payload(a) for a in spec.attributes],
    }
    if spec.creationTime is not None:
        body["creationTimeAttribute"] = spec.creationTime
    return body


def _attribute_payload(attr: CustomTableAttribute) -> dict[str, JSON]:
    out: dict[str, JSON] = {
        "name": attr.name,
        "valueType": attr.valueType,
        "mandatory": attr.mandatory,
        "indexed": attr.indexed,
        "unique": attr.unique,
    }
    restriction = {
        k: v
        for k, v in (
            ("minLength", attr.minLength),
            ("maxLength", attr.maxLength),
            ("acceptedValues", attr.acceptedValues),
        )
        if v is not None
    }
    if restriction:
        out["valueRestriction"] = restriction
    return out


def spec_from_payload(table: Mapping[str, Any]) -> CustomTableSpec:
    """Read a live definition into a spec; server defaults fill what the server omits.

    Built without validation: the live licence may hold values this version does not know
    (a newer table type, say), and reading must never fail on them; the planner compares them
    as they are.
    """
    attributes = []
    for a in table.get("attributes", []):
        restriction = a.get("valueRestriction") or {}
        attributes.append(
            CustomTableAttribute.model_construct(
                name=a["name"],
                valueType=a.get("valueType"),
                mandatory=bool(a.get("mandatory", False)),
                unique=bool(a.get("unique", False)),
                indexed=bool(a.get("indexed", False)),
                minLength=restriction.get("minLength"),
                maxLength=restriction.get("maxLength"),
                acceptedValues=list(restriction["acceptedValues"])
                if restriction.get("acceptedValues")
                else None,
            )
        )
    return CustomTableSpec.model_construct(
        name=table["name"],
        type=table.get("type", "INTERACTIONS"),
        primaryKey=table.get("primaryKeyAttribute", ""),
        creationTime=table.get("creationTimeAttribute"),
        bigTable=bool(table.get("bigTable", False)),
        attributes=attributes,
    )
