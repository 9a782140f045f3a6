"""Profile tables: the people a licence talks to — attributes, subscriptions, segmentations.

API (actito-api.md §3, docs/api.md "Profile table structures"): list/get [DOC]; create exists
[DOC] at an inferred path; update exists [DOC], through `POST …/{id}/change-requests` by
analogy with custom tables [INFER]. No delete endpoint exists: a live table missing from the
manifests is reported as unmanaged.

Technical attributes (`profileId`, `creationMoment`…) are ACTITO's: never declared, never in the
canonical form, sent back as live has them. Subscriptions and segmentations have no write
endpoint: a create carries the first ones [INFER]; after that every change to them is a
`manual` step naming the exact place in the ACTITO UI, and change requests send the live ones
back untouched (the API refuses a change request that differs there).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from actito_iac.kinds.base import IdLookup, NameLookup
from actito_iac.kinds.common import (
    DISPLAY_TEXTS,
    PROFILE_TABLE,
    RESTRICTION_KEYS,
    canonical_restriction,
    display_by_name,
    display_entries,
    merge_display,
    restriction_fields,
    restriction_payload,
)
from actito_iac.kinds.endpoints import Endpoints, RowsEndpoint
from actito_iac.kinds.overlay import overlay_items
from actito_iac.kinds.profile_table_manual import judge_segmentation, judge_subscription
from actito_iac.kinds.profile_table_spec import (
    CUSTOM,
    TECHNICAL_ATTRIBUTES,
    ProfileTableAttribute,
    ProfileTableSpec,
    Segmentation,
    Subscription,
    check_profile_table,
)
from actito_iac.kinds.structure import (
    TableKind,
    judge_added_or_removed,
    judge_attribute_field,
)
from actito_iac.vocabulary import (
    JSON,
    Capabilities,
    Issue,
    Path,
    Risk,
    Source,
    SpecModel,
    Verdict,
    op,
)

EMAIL_ADDRESS = "emailAddress"
PARTS = frozenset({"subscriptions", "segmentations"})
"""Compared only where a manifest declares them and ACTITO's answer carries them."""
ATTRIBUTE_KEYS = ("type", "name", "valueType", "multiValued", "mandatory", "unique")
"""Keys of a live attribute this kind writes (`valueRestriction` is merged key by key)."""
GENERATED: dict[str, JSON] = {
    "profileId": {"type": "CUSTOM", "valueType": "INTEGER", "mandatory": True, "unique": True},
    "creationMoment": {"type": "CUSTOM", "valueType": "TIMESTAMP", "mandatory": True,
                       "unique": False},
    "updateMoment": {"type": "CUSTOM", "valueType": "TIMESTAMP", "mandatory": True,
                     "unique": False},
}  # fmt: skip
"""The technical attributes in every profile table [DOC, ACTITO's documented definition], as
objects relying on them see them."""


