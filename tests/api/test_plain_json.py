"""`plain_json` lets through exactly JSON with text keys, whichever of its two checks decides
(orjson's writer first, the walk for whatever orjson refuses)."""

from __future__ import annotations

import datetime
import enum
from collections import namedtuple
from typing import Any

import pytest

from actito_iac.api.answer import plain_json


class Text(enum.StrEnum):
    A = "a"


Pair = namedtuple("Pair", "left right")


def nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return value


PLAIN = [
    {"a": [1, 2.5, None, True, "x"], "b": {}},
    {"big": 2**70, "negative": -(2**70)},  # orjson refuses past 64 bits: the walk takes them
    {Text.A: Text.A},  # a subclass of text writes its value
    Pair(1, "x"),  # a tuple subclass: orjson refuses it, the walk takes it
    nested(300),  # deeper than orjson writes
    float("nan"),
]

NOT_PLAIN = [
    ({1: "x"}, "a name is 1, not text"),
    ({"a": {1, 2}}, "a value is set"),
    ({"a": datetime.date(2026, 1, 1)}, "a value is date"),
    ({"a": b"x"}, "a value is bytes"),
    ([{"a": [{(1, 2): 3}]}], "a name is (1, 2), not text"),
    ([*nested(300), {2: 1}], "a name is 2, not text"),
]


@pytest.mark.parametrize("value", PLAIN, ids=range(len(PLAIN)))
def test_json_with_text_keys_passes(value: Any) -> None:
    plain_json(value)


@pytest.mark.parametrize(("value", "message"), NOT_PLAIN, ids=range(len(NOT_PLAIN)))
def test_anything_else_is_refused_and_named(value: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        plain_json(value)
