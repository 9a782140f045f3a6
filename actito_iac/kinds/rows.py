"""Data rows read to size a risky change: a profile or a record as {attribute: value}.

ACTITO answers rows in two shapes: v5 lists a profile's attributes as a mapping, v4 lists a
profile's attributes and a record's properties as `[{name, value}]` pairs (actito-api.md
§3.5, §4.4, §14). Both are read here. Anything else — a list of bare strings, a number, a pair
without a name — raises, so that the plan says "unknown" instead of counting the row as empty:
a row read as empty makes a destructive change look harmless.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from actito_iac.vocabulary import JSON


class RowShapeError(ValueError):
    """A row in a shape that cannot be read; the reader turns it into an API error."""


def row_values(row: Any, key: str) -> dict[str, JSON]:
    """The values of one row (`row[key]`, a mapping or a list of {name, value} pairs)."""
    if not isinstance(row, Mapping):
        raise RowShapeError(f"a row is {type(row).__name__}, not an object")
    values = row.get(key)
    if isinstance(values, Mapping):
        if not all(isinstance(name, str) for name in values):
            raise RowShapeError(f"{key!r} of a row has names that are not text")
        return dict(values)
    if isinstance(values, list):
        return _pairs(values, key)
    found = "nothing" if values is None else type(values).__name__
    raise RowShapeError(f"{key!r} of a row is {found}, not a mapping or a list of pairs")


def _pairs(values: list[Any], key: str) -> dict[str, JSON]:
    out: dict[str, JSON] = {}
    for pair in values:
        if not (isinstance(pair, Mapping) and isinstance(pair.get("name"), str)):
            raise RowShapeError(f"{key!r} of a row holds an item that is not a {{name, value}}")
        if "value" not in pair:
            # A pair without a value is not "no value": its meaning is not documented.
            raise RowShapeError(f"{key!r} of a row holds {pair['name']!r} without a value")
        out[pair["name"]] = pair["value"]
    return out

