"""What a successful answer must be before any reader looks at it, and the guard around readers.

`decode`: JSON as the standard defines it (Python's parser also takes `NaN` and `Infinity`,
which no JSON API sends and no payload can carry back), text that is Unicode (an escaped lone
surrogate, `"\\ud800"`, decodes to a string that cannot be printed or sent), nesting no deeper
than ACTITO's documents go (a deep answer would exhaust the recursion of every later reader).

`reading`: the one guard at the reading boundary. Kind modules read payloads with plain
indexing (`payload["name"]`); whatever they trip on in an answer of an unexpected shape
(KeyError, TypeError…) becomes an UnexpectedResponse naming the call that gave the answer, so a
hostile or changed API is a clean error, never a traceback, whatever the kind module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import orjson

from actito_iac.api.errors import UnexpectedResponse, one_line

MAX_DEPTH = 64
"""ACTITO's definitions nest about six levels (table, attribute, restriction…)."""

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class Unreadable(ValueError):
    """An answer that is not a JSON document this client reads; the text says why."""


def decode(content: bytes, content_type: str = "") -> Any:
    """The JSON value of an answer body (None for an empty one)."""
    if not content.strip():
        return None
    if _SURROGATE_ESCAPE.search(content):  # rare: the standard parser, every text looked at
        value = _standard(content, content_type)
        _check_texts(value)
        return value
    # orjson: faster on the large lists of a big licence, and it refuses NaN and Infinity as
    # the standard parser is told to below. Whatever it refuses (a UTF-16 body, an exponent
    # past a float's…) the standard parser reads or words; and as orjson reads a whole number
    # past 64 bits as a float, an answer with a float that large is read again by the
    # standard parser (a float written as such only costs the second reading).
    try:
        value = orjson.loads(content)
    except orjson.JSONDecodeError:
        value = _standard(content, content_type)
        _check(value)
        return value
    if _check(value):
        value = _standard(content, content_type)
        _check(value)
    return value


def _standard(content: bytes, content_type: str) -> Any:
    try:
        return json.loads(content, parse_constant=_refuse_constant)
    except RecursionError:
        raise Unreadable(f"the answer is nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # not JSON, not UTF-8, or a NaN
        if isinstance(exc, Unreadable):
            raise
        what = f" ({content_type.split(';')[0].strip()})" if content_type else ""
        raise Unreadable(f"the answer is not valid JSON{what}") from None


def _refuse_constant(name: str) -> Any:
    raise Unreadable(f"the answer holds {name}, which is not a JSON number")


def _check(value: Any) -> bool:
    """Depth, without recursion; True when the value holds a float of 2**63 or more."""
    # Only containers are visited (the decoders make plain dicts and lists): a list of ten
    # thousand tables is hundreds of thousands of values, mostly scalars.
    large = False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        kind = type(current)
        if kind is not dict and kind is not list:
            large = large or (kind is float and abs(current) >= _LARGE)
            continue
        if depth > MAX_DEPTH:
            raise Unreadable(f"the answer is nested deeper than {MAX_DEPTH} levels")
        for item in current.values() if kind is dict else current:
            item_kind = type(item)
            if item_kind is dict or item_kind is list:
                stack.append((item, depth + 1))
            elif item_kind is float and abs(item) >= _LARGE:
                large = True
    return large


_LARGE = 2.0**63
"""The smallest float orjson may have made of a whole number (past 64 bits)."""


def _check_texts(value: Any) -> None:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict | list) and depth > MAX_DEPTH:
            raise Unreadable(f"the answer is nested deeper than {MAX_DEPTH} levels")
        if isinstance(current, dict):
            for key, item in current.items():
                _text(key)
                stack.append((item, depth + 1))
        elif isinstance(current, list):
            stack.extend((item, depth + 1) for item in current)
        elif isinstance(current, str):
            _text(current)


def _text(text: str) -> None:
    # The JSON parser joins an escaped surrogate pair into its character: any left is lone.
    if _SURROGATE.search(text):
        raise Unreadable("the answer holds text with a lone surrogate, which is not Unicode")


def plain_json(value: Any) -> None:
    """Raise TypeError unless `value` is JSON whose mappings have text keys only: what a
    payload read into a spec must become before it is compared, sorted and printed."""
    # This runs on the canonical form of every live object: orjson's writer looks at every
    # value in C, ten times faster than the walk below, and refuses what the walk refuses (a
    # key not text, a set, a model…). What it refuses is walked, to let through what it alone
    # refuses (a whole number past 64 bits, a tuple subclass, nesting past 255) and to word
    # the rest. It also writes an Enum or a UUID, which nothing read from JSON holds.
    try:
        orjson.dumps(value, option=_PLAIN_OPTIONS)
    except orjson.JSONEncodeError:
        _plain_walk(value)


_PLAIN_OPTIONS = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


def _plain_walk(value: Any) -> None:
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return
    if kind is dict or isinstance(value, dict):
        for key, item in value.items():
            if type(key) is not str and not isinstance(key, str):
                raise TypeError(f"a name is {key!r}, not text")
            _plain_walk(item)
    elif kind is list or isinstance(value, list | tuple):
        for item in value:
            _plain_walk(item)
    elif not isinstance(value, str | int | float | bool):
        raise TypeError(f"a value is {type(value).__name__}")


# -- which call an answer came from --------------------------------------------------------------


@dataclass(frozen=True)
class Answered:
    method: str
    path: str
    status: int


_LAST: ContextVar[Answered | None] = ContextVar("actito_iac_last_answer", default=None)


def note_answer(method: str, path: str, status: int) -> None:
    """Called by the client for every answer it decodes: the current task's last call."""
    _LAST.set(Answered(method, path, status))


def last_answer() -> Answered | None:
    """The last call answered in this task (asyncio tasks each see their own)."""
    return _LAST.get()


READ_ERRORS = (LookupError, TypeError, ValueError, AttributeError, RecursionError)
"""What reading a payload of an unexpected shape raises (pydantic's ValidationError is a
ValueError)."""


@contextmanager
def reading(where: Answered | None, what: str) -> Iterator[None]:
    """Turn any READ_ERRORS raised inside into an UnexpectedResponse about `what` (e.g. "item
    3 of the list") of the answer `where` came from."""
    try:
        yield
    except READ_ERRORS as exc:
        raise unreadable(where, what, exc) from None


def unreadable(where: Answered | None, what: str, exc: BaseException) -> UnexpectedResponse:
    method, path, status = (where.method, where.path, where.status) if where else ("GET", "?", 200)
    return UnexpectedResponse(method, path, status, f"{what} cannot be read: {_why(exc)}")


def _why(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"it has no field {exc}"
    if isinstance(exc, RecursionError):
        return "it is nested too deeply"
    return one_line(f"a value has an unexpected shape ({exc})")
