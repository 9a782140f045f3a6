"""The YAML text of an exported document: written here for the shapes export makes, by
ruamel.yaml for anything else, the same bytes either way.

ruamel.yaml's emitter spends about 3 ms on a table's file (most of it deciding, node by node,
tags it never writes): 30 s of an export of ten thousand tables. What export writes is nearly
always the same few shapes: block mappings and lists, flat items in flow style, names, words,
whole numbers, booleans. This writer writes those as ruamel writes them (two-space mappings,
list dashes indented by two, content by four) and gives up on anything else: a float, a text
that needs quotes or could read as another type, a list inside a block list, a null in a block
list, a comment, a line near the width. ruamel then writes the whole document. A test compares
the two on generated documents.

A leaf module: it imports nothing of the project.
"""

from __future__ import annotations

import functools
import re
from io import StringIO
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import ScalarNode

WIDTH = 4096
"""ruamel's line width for exports: one item per line, however long."""
_LONGEST = WIDTH - 96
"""Past this, a line might be folded by ruamel: such a document is left to it."""

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*(?: [A-Za-z0-9_.-]+)*")
"""Texts that YAML may write plain in block and flow context alike (no indicator, no `: ` or
` #`, no edge space); whether they also read back as text is the resolver's question."""


class _GiveUp(Exception):
    """A value this writer does not vouch for: ruamel writes the document."""


def new_yaml() -> YAML:
    """The round-trip writer export uses, configured once here for both paths."""
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = WIDTH
    return yaml


def dump(document: CommentedMap) -> str:
    """The document's text as ruamel.yaml writes it."""
    try:
        head = _start_comment(document)
        lines = _mapping_lines(document, 0)
    except _GiveUp:
        return _ruamel(document)
    if any(len(line) > _LONGEST for line in lines):
        return _ruamel(document)
    return head + "\n".join(lines) + "\n"


def _ruamel(document: CommentedMap) -> str:
    buffer = StringIO()
    new_yaml().dump(document, buffer)
    return buffer.getvalue()


def _start_comment(document: CommentedMap) -> str:
    """The comment lines before the document (export's header), which ruamel writes as their
    tokens hold them; any other comment is ruamel's to place."""
    comment = document.ca.comment
    if comment is None:
        return ""
    if comment[0] is not None or not isinstance(comment[1], list) or any(comment[2:]):
        raise _GiveUp  # (after a dump, ruamel leaves an empty third list: that is all right)
    return "".join(token.value for token in comment[1])


def _mapping_lines(mapping: CommentedMap, indent: int) -> list[str]:
    if mapping.ca.items or (indent and mapping.ca.comment):
        raise _GiveUp  # comments inside: ruamel's to place
    pad = " " * indent
    lines: list[str] = []
    for key, value in mapping.items():
        name = _scalar(key, flow=False)
        if value is None:
            lines.append(f"{pad}{name}:")
        elif _block(value) and isinstance(value, CommentedMap):
            lines.append(f"{pad}{name}:")
            lines += _mapping_lines(value, indent + 2)
        elif _block(value) and isinstance(value, CommentedSeq):
            lines.append(f"{pad}{name}:")
            lines += _list_lines(value, indent + 2)
        else:
            lines.append(f"{pad}{name}: {_inline(value)}")
    return lines


def _list_lines(items: CommentedSeq, indent: int) -> list[str]:
    if items.ca.items or items.ca.comment:
        raise _GiveUp
    dash = " " * indent + "- "
    content = indent + 2
    lines: list[str] = []
    for item in items:
        if item is None or (_block(item) and isinstance(item, list)):
            raise _GiveUp  # ruamel writes these its own way (`-   - x`)
        if _block(item):
            first, *rest = _mapping_lines(item, content)
            lines += [dash + first[content:], *rest]
        else:
            lines.append(dash + _inline(item))
    return lines


def _block(value: Any) -> bool:
    """A container written over several lines: not empty, and not set to flow style."""
    if isinstance(value, (CommentedMap, CommentedSeq)):
        return bool(value) and not value.fa.flow_style()
    if isinstance(value, (dict, list)):
        raise _GiveUp  # export builds ruamel containers; a plain one is not its shape
    return False


def _inline(value: Any) -> str:
    """A value on one line: a scalar, an empty container, or a flow container of scalars (a
    flow mapping may hold flow lists of scalars, as attributes hold accepted values)."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        pairs = (f"{_scalar(k, flow=True)}: {_flow_value(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    if isinstance(value, list):
        return _flow_list(value)
    return _scalar(value, flow=False)


def _flow_value(value: Any) -> str:
    if isinstance(value, list):
        return _flow_list(value)
    if isinstance(value, dict):
        if value:
            raise _GiveUp
        return "{}"
    return _scalar(value, flow=True)


def _flow_list(items: list[Any]) -> str:
    if any(isinstance(item, (dict, list)) for item in items):
        raise _GiveUp
    return "[" + ", ".join(_scalar(item, flow=True) for item in items) + "]"


def _scalar(value: Any, *, flow: bool) -> str:
    kind = type(value)
    if kind is str:
        return _text(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if value is None and flow:
        return "null"
    raise _GiveUp  # floats, nulls in a block list, ruamel's own scalar types


_TEXTS: dict[str, bool] = {}
"""Texts already judged: an export repeats a few words (`STRING`, `true`…) thousands of times.
Bounded, so a licence of millions of distinct names cannot grow it past the limit."""
_TEXTS_MAX = 100_000


def _text(text: str) -> str:
    plain = _TEXTS.get(text)
    if plain is None:
        plain = bool(_WORD.fullmatch(text)) and _reads_as_text(text)
        if len(_TEXTS) < _TEXTS_MAX:
            _TEXTS[text] = plain
    if not plain:
        raise _GiveUp
    return text


def _reads_as_text(text: str) -> bool:
    """Whether ruamel would write `text` without quotes: its resolver reads the plain form
    back as a text (not a boolean, a number, a null, a date…)."""
    tag = _resolver().resolve(ScalarNode, text, (True, False))
    return str(tag) == "tag:yaml.org,2002:str"


@functools.cache
def _resolver() -> Any:
    return new_yaml().resolver
