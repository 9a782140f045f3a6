"""Compact one-line rendering of canonical values, shared by every text renderer."""

from __future__ import annotations

from actito_iac.vocabulary import JSON


def flow(value: JSON) -> str:
    """YAML-flow-like text: `{valueType: STRING, mandatory: true}`, `[A, B]`, `true`."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return str(value)


def leaves(document: dict[str, JSON], depth: int = 2) -> list[tuple[str, JSON]]:
    """(dotted path, value) pairs, descending at most `depth` levels: one line per attribute.

    Empty collections are left out: a table with no links says nothing about links.
    """
    out: list[tuple[str, JSON]] = []
    for key, value in document.items():
        if value == {} or value == []:
            continue
        if isinstance(value, dict) and depth > 1:
            out.extend((f"{key}.{sub}", v) for sub, v in leaves(value, depth - 1))
        else:
            out.append((key, value))
    return out


BREAKS = " would break "
"""The words every "what this change breaks" clause of a reason holds (plan/references.py)."""


def reason_lines(reason: str) -> list[str]:
    """A reason as lines to show: one for what the kind says, then one per object the change
    would break — several such clauses are joined with "; " in the plan's data."""
    lines: list[str] = []
    for clause in reason.split("; ") if reason else []:
        if lines and BREAKS not in clause:
            lines[-1] += "; " + clause
        else:
            lines.append(clause)
    return lines
