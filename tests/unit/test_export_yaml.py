"""Export writes the shapes it makes most without ruamel.yaml's emitter, and must write them
byte for byte as ruamel would: whatever the names, words, numbers, nulls, nesting and header.
What it does not vouch for, ruamel writes."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from actito_iac import export_yaml
from actito_iac.export import _flat_item, _tree

PLAIN = ("T00001", "EMAIL_ADDRESS", "x.y-z", "_", "a b", "Loyalty tier", "a-", "x.", "e.g. 1")
ODD = (
    *("yes", "No", "on", "True", "FALSE", "null", "NULL", "~", "1.0", "0x1F", "1_000"),
    *("2024-01-01", "", " ", "a ", " a", "a  b", "-", "- x", "a: b", "a:b", "#x", "x #y"),
    *("a,b", "[x]", "{x}", "é", "it's", 'say "hi"', "line\nbreak", "tab\there", ".inf", "="),
    *("<<", "?x", "!x", "*x", "%x", "@x", "`x", "x" * 5000, "${firstName}", "https://x.y/z?a#c"),
)
"""Words written plain, and words that must be quoted, read as another type, or are odd in
some other way: drawn less often, so that most documents still take the direct path."""


def specs(odd: bool) -> st.SearchStrategy[dict[str, Any]]:
    """Objects of nested mappings and lists; with `odd`, a leaf or key may be any of ODD, a
    float or any text (such a document mostly goes to ruamel: the writer must know when)."""
    oddities = st.sampled_from(ODD) | st.floats(allow_nan=False) | st.text(max_size=8)
    words = st.sampled_from(PLAIN) | oddities if odd else st.sampled_from(PLAIN)
    scalars = words | st.integers(min_value=-(2**70), max_value=2**70) | st.booleans() | st.none()
    keys = st.one_of(*[st.sampled_from(PLAIN)] * 8, oddities) if odd else st.sampled_from(PLAIN)
    values = st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=25,
    )
    return st.dictionaries(keys, values, min_size=1, max_size=5)


HEADERS = st.one_of(
    st.just("Exported by actito-iac 0.1.0 from environment prod (https://api.example.com)."),
    st.text(
        st.characters(exclude_categories=["Cs"], exclude_characters="\r\x85\u2028\u2029"),
        min_size=1,
        max_size=30,
    ),
)


def document(spec: dict[str, Any], header: str) -> CommentedMap:
    """As `Exporter.one` builds it: the entity, the object as the one item of its section."""
    item = _tree(spec, str, plain=frozenset({"name"}))
    out = CommentedMap(entity="B2C")
    out["customTables"] = CommentedSeq([item])
    if _flat_item(item):
        item.fa.set_flow_style()
    out.yaml_set_start_comment(header)
    return out


@settings(max_examples=300, deadline=None)
@given(specs(odd=False) | specs(odd=True), HEADERS)
def test_the_direct_writer_writes_what_ruamel_writes(spec: dict[str, Any], header: str) -> None:
    doc = document(spec, header)

    assert export_yaml.dump(doc) == export_yaml._ruamel(doc)


def test_a_table_as_export_writes_it_never_reaches_ruamel() -> None:
    table = {
        "name": "Orders",
        "primaryKey": "id",
        "displayName": "All orders",
        "attributes": [
            {"name": "id", "valueType": "STRING", "mandatory": True, "indexed": True},
            {"name": "status", "valueType": "STRING", "acceptedValues": ["NEW", "SHIPPED"]},
            {"name": "total", "valueType": "NUMBER", "maxLength": 40},
        ],
        "links": [],
        "events": {"onCreate": True, "scenario": None},
    }
    doc = document(table, "Exported by actito-iac 0.1.0 from environment prod.")
    expected = export_yaml._ruamel(doc)  # first: it leaves an empty list in the start comment

    with mock.patch.object(export_yaml, "_ruamel", side_effect=AssertionError("ruamel used")):
        assert export_yaml.dump(doc) == expected


@pytest.mark.parametrize(
    "value", [1.5, "True", "a: b", "x" * 5000, [[{"in": "a list in a list"}]], [None, {"a": 1}]]
)
def test_what_the_writer_does_not_vouch_for_goes_to_ruamel(value: Any) -> None:
    doc = document({"name": "T", "inner": [{"k": 1, "v": value}], "more": {"x": 1}}, "h")

    with mock.patch.object(export_yaml, "_ruamel", return_value="ruamel's") as ruamel:
        assert export_yaml.dump(doc) == "ruamel's"
    ruamel.assert_called_once()
