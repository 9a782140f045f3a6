"""The manifest model of a custom table, and the checks its model cannot express."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from actito_iac.kinds.common import LINK_NAME, TECHNICAL_NAME, Restricted, ValueType
from actito_iac.vocabulary import Issue, Model, NamedSpec

TableType = Literal["INTERACTIONS", "LINKED_DATA", "REPOSITORY"]
"""INTERACTIONS is documented; LINKED_DATA and REPOSITORY are inferred names of ACTITO's
other two table kinds (Linked Data, Repository), never seen in API pages."""

OnDelete = Literal["CASCADE", "SET_NULL", "RESTRICT"]
"""CASCADE is documented; SET_NULL and RESTRICT are inferred."""

Operator = Literal["=", "!=", "<", ">", "<=", ">="]
"""`=` and `!=` are documented; the comparisons are inferred."""


class CustomTableAttribute(Restricted):
    name: str = Field(pattern=TECHNICAL_NAME, description="Technical name; immutable once created.")
    renamedFrom: str | None = Field(
        default=None, description="Former name: states a rename intent, which ACTITO cannot do."
    )
    valueType: ValueType = Field(description="Type of the values; immutable once created.")
    mandatory: bool = Field(default=False, description="Every record must carry a value.")
    unique: bool = Field(default=False, description="No two records share a value.")
    indexed: bool = Field(default=False, description="Indexed for search and targeting.")


class Link(Model):
    """A foreign key, written with table names; ids are resolved when applying."""

    name: str = Field(pattern=LINK_NAME)
    attribute: str = Field(description="Attribute of this table holding the reference.")
    profileTable: str | None = Field(default=None, description="Linked profile table.")
    customTable: str | None = Field(default=None, description="Linked custom table.")
    targetAttribute: str | None = Field(
        default=None, description="Unique attribute of the linked table (default: same name)."
    )
    onDelete: OnDelete = "CASCADE"


class Condition(Model):
    attribute: str
    operator: Operator
    value: str | int | float | bool


class EventRule(Model):
    operation: Literal["CREATE", "UPDATE"]
    anyAttribute: list[str] = Field(
        default_factory=list, description="Raise only when one of these attributes changes."
    )
    before: list[Condition] = Field(default_factory=list, description="State before the write.")
    after: list[Condition] = Field(default_factory=list, description="State after the write.")


class Event(Model):
    """A named data event; scenarios start on it (referenced by its name)."""

    name: str = Field(pattern=LINK_NAME)
    rules: list[EventRule] = Field(min_length=1)


class CleaningRule(Model):
    attribute: str = Field(description="TIMESTAMP attribute the age is measured on.")
    retentionDays: int = Field(ge=1, description="Records older than this are deleted.")


class CustomTableSpec(NamedSpec):
    name: str = Field(pattern=TECHNICAL_NAME, description="Technical name of the table.")
    renamedFrom: str | None = Field(
        default=None, description="Former name: states a rename intent, which ACTITO cannot do."
    )
    type: TableType = Field(default="INTERACTIONS", description="Table kind; immutable.")
    displayName: str | None = None
    description: str | None = None
    primaryKey: str = Field(
        description="Attribute that identifies a record; must be mandatory and unique; immutable."
    )
    creationTime: str | None = Field(
        default=None, description="TIMESTAMP attribute used as the record's creation time."
    )
    bigTable: bool = Field(default=False, description="ACTITO's large-volume storage option.")
    attributes: list[CustomTableAttribute] = Field(min_length=1)
    links: list[Link] = Field(default_factory=list, description="Foreign keys to other tables.")
    events: list[Event] = Field(default_factory=list, description="Events raised on writes.")
    cleaningRules: list[CleaningRule] = Field(default_factory=list)


def check_custom_table(spec: CustomTableSpec) -> list[Issue]:
    issues: list[Issue] = []
    by_name: dict[str, CustomTableAttribute] = {}
    for i, attr in enumerate(spec.attributes):
        if attr.name in by_name:
            issues.append(Issue(("attributes", i, "name"), f"duplicate attribute {attr.name!r}"))
        by_name.setdefault(attr.name, attr)
        issues.extend(check_restriction(("attributes", i), attr, attr.valueType))
    key = by_name.get(spec.primaryKey)
    if key is None:
        issues.append(Issue(("primaryKey",), f"unknown attribute {spec.primaryKey!r}"))
    elif not (key.mandatory and key.unique):
        issues.append(
            Issue(("primaryKey",), f"attribute {key.name!r} must be mandatory and unique")
        )
    if spec.creationTime is not None:
        issues.extend(_timestamp(("creationTime",), spec.creationTime, by_name))
    issues.extend(_check_links(spec, by_name))
    issues.extend(_check_events(spec, by_name))
    for i, rule in enumerate(spec.cleaningRules):
        issues.extend(_timestamp(("cleaningRules", i, "attribute"), rule.attribute, by_name))
    return issues


def check_restriction(
    where: tuple[str | int, ...], attr: Restricted, value_type: str | None
) -> list[Issue]:
    issues: list[Issue] = []
    if value_type != "STRING":
        for field in ("minLength", "maxLength", "acceptedValues"):
            if getattr(attr, field) is not None:
                issues.append(Issue((*where, field), "only STRING attributes take it"))
    low, high = attr.minLength, attr.maxLength
    if low is not None and high is not None and low > high:
        issues.append(Issue((*where, "minLength"), "minLength is above maxLength"))
    values = attr.acceptedValues
    if values is not None and len(set(values)) != len(values):
        issues.append(Issue((*where, "acceptedValues"), "a value is listed twice"))
    return issues


def _timestamp(
    where: tuple[str | int, ...], name: str, by_name: dict[str, CustomTableAttribute]
) -> list[Issue]:
    attr = by_name.get(name)
    if attr is None:
        return [Issue(where, f"unknown attribute {name!r}")]
    if attr.valueType != "TIMESTAMP":
        return [Issue(where, f"attribute {name!r} must be a TIMESTAMP")]
    return []


def _check_links(spec: CustomTableSpec, by_name: dict[str, CustomTableAttribute]) -> list[Issue]:
    issues: list[Issue] = []
    seen: set[str] = set()
    for i, link in enumerate(spec.links):
        if link.name in seen:
            issues.append(Issue(("links", i, "name"), f"duplicate link {link.name!r}"))
        seen.add(link.name)
        if link.attribute not in by_name:
            issues.append(Issue(("links", i, "attribute"), f"unknown attribute {link.attribute!r}"))
        if (link.profileTable is None) == (link.customTable is None):
            issues.append(Issue(("links", i), "name exactly one of profileTable or customTable"))
    return issues


def _check_events(spec: CustomTableSpec, by_name: dict[str, CustomTableAttribute]) -> list[Issue]:
    issues: list[Issue] = []
    seen: set[str] = set()
    for i, event in enumerate(spec.events):
        if event.name in seen:
            issues.append(Issue(("events", i, "name"), f"duplicate event {event.name!r}"))
        seen.add(event.name)
        for j, rule in enumerate(event.rules):
            where = ("events", i, "rules", j)
            for k, name in enumerate(rule.anyAttribute):
                if name not in by_name:
                    issues.append(Issue((*where, "anyAttribute", k), f"unknown attribute {name!r}"))
            for side in ("before", "after"):
                for k, cond in enumerate(getattr(rule, side)):
                    if cond.attribute not in by_name:
                        message = f"unknown attribute {cond.attribute!r}"
                        issues.append(Issue((*where, side, k, "attribute"), message))
    return issues