class ProfileTableKind(TableKind):
    name: ClassVar[str] = PROFILE_TABLE
    noun: ClassVar[str] = "profile table"
    section: ClassVar[str] = "profileTables"
    spec_type: ClassVar[type[SpecModel]] = ProfileTableSpec
    endpoints: ClassVar[Endpoints] = TableKind.structure(
        "profile-table-structure", "profile-tables", "profileTables"
    )
    # [CODE] path (uncategorised, as public clients call it); [INFER] `number` and the
    # answer's shape (docs/api.md, "Data").
    rows: ClassVar[RowsEndpoint | None] = RowsEndpoint(
        "/v5/entities/{entity}/profile-tables/{id}/profiles", "profiles", "attributes"
    )
    capabilities: ClassVar[Capabilities] = Capabilities(
        list=op(Source.DOC),
        get=op(Source.DOC),
        create=op(Source.INFER, "exists per ACTITO; POST …/profile-tables path inferred"),
        update=op(
            Source.INFER,
            "POST …/{id}/change-requests inferred; subscriptions and segmentations are "
            "manual steps in the ACTITO UI (no endpoint)",
        ),
        delete=op(Source.NONE, "not in the API: unmanaged tables are listed, never deleted"),
    )

    declared_only: ClassVar[frozenset[Path]] = DISPLAY_TEXTS | {(p,) for p in PARTS}
    live_optional: ClassVar[frozenset[str]] = PARTS

    def check(self, spec: SpecModel) -> list[Issue]:
        assert isinstance(spec, ProfileTableSpec)
        return check_profile_table(spec)

    def refuse_create(self, spec: SpecModel) -> str:
        assert isinstance(spec, ProfileTableSpec)
        if spec.subscriptions is None:
            # [DOC] a profile table holds at least one e-mail subscription.
            return (
                "a new profile table needs at least one EMAIL subscription, and ACTITO's API "
                "cannot add one later: declare `subscriptions` in the manifest"
            )
        return ""

    def canonical(self, spec: SpecModel) -> dict[str, JSON]:
        assert isinstance(spec, ProfileTableSpec)
        out: dict[str, JSON] = {
            "attributes": {
                a.name: _canonical_attribute(a)
                for a in spec.attributes
                if a.name not in TECHNICAL_ATTRIBUTES
            },
        }
        # Left out of a manifest: not managed; left out of ACTITO's answer: not known.
        if spec.subscriptions is not None:
            out["subscriptions"] = {s.name: {"channel": s.channel} for s in spec.subscriptions}
        if spec.segmentations is not None:
            out["segmentations"] = {
                s.name: _canonical_segmentation(s) for s in spec.segmentations
            }
        if spec.displayName:
            out["displayName"] = spec.displayName
        return out

    def judge(self, path: Path, before: JSON, after: JSON, name: str = "") -> Verdict:
        """Classify one field change; `name` (when the caller knows it) names it in UI steps."""
        head = path[0]
        if head == "attributes":
            return _judge_attribute(path, before, after)
        if head == "subscriptions":
            return judge_subscription(name, path, before, after)
        if head == "segmentations":
            return judge_segmentation(name, path, before, after)
        return Verdict(Risk.SAFE, source=Source.DOC)  # displayName: editable [DOC]

    def used_field(self, canonical: Mapping[str, JSON], path: Path) -> JSON:
        """Technical attributes are in every profile table, though never in its canonical
        form: a link may target `profileId` (ACTITO's default link key [DOC])."""
        if len(path) >= 2 and path[0] == "attributes" and path[1] in GENERATED:
            return super().used_field({"attributes": GENERATED}, path)
        return super().used_field(canonical, path)

    def spec_from_payload(self, payload: Mapping[str, JSON], names: NameLookup) -> SpecModel:
        return spec_from_payload(payload)

    def payload(
        self, spec: SpecModel, ids: IdLookup, live: Mapping[str, JSON] | None
    ) -> dict[str, JSON]:
        assert isinstance(spec, ProfileTableSpec)
        if live is None:
            return payload_from_spec(spec)
        return change_request(spec, live)


# -- canonical form and attribute change rules ----------------------------------------------


def _canonical_attribute(attr: ProfileTableAttribute) -> dict[str, JSON]:
    out: dict[str, JSON] = {"type": attr.type}
    if attr.type == CUSTOM:  # predefined attributes have a type of their own, nothing more
        out["valueType"] = attr.valueType
        out["multiValued"] = attr.multiValued
    out["mandatory"] = attr.mandatory
    out["unique"] = attr.unique
    out.update(canonical_restriction(attr))
    return out


def _canonical_segmentation(segmentation: Segmentation) -> dict[str, JSON]:
    if segmentation.segments is None:
        return {"type": "SIMPLE", "history": segmentation.history}
    out: dict[str, JSON] = {
        "type": "EXCLUSIVE",
        "segments": sorted(segmentation.segments),  # a set: a profile is in one of them
        "mandatory": segmentation.mandatory,
        "history": segmentation.history,
    }
    if segmentation.defaultSegment is not None:
        out["defaultSegment"] = segmentation.defaultSegment
    return out


def _judge_attribute(path: Path, before: JSON, after: JSON) -> Verdict:
    if len(path) == 2 and after is None and path[1] == EMAIL_ADDRESS:
        # [INFER] ACTITO sends e-mail only to this attribute; the emulator refuses too.
        return Verdict(Risk.SAFE, f"attribute {EMAIL_ADDRESS!r} cannot be removed; keep it")
    if len(path) == 2:
        return judge_added_or_removed(before, after)
    return judge_attribute_field(path[1], path[2], before, after)


# -- payloads -------------------------------------------------------------------------------


def payload_from_spec(spec: ProfileTableSpec) -> dict[str, JSON]:
    """The create body: the whole definition, first subscriptions and segmentations included."""
    return {
        "name": spec.name,
        "attributes": [_attribute_payload(a) for a in _declared(spec)],
        "displayOptions": _display_payload(spec, {}),
        "subscriptions": [_subscription_payload(s) for s in spec.subscriptions or ()],
        "segmentations": [_segmentation_payload(s) for s in spec.segmentations or ()],
    }


