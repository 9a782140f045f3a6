"""Subscriptions and segmentations of a profile table: their shape, and the one rule that
governs them through the API — they cannot be created, renamed or removed there.

Shapes (all [INFER]: the concepts are documented, their JSON is not)::

    {"name": "Newsletter", "channel": "EMAIL"}
    {"name": "VIP", "type": "SIMPLE", "history": false}
    {"name": "Tier", "type": "EXCLUSIVE", "segments": ["Bronze", "Gold"], "mandatory": true,
     "defaultSegment": "Bronze", "history": true}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from actito_iac.emulator.problems import Report, unknown_keys
from actito_iac.emulator.structures.attribute_rules import (
    flag,
    is_technical_name,
)

CHANNELS = ("EMAIL", "SMS")
SEGMENTATION_TYPES = ("SIMPLE", "EXCLUSIVE")
_SUBSCRIPTION_KEYS = ("name", "channel")
_SEGMENTATION_KEYS = ("name", "type", "segments", "mandatory", "defaultSegment", "history")
_EXCLUSIVE_ONLY = ("segments", "mandatory", "defaultSegment")


def subscriptions(raw: object, bad: Report) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for where, item in _named_items("subscriptions", raw, bad):
        unknown_keys(where, item, _SUBSCRIPTION_KEYS, bad)
        channel = item.get("channel")
        if channel not in CHANNELS:
            bad(f"{where}: channel {channel!r} is not one of {', '.join(CHANNELS)}")
        out.append({"name": item["name"], "channel": channel})
    return out


def segmentations(raw: object, bad: Report) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for where, item in _named_items("segmentations", raw, bad):
        unknown_keys(where, item, _SEGMENTATION_KEYS, bad)
        kind = item.get("type")
        segmentation: dict[str, Any] = {"name": item["name"], "type": kind}
        if kind == "EXCLUSIVE":
            segmentation.update(_exclusive(where, item, bad))
        elif kind == "SIMPLE":
            for key in _EXCLUSIVE_ONLY:
                if key in item:
                    bad(f"{where}: {key} is only for EXCLUSIVE segmentations")
        else:
            bad(f"{where}: type {kind!r} is not one of {', '.join(SEGMENTATION_TYPES)}")
        segmentation["history"] = flag(where, item, "history", bad)
        out.append(segmentation)
    return out


def _exclusive(where: str, item: Mapping[str, Any], bad: Report) -> dict[str, Any]:
    segments = item.get("segments")
    if (
        not isinstance(segments, list)
        or not segments
        or not all(isinstance(s, str) and s for s in segments)
    ):
        bad(f"{where}: segments must be a non-empty list of names")
        segments = []
    elif len(set(segments)) != len(segments):
        bad(f"{where}: segments lists a segment twice")
    mandatory = flag(where, item, "mandatory", bad)
    default = item.get("defaultSegment")
    if default is not None and default not in segments:
        bad(f"{where}: defaultSegment {default!r} is not one of its segments")
    elif mandatory and default is None:
        # [DOC] "may be mandatory with a default segment": the default is what new profiles get.
        bad(f"{where}: a mandatory segmentation needs a defaultSegment")
    return {"segments": segments, "mandatory": mandatory, "defaultSegment": default}


def _named_items(key: str, raw: object, bad: Report) -> list[tuple[str, Mapping[str, Any]]]:
    """(label, item) for each well-formed item with a technical name, duplicates reported."""
    if not isinstance(raw, list):
        bad(f"{key} must be a list")
        return []
    kind = key.removesuffix("s")
    out: list[tuple[str, Mapping[str, Any]]] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        name = item.get("name") if isinstance(item, Mapping) else None
        # [INFER] the name "becomes a technical value" [DOC]: a technical name.
        if not isinstance(item, Mapping) or not is_technical_name(name):
            bad(f"{key}[{index}] must be an object whose name is a technical name")
            continue
        assert isinstance(name, str)
        if name in seen:
            bad(f"{kind} {name!r} is defined twice")
            continue
        seen.add(name)
        out.append((f"{kind} {name!r}", item))
    return out


def ui_only_problems(
    key: str, stored: Sequence[Mapping[str, Any]], requested: Sequence[Mapping[str, Any]]
) -> list[str]:
    """The refusal when `requested` is not the stored list, order aside (docs/api.md)."""
    before = {item["name"]: _canonical(item) for item in stored}
    after = {item["name"]: _canonical(item) for item in requested}
    if before == after:
        return []
    changes = [
        f"{what}: {', '.join(repr(n) for n in names)}"
        for what, names in (
            ("added", [n for n in after if n not in before]),
            ("removed", [n for n in before if n not in after]),
            ("changed", [n for n in after if n in before and after[n] != before[n]]),
        )
        if names
    ]
    return [f"{key} can only be changed in the ACTITO UI ({'; '.join(changes)})"]


def _canonical(item: Mapping[str, Any]) -> dict[str, Any]:
    """Segment order is not a difference either."""
    segments = item.get("segments")
    return {**item, "segments": sorted(segments)} if isinstance(segments, list) else dict(item)
