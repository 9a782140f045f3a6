"""Values as YAML-ish lines no wider than a limit, for code blocks a reviewer reads on GitHub.

A value that fits stays on one line in flow form (`{valueType: STRING, mandatory: true}`).
One that does not is broken like block YAML: a mapping one key per line, a list one item per
line, each part again on one line if it fits; a long text is folded over several lines
(`>-`, as YAML would). Only a single word longer than the limit (a URL, say) can exceed it.
"""

from __future__ import annotations

import textwrap

from actito_iac.render.values import flow
from actito_iac.vocabulary import JSON

INDENT = "  "


def block(label: str, value: JSON, width: int) -> list[str]:
    """`label: value` (or the value alone when `label` is empty) in lines of at most `width`."""
    head = f"{label}: " if label else ""
    one = head + flow(value)
    if len(one) <= width:
        return [one]
    if isinstance(value, dict) and value:
        return [head.rstrip(), *_nested(value, width)] if head else _keys(value, width)
    if isinstance(value, list) and value:
        items = _items(value, width - len(INDENT))
        return [head.rstrip(), *(INDENT + line for line in items)] if head else items
    if isinstance(value, str):
        folded = textwrap.wrap(
            value, max(width - len(INDENT), 20), break_long_words=False, break_on_hyphens=False
        )
        return [f"{head}>-".lstrip(), *(INDENT + line for line in folded)] if head else folded
    return [one]  # a scalar that cannot be broken


def _nested(value: dict[str, JSON], width: int) -> list[str]:
    return [INDENT + line for line in _keys(value, width - len(INDENT))]


def _keys(value: dict[str, JSON], width: int) -> list[str]:
    return [line for key, item in value.items() for line in block(str(key), item, width)]


def _items(value: list[JSON], width: int) -> list[str]:
    lines: list[str] = []
    for item in value:
        first, *rest = block("", item, width - 2)
        lines += [f"- {first}", *(f"  {line}" for line in rest)]
    return lines