def change_request(spec: ProfileTableSpec, live: Mapping[str, JSON]) -> dict[str, JSON]:
    """The live definition with the spec's attributes and display texts.

    Everything else is kept as live has it — keys this tool does not know, technical
    attributes, and subscriptions and segmentations, which a change request may not alter.
    """
    body = {k: v for k, v in live.items() if k != "id"}  # the id is in the path
    technical = [a for a in live.get("attributes") or [] if a.get("name") in TECHNICAL_ATTRIBUTES]
    declared = overlay_items(
        live.get("attributes"),
        [_attribute_payload(a) for a in _declared(spec)],
        key="name",
        managed=ATTRIBUTE_KEYS,
        nested={"valueRestriction": RESTRICTION_KEYS},
    )
    body["attributes"] = technical + declared
    body["displayOptions"] = _display_payload(spec, live.get("displayOptions") or {})
    return body


def _declared(spec: ProfileTableSpec) -> list[ProfileTableAttribute]:
    # `check` refuses technical names in manifests; this keeps a bypassed check from writing one.
    return [a for a in spec.attributes if a.name not in TECHNICAL_ATTRIBUTES]


def _attribute_payload(attr: ProfileTableAttribute) -> dict[str, JSON]:
    out: dict[str, JSON] = {"type": attr.type, "name": attr.name}
    if attr.type == CUSTOM:
        out["valueType"] = attr.valueType
        out["multiValued"] = attr.multiValued
    out["mandatory"] = attr.mandatory
    out["unique"] = attr.unique
    restriction = restriction_payload(attr)
    if restriction:
        out["valueRestriction"] = restriction
    return out


def _display_payload(spec: ProfileTableSpec, live: Mapping[str, Any]) -> dict[str, JSON]:
    """Declared display texts over the live ones (undeclared texts are not managed)."""
    names = {a.name for a in _declared(spec)} | set(TECHNICAL_ATTRIBUTES)
    declared = display_entries(_declared(spec))
    return merge_display(live, declared, {"displayName": spec.displayName}, names)


def _subscription_payload(subscription: Subscription) -> dict[str, JSON]:
    return {"name": subscription.name, "channel": subscription.channel}


def _segmentation_payload(segmentation: Segmentation) -> dict[str, JSON]:
    if segmentation.segments is None:
        return {"name": segmentation.name, "type": "SIMPLE", "history": segmentation.history}
    out: dict[str, JSON] = {
        "name": segmentation.name,
        "type": "EXCLUSIVE",
        "segments": list(segmentation.segments),
        "mandatory": segmentation.mandatory,
        "history": segmentation.history,
    }
    if segmentation.defaultSegment is not None:
        out["defaultSegment"] = segmentation.defaultSegment
    return out


def spec_from_payload(table: Mapping[str, Any]) -> ProfileTableSpec:
    """Read a live definition into a spec, technical attributes left out.

    Built without validation: the live licence may hold values this version does not know
    (a newer predefined type, say), and reading must never fail on them.
    """
    display = display_by_name(table)
    attributes = [
        ProfileTableAttribute.model_construct(
            name=a["name"],
            renamedFrom=None,
            type=a.get("type", CUSTOM),
            valueType=a.get("valueType"),
            multiValued=bool(a.get("multiValued", False)),
            mandatory=bool(a.get("mandatory", False)),
            unique=bool(a.get("unique", False)),
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
    return ProfileTableSpec.model_construct(
        name=table["name"],
        renamedFrom=None,
        displayName=options.get("displayName"),
        attributes=attributes,
        # [INFER] a definition without them says nothing of them (ACTITO's documented example
        # has neither): None, "not known from this answer", never "none".
        subscriptions=None
        if table.get("subscriptions") is None
        else [
            Subscription.model_construct(name=str(s.get("name")), channel=s.get("channel", "EMAIL"))
            for s in table["subscriptions"]
        ],
        segmentations=None
        if table.get("segmentations") is None
        else [_segmentation_from_payload(s) for s in table["segmentations"]],
    )


def _segmentation_from_payload(raw: Mapping[str, Any]) -> Segmentation:
    exclusive = raw.get("type") == "EXCLUSIVE"
    return Segmentation.model_construct(
        name=str(raw.get("name")),
        segments=list(raw.get("segments") or []) if exclusive else None,
        mandatory=bool(raw.get("mandatory", False)),
        defaultSegment=raw.get("defaultSegment") if exclusive else None,
        history=bool(raw.get("history", False)),
    )
