"""An answer's values are what the JSON says, whichever parser reads the body: whole numbers
past 64 bits stay whole, and every value reads as the standard parser reads it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actito_iac.api.answer import Unreadable, decode

VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same, a, b))
    return type(a) is type(b) and a == b


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_read_as_the_standard_parser_reads_it(value: Any) -> None:
    body = json.dumps(value).encode()
    assert _same(decode(body), json.loads(body))


@pytest.mark.parametrize("number", [2**63, 2**64, -(2**63) - 1, 10**30])
def test_a_whole_number_past_64_bits_stays_whole(number: int) -> None:
    assert decode(json.dumps({"id": number}).encode()) == {"id": number}
    assert type(decode(str(number).encode())) is int


@pytest.mark.parametrize("body", [b"NaN", b"[Infinity]", b'{"a": -Infinity}'])
def test_not_a_json_number_is_refused(body: bytes) -> None:
    with pytest.raises(Unreadable, match="not a JSON number"):
        decode(body)
