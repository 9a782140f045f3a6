"""The fast indented JSON is, byte for byte, what the standard library writes."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actito_iac.render.json_text import indented

KEYS = st.text(max_size=8) | st.integers() | st.floats() | st.booleans() | st.none()
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(KEYS, inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=500, deadline=None)
@given(VALUES)
def test_the_same_bytes_as_the_standard_library(value: Any) -> None:
    assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


class Colour(StrEnum):
    RED = "red"


def test_text_subclasses_and_big_numbers() -> None:
    value = {Colour.RED: [Colour.RED, 10**400, -0.0, "é\u2028\x00\"\\"], "n": {}, "l": []}
    assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_an_unknown_type_fails_as_the_standard_library_does() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        indented({"a": object()})
