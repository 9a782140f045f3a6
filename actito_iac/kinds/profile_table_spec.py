"""The manifest model of a profile table, and the checks its model cannot express."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from actito_iac.kinds.common import TECHNICAL_NAME, Restricted, ValueType, inferred_enum
from actito_iac.kinds.custom_table_spec import check_restriction
from actito_iac.vocabulary import Issue, Model, NamedSpec

AttributeType = Literal[
    "CUSTOM",
    "EMAIL_ADDRESS",
    "FIRSTNAME",
    "LASTNAME",
    "BIRTHDATE",
    "SEX",
    "MOTHER_LANGUAGE",
    "GSM_NUMBER",
    "ADDRESS_STREET",
    "ADDRESS_POSTAL_CODE",
    "ADDRESS_CITY",
    "ADDRESS_COUNTRY",
]
"""CUSTOM and the predefined EMAIL_ADDRESS, FIRSTNAME, LASTNAME, BIRTHDATE, SEX and
MOTHER_LANGUAGE are documented; GSM_NUMBER and the ADDRESS_* types are inferred (the UI offers
a mobile number and address fields, their API spelling was never seen)."""

Channel = Literal["EMAIL", "SMS"]
"""Channels of a subscription: both inferred (the documentation names e-mail subscriptions)."""

CUSTOM = "CUSTOM"

TECHNICAL_ATTRIBUTES = frozenset(
    {
        "profileId",
        "creationMoment",
        "updateMoment",
        "lastMailTargetingMoment",
        "lastMailActivityStatus",
        "lastMailOpeningMoment",
        "lastMailClickMoment",
        "lastDevice",
        "lastUserAgent",
        "blacklistMoment",
    }
)
"""Attributes ACTITO generates and maintains itself [DOC]: never declared, written or diffed."""


class ProfileTableAttribute(Restricted):
    name: str = Field(pattern=TECHNICAL_NAME, description="Technical name; immutable once created.")
    renamedFrom: str | None = Field(
        default=None, description="Former name: states a rename intent, which ACTITO cannot do."
    )
    type: AttributeType = Field(
        default="CUSTOM",
        **inferred_enum(
            "CUSTOM, or one of ACTITO's predefined attributes; immutable. CUSTOM, EMAIL_ADDRESS, "
            "FIRSTNAME, LASTNAME, BIRTHDATE, SEX and MOTHER_LANGUAGE are documented.",
            "GSM_NUMBER",
            "ADDRESS_STREET",
            "ADDRESS_POSTAL_CODE",
            "ADDRESS_CITY",
            "ADDRESS_COUNTRY",
        ),
    )
    valueType: ValueType | None = Field(
        default=None,
        **inferred_enum(
            "CUSTOM only (and required there); immutable once created. INTEGER, STRING and "
            "TIMESTAMP are documented on profile tables; LONG and NUMBER on custom tables only.",
            "LONG",
            "NUMBER",
            "BOOLEAN",
            "DATE",
        ),
    )
    multiValued: bool = Field(
        default=False, description="CUSTOM only: holds a list of values; immutable once created."
    )
    mandatory: bool = Field(default=False, description="Every profile must carry a value.")
    unique: bool = Field(default=False, description="No two profiles share a value.")


class Subscription(Model):
    """An opt-in. Created, renamed and removed in the ACTITO UI only (no API endpoint)."""

    name: str = Field(min_length=1, description="Becomes a technical value: cannot be renamed.")
    channel: Channel = Field(
        default="EMAIL",
        **inferred_enum(
            "The channel of the opt-in (ACTITO documents e-mail subscriptions).", "EMAIL", "SMS"
        ),
    )


class Segmentation(Model):
    """Simple (member or not) without `segments`; exclusive (one segment among them) with.

    Created and changed in the ACTITO UI only (no API endpoint).
    """

    name: str = Field(min_length=1)
    segments: list[str] | None = Field(
        default=None, description="Makes the segmentation exclusive: a profile is in one of them."
    )
    mandatory: bool = Field(
        default=False, description="Exclusive only: every profile belongs to a segment."
    )
    defaultSegment: str | None = Field(
        default=None, description="Exclusive only: where a profile goes when it has none."
    )
    history: bool = Field(default=False, description="Track when profiles enter or leave.")


class ProfileTableSpec(NamedSpec):
    name: str = Field(pattern=TECHNICAL_NAME, description="Technical name of the table.")
    renamedFrom: str | None = Field(
        default=None, description="Former name: states a rename intent, which ACTITO cannot do."
    )
    displayName: str | None = Field(default=None, description="Label shown in the ACTITO UI.")
    attributes: list[ProfileTableAttribute] = Field(
        min_length=1, description="Technical attributes (profileId…) are ACTITO's: never listed."
    )
    subscriptions: list[Subscription] | None = Field(
        default=None,
        description="At least one EMAIL subscription. Left out: not managed (the licence's "
        "are kept); a new table needs them.",
    )
    segmentations: list[Segmentation] | None = Field(
        default=None, description="Left out: not managed (the licence's are kept)."
    )


def check_profile_table(spec: ProfileTableSpec) -> list[Issue]:
    issues: list[Issue] = []
    seen: set[str] = set()
    types: set[str] = set()
    for i, attr in enumerate(spec.attributes):
        where = ("attributes", i)
        if attr.name in TECHNICAL_ATTRIBUTES:
            message = f"{attr.name!r} is a technical attribute: server-managed, never declared"
            issues.append(Issue((*where, "name"), message))
        if attr.name in seen:
            issues.append(Issue((*where, "name"), f"duplicate attribute {attr.name!r}"))
        seen.add(attr.name)
        if attr.type != CUSTOM:
            if attr.type in types:
                # [INFER] one e-mail address, one first name… per table.
                issues.append(Issue((*where, "type"), f"a second {attr.type} attribute"))
            types.add(attr.type)
        issues.extend(_check_attribute_type(where, attr))
    issues.extend(_check_subscriptions(spec))
    issues.extend(_check_segmentations(spec))
    return issues


def _check_attribute_type(where: tuple[str | int, ...], attr: ProfileTableAttribute) -> list[Issue]:
    issues: list[Issue] = []
    if attr.type == CUSTOM:
        if attr.valueType is None:
            issues.append(Issue((*where, "valueType"), "a CUSTOM attribute needs a valueType"))
    else:
        # Fields the manifest set, not their defaults: `multiValued: false` is refused too,
        # as ACTITO's predefined attributes carry no such key at all.
        for field in ("valueType", "multiValued"):
            if field in attr.model_fields_set:
                message = f"a predefined {attr.type} attribute carries no {field}"
                issues.append(Issue((*where, field), message))
    if attr.type == CUSTOM:
        issues.extend(check_restriction(where, attr, attr.valueType))
        return issues
    for field in ("minLength", "maxLength", "acceptedValues"):
        if getattr(attr, field) is not None:
            issues.append(Issue((*where, field), "only CUSTOM STRING attributes take it"))
    return issues


def _check_subscriptions(spec: ProfileTableSpec) -> list[Issue]:
    issues: list[Issue] = []
    seen: set[str] = set()
    if spec.subscriptions is None:
        return issues  # not managed here
    for i, subscription in enumerate(spec.subscriptions):
        if subscription.name in seen:
            message = f"duplicate subscription {subscription.name!r}"
            issues.append(Issue(("subscriptions", i, "name"), message))
        seen.add(subscription.name)
    if not any(s.channel == "EMAIL" for s in spec.subscriptions):
        # [DOC] a profile table holds at least one e-mail subscription.
        issues.append(Issue(("subscriptions",), "a profile table needs an EMAIL subscription"))
    return issues


def _check_segmentations(spec: ProfileTableSpec) -> list[Issue]:
    issues: list[Issue] = []
    seen: set[str] = set()
    for i, segmentation in enumerate(spec.segmentations or ()):
        where = ("segmentations", i)
        if segmentation.name in seen:
            message = f"duplicate segmentation {segmentation.name!r}"
            issues.append(Issue((*where, "name"), message))
        seen.add(segmentation.name)
        issues.extend(_check_segments(where, segmentation))
    return issues


def _check_segments(where: tuple[str | int, ...], segmentation: Segmentation) -> list[Issue]:
    segments = segmentation.segments
    if segments is None:
        set_here = {
            "mandatory": segmentation.mandatory,
            "defaultSegment": segmentation.defaultSegment,
        }
        return [
            Issue((*where, field), "only an exclusive segmentation (with segments) takes it")
            for field, value in set_here.items()
            if value
        ]
    issues: list[Issue] = []
    if len(segments) < 2:
        # [DOC] ACTITO's UI asks for at least two segments in an exclusive segmentation.
        issues.append(Issue((*where, "segments"), "an exclusive segmentation needs two segments"))
    if len(set(segments)) != len(segments):
        issues.append(Issue((*where, "segments"), "a segment is listed twice"))
    default = segmentation.defaultSegment
    if segmentation.mandatory and default is None:
        # [DOC] a mandatory segmentation names the segment profiles start in.
        issues.append(Issue((*where, "defaultSegment"), "a mandatory segmentation needs one"))
    if default is not None and default not in segments:
        issues.append(Issue((*where, "defaultSegment"), f"{default!r} is not one of the segments"))
    return issues
