"""JSON text indented by two spaces, byte for byte what `json.dumps(value, indent=2,
ensure_ascii=False)` writes, several times faster.

The standard library encodes an indented document with its pure-Python encoder (its C encoder
serves compact output only), a generator per container level: a plan of ten thousand objects
spent seconds there. orjson writes the same bytes ten times faster for every value but a few
floats (checked first, in one walk: the walk costs more than orjson's writing); anything else
takes the walk below, which appends to one buffer and leaves strings to the C escaper. A value
of a type neither knows is handed to `json.dumps`, which then raises as it always did.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable
from json.encoder import encode_basestring
from typing import Any

import orjson

_INDENT = "  "


class _Unknown(Exception):
    """A value outside JSON's types: the standard encoder says what is wrong with it."""


def indented(value: Any) -> str:
    if _same_in_orjson(value):
        try:
            return orjson.dumps(value, option=_ORJSON).decode()
        except orjson.JSONEncodeError:  # a key not text, a number past 64 bits, a lone surrogate
            pass
    # Pieces go into one growing buffer: a list of millions of small strings, joined at the
    # end, would hold several times the text's size at once (a plan of 10,000 objects).
    out = io.StringIO()
    try:
        _value(value, 0, _Writer(out.write))
    except _Unknown:
        return json.dumps(value, indent=2, ensure_ascii=False)
    return out.getvalue()


_ORJSON = orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
_PLAIN = frozenset({str, int, bool, type(None)})


def _same_in_orjson(value: Any) -> bool:
    """Whether orjson writes `value` as the standard library does: true of JSON's own types,
    text and whole numbers of any subclass, and every float but the non-finite ones (orjson
    writes null) and those under 1e-4 (`0.00001`, where Python writes `1e-05`). Keys are left
    to orjson, which refuses any that is not text."""
    kind = type(value)
    if kind is dict:
        items: Any = value.values()
    elif kind is list or kind is tuple:
        items = value
    elif kind in _PLAIN:
        return True
    elif kind is float:
        return math.isfinite(value) and (value == 0.0 or abs(value) >= 1e-4)
    else:  # text and numbers of a subclass (a StrEnum): both write their value
        return isinstance(value, str | int)
    plain = _PLAIN
    return all(type(item) in plain or _same_in_orjson(item) for item in items)


class _Writer:
    """`append` writing straight into the buffer (the walk below appends pieces)."""

    __slots__ = ("append",)

    def __init__(self, write: Callable[[str], int]) -> None:
        self.append = write


def _value(value: Any, level: int, out: _Writer) -> None:
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = "\n" + _INDENT * (level + 1)
        out.append("[")
        first = True
        for item in value:
            out.append(inner if first else "," + inner)
            first = False
            _value(item, level + 1, out)
        out.append("\n" + _INDENT * level + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = "\n" + _INDENT * (level + 1)
        out.append("{")
        first = True
        for key, item in value.items():
            out.append((inner if first else "," + inner) + _key(key) + ": ")
            first = False
            _value(item, level + 1, out)
        out.append("\n" + _INDENT * level + "}")
    else:
        raise _Unknown


def _key(key: Any) -> str:
    if isinstance(key, str):
        return str(encode_basestring(key))
    if isinstance(key, float):
        return str(encode_basestring(_float(key)))
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, int):
        return str(encode_basestring(int.__repr__(key)))
    raise _Unknown


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)
