"""Pieces shared by the table kinds: names, value types, restrictions, display options."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field

from actito_iac.vocabulary import ANY, JSON, Model, Path

PROFILE_TABLE = "profileTable"
CUSTOM_TABLE = "customTable"
"""Kind names, as addresses and links spell them."""

TECHNICAL_NAME = r"^[A-Za-z][A-Za-z0-9_]{0,63}$"
LINK_NAME = r"^[A-Za-z][A-Za-z0-9_-]{0,63}$"

ValueType = Literal["STRING", "LONG", "INTEGER", "NUMBER", "TIMESTAMP", "BOOLEAN", "DATE"]
"""STRING, LONG, NUMBER, TIMESTAMP are documented on custom tables; INTEGER, STRING and
TIMESTAMP on profile tables; BOOLEAN and DATE are inferred (never seen in ACTITO's pages)."""


def inferred_enum(description: str, *inferred: str) -> dict[str, Any]:
    """Keyword arguments of `Field` for an enum some of whose values are only inferred: its
    description says which (editors show it on hover, and a guess must never look like a
    documented fact), and `x-inferred` lists them for tools."""
    note = f"Inferred, never seen in ACTITO's documentation: {', '.join(inferred)}."
    return {
        "description": f"{description} {note}".strip(),
        "json_schema_extra": {"x-inferred": list(inferred)},
    }


class Restricted(Model):
    """Value restriction and display fields, common to profile and custom table attributes."""

    minLength: int | None = Field(default=None, ge=0, description="STRING only.")
    maxLength: int | None = Field(default=None, ge=1, description="STRING only.")
    acceptedValues: list[str] | None = Field(
        default=None, min_length=1, description="STRING only: the closed list of values."
    )
    displayName: str | None = Field(default=None, description="Label shown in the ACTITO UI.")
    description: str | None = Field(default=None, description="Help text shown in the UI.")


RESTRICTION_KEYS = ("minLength", "maxLength", "acceptedValues")
"""The `valueRestriction` keys the tool manages; the live ones it does not are sent back."""


def restriction_payload(attr: Restricted) -> dict[str, JSON]:
    pairs = (
        ("minLength", attr.minLength),
        ("maxLength", attr.maxLength),
        ("acceptedValues", attr.acceptedValues),
    )
    return {k: v for k, v in pairs if v is not None}


def restriction_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Manifest-side restriction fields from a live attribute's `valueRestriction`."""
    restriction = raw.get("valueRestriction") or {}
    values = restriction.get("acceptedValues")
    return {
        "minLength": restriction.get("minLength"),
        "maxLength": restriction.get("maxLength"),
        "acceptedValues": list(values) if values else None,
    }


def canonical_restriction(attr: Restricted) -> dict[str, JSON]:
    out: dict[str, JSON] = {}
    if attr.minLength is not None:
        out["minLength"] = attr.minLength
    if attr.maxLength is not None:
        out["maxLength"] = attr.maxLength
    if attr.acceptedValues is not None:
        out["acceptedValues"] = sorted(attr.acceptedValues)  # a set for ACTITO
    for key in ("displayName", "description"):
        value = getattr(attr, key)
        if value:
            out[key] = value
    return out


def display_entries(attrs: list[Any]) -> list[dict[str, JSON]]:
    """`displayOptions.forAttributes` entries for attributes that carry a label or help."""
    entries = []
    for attr in attrs:
        entry = {k: getattr(attr, k) for k in ("displayName", "description") if getattr(attr, k)}
        if entry:
            entries.append({"name": attr.name, **entry})
    return entries


def display_by_name(payload: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    options = payload.get("displayOptions") or {}
    return {str(e["name"]): e for e in options.get("forAttributes") or [] if "name" in e}


DISPLAY_TEXTS: frozenset[Path] = frozenset(
    (*at, text) for at in ((), ("attributes", ANY)) for text in ("displayName", "description")
)
"""Managed only where a manifest declares them: ACTITO may fill its own (the documented example
gives predefined attributes a default description), and an undeclared text must not turn
into a difference on every plan, nor be wiped by an apply."""


def merge_display(
    live: Mapping[str, Any],
    declared: list[dict[str, JSON]],
    table_texts: Mapping[str, str | None],
    attributes: set[str],
) -> dict[str, JSON]:
    """Display options to send: the declared texts over the live ones, for `attributes`."""
    out: dict[str, JSON] = dict(live)
    entries = {
        str(e["name"]): dict(e)
        for e in live.get("forAttributes") or []
        if e.get("name") in attributes
    }
    for entry in declared:
        entries.setdefault(str(entry["name"]), {"name": entry["name"]}).update(entry)
    out["forAttributes"] = list(entries.values())
    out.update({key: value for key, value in table_texts.items() if value})
    return out
