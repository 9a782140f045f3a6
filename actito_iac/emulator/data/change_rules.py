"""Structure changes measured against the rows a table already holds (both table families).

ACTITO documents that making an attribute unique fails when values are duplicated, and that
adding possible values fails when existing values do not comply; [INFER] the same for making an
attribute mandatory, or adding a mandatory one, while rows lack a value. Each refusal gives the
count, so a caller (the plan's risk report) can show how much data is in the way.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from actito_iac.emulator.data.row_rules import elements


def change_problems(
    label: str,
    noun: str,
    before: Iterable[Mapping[str, Any]],
    after: Iterable[Mapping[str, Any]],
    rows: Iterable[Mapping[str, Any]],
) -> list[str]:
    """Problems the new attributes have with the rows' values (`rows`: each row's values)."""
    old = {a["name"]: a for a in before}
    values = list(rows)
    problems: list[str] = []
    for attribute in after:
        name = attribute["name"]
        previous = old.get(name)
        held = [v.get(name) for v in values]
        where = f"{label}: attribute {name!r}"
        if attribute["unique"] and not (previous and previous["unique"]):
            shared = _duplicated(held)
            if shared:
                problems.append(
                    f"{where} cannot be made unique: {_n(shared, 'value is', 'values are')}"
                    f" shared by several {noun}s"
                )
        accepted = attribute.get("valueRestriction", {}).get("acceptedValues")
        was = (previous or {}).get("valueRestriction", {}).get("acceptedValues")
        if accepted is not None and (was is None or set(was) != set(accepted)):
            other = sum(1 for v in held if any(e not in accepted for e in elements(attribute, v)))
            if other:
                problems.append(
                    f"{where}: the accepted values do not cover the data: "
                    f"{_n(other, noun + ' holds', noun + 's hold')} another value"
                )
        if attribute["mandatory"] and not (previous and previous["mandatory"]):
            empty = sum(1 for v in held if not elements(attribute, v))
            if empty:
                how = "made mandatory" if previous else "added as mandatory"
                problems.append(
                    f"{where} cannot be {how}: {_n(empty, noun + ' has', noun + 's have')} no value"
                )
    return problems


def dropped_values(
    rows: Mapping[str, Mapping[str, Any]], kept: set[str]
) -> dict[str, dict[str, Any]]:
    """The rows that held values of removed attributes, without them (key → new body)."""
    changed: dict[str, dict[str, Any]] = {}
    for key, body in rows.items():
        values = body["values"]
        if set(values) - kept:
            changed[key] = {**body, "values": {k: v for k, v in values.items() if k in kept}}
    return changed


def _duplicated(values: Iterable[object]) -> int:
    counts = Counter(json.dumps(v, sort_keys=True) for v in values if v is not None)
    return sum(1 for n in counts.values() if n > 1)


def _n(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"
