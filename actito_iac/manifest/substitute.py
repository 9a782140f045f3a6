"""`${source:NAME}` references inside string values, resolved before validation.

A reference may be the whole value or part of it, several per string. `$${` writes a literal
`${`. Each source is one entry of the mapping `sources()` returns, so a new source (per-environment
variables, say) is a one-line addition there.

Substitution is a single pass over the text as written: a substituted value is never scanned
again, so a value that itself holds `${…}` cannot pull in another variable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_TOKEN = re.compile(r"\$\$\{|\$\{([^}]*)\}|\$\{")
_REFERENCE = re.compile(r"([a-z][a-z0-9]*):(.*)", re.DOTALL)


@dataclass(frozen=True)
class Source:
    """Where `${<prefix>:NAME}` looks NAME up; `noun` names a NAME in messages."""

    noun: str
    lookup: Callable[[str], str | None]


Sources = Mapping[str, Source]


def sources(environ: Mapping[str, str]) -> dict[str, Source]:
    """The reference sources a manifest may use."""
    return {
        "env": Source("environment variable", environ.get),
    }


def has_reference(text: str) -> bool:
    return "${" in text


def substitute(text: str, known: Sources) -> tuple[str, list[str]]:
    """The text with every reference replaced, and one message per reference that failed.

    A failed reference is left as written, so the caller can still validate the rest.
    """
    if not has_reference(text):
        return text, []
    problems: list[str] = []

    def replace(match: re.Match[str]) -> str:
        written = match.group(0)
        if written == "$${":
            return "${"
        body = match.group(1)
        if body is None:
            problems.append("unclosed '${': write $${ for a literal '${'")
            return written
        value, problem = _resolve(body, known)
        if problem:
            problems.append(problem)
            return written
        return value

    return _TOKEN.sub(replace, text), problems


def _resolve(body: str, known: Sources) -> tuple[str, str]:
    match = _REFERENCE.fullmatch(body)
    if match is None or NAME.fullmatch(match.group(2)) is None:
        example = " or ".join(f"${{{prefix}:NAME}}" for prefix in known)
        return "", f"malformed reference '${{{body}}}': write {example} ($${{ for a literal '${{')"
    prefix, name = match.groups()
    source = known.get(prefix)
    if source is None:
        choices = ", ".join(sorted(known))
        return "", f"unknown source {prefix!r} in '${{{body}}}' (known sources: {choices})"
    value = source.lookup(name)
    if value is None:
        return "", f"{source.noun} {name} is not set (referenced as '${{{body}}}')"
    return value, ""
