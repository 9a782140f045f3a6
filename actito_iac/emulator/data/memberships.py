"""A profile's segmentation memberships, as the data API writes them (docs/api.md, "Data").

Two body forms are seen in public clients [CODE]: `{"segmentation": {"name", "category"?},
"belongs": bool}` and the short `{"category"?, "name"}` (belongs). [INFER] their meaning:
without a category, `name` is a SIMPLE segmentation; with one, `category` is an EXCLUSIVE
segmentation and `name` one of its segments. A profile holds `{segmentation: true}` for a
simple one it belongs to, `{segmentation: "<segment>"}` for an exclusive one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Change = tuple[str, str, object]
"""("set", segmentation, True/False/segment) or ("leave", segmentation, segment)."""


def memberships(table: Mapping[str, Any]) -> dict[str, Any]:
    """A new profile's: the default segment of each mandatory exclusive segmentation [INFER]."""
    return {
        s["name"]: s["defaultSegment"]
        for s in table["segmentations"]
        if s["type"] == "EXCLUSIVE" and s["mandatory"]
    }


def segmentation_changes(
    label: str, table: Mapping[str, Any], raw: object, problems: list[str]
) -> list[Change]:
    if not isinstance(raw, list):
        problems.append(f"{label}: segmentations must be a list")
        return []
    known = {s["name"]: s for s in table["segmentations"]}
    changes: list[Change] = []
    for index, item in enumerate(raw):
        where = f"{label}: segmentations[{index}]"
        target, belongs = _target(item)
        if target is None or not isinstance(belongs, bool):
            problems.append(
                f"{where} must be {{segmentation: {{name, category?}}, belongs: bool}}"
                " or {name, category?}"
            )
            continue
        name, category = target.get("name"), target.get("category")
        if category is None:
            segmentation = known.get(name) if isinstance(name, str) else None
            if segmentation is None:
                problems.append(f"{where}: unknown segmentation {name!r}")
            elif segmentation["type"] != "SIMPLE":
                problems.append(
                    f"{where}: segmentation {name!r} is EXCLUSIVE: name one of its segments"
                    f" with category {name!r}"
                )
            else:
                changes.append(("set", segmentation["name"], belongs))
            continue
        segmentation = known.get(category) if isinstance(category, str) else None
        if segmentation is None or segmentation["type"] != "EXCLUSIVE":
            problems.append(f"{where}: unknown exclusive segmentation {category!r}")
        elif name not in segmentation["segments"]:
            problems.append(f"{where}: {name!r} is not a segment of {category!r}")
        else:
            changes.append(("set" if belongs else "leave", category, name))
    return changes


def _target(item: object) -> tuple[Mapping[str, Any] | None, object]:
    if not isinstance(item, Mapping):
        return None, None
    if "segmentation" in item:
        target = item["segmentation"]
        return (target if isinstance(target, Mapping) else None), item.get("belongs", True)
    return item, True


def apply_changes(
    table: Mapping[str, Any], held: Mapping[str, Any], changes: Sequence[Change]
) -> dict[str, Any]:
    out = dict(held)
    defaults = memberships(table)
    for operation, segmentation, value in changes:
        if operation == "set":
            out[segmentation] = value
        elif out.get(segmentation) == value:
            # Leaving a mandatory segmentation falls back to its default segment [INFER].
            out.pop(segmentation)
            if segmentation in defaults:
                out[segmentation] = defaults[segmentation]
    return {k: v for k, v in out.items() if v is not False}
