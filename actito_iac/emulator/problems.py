"""How every emulated resource reports a request it refuses: each broken rule one message.

Rules helpers report through a `Report` callback, so a caller collects every problem of a
request before answering (a client fixing a definition wants them all at once); the routes
answer a `RuleError` with 400 and a `NotFound` with 404 (routing.py).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

Report = Callable[[str], None]
"""Records one problem; the helpers report through it instead of raising."""


class RuleError(ValueError):
    """A request breaks one or more rules; `problems` holds one message per rule broken."""

    def __init__(self, problems: Collection[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class NotFound(LookupError):
    """A table, profile or record named by a request does not exist (answered 404)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def unknown_keys(where: str, raw: Mapping[str, Any], allowed: Collection[str], bad: Report) -> None:
    # [INFER] unknown properties are refused rather than silently dropped, so a client typo
    # ("primaryKey" for "primaryKeyAttribute") fails loudly against the emulator.
    for key in sorted(set(raw) - set(allowed), key=str):
        bad(f"{where}: unknown property {key!r}" if where else f"unknown property {key!r}")


def object_body(
    body: object, noun: str, allowed: Collection[str]
) -> tuple[Mapping[str, Any], list[str], Report]:
    """(body, problems, report) for a request that must send one JSON object (`noun`, e.g. "a
    form"): not an object is refused at once; its unknown keys are reported already."""
    if not isinstance(body, Mapping):
        raise RuleError([f"{noun} must be a JSON object"])
    problems: list[str] = []
    unknown_keys("", body, allowed, problems.append)
    return body, problems, problems.append


def fixed_changes(
    stored: Mapping[str, Any], changed: Mapping[str, Any], keys: Collection[str], then: str = ""
) -> list[str]:
    """One problem per key of `keys` that a replacement changes; `then` says the way around."""
    return [
        f"{key} cannot be changed ({stored.get(key)!r} → {changed.get(key)!r}){then}"
        for key in keys
        if changed.get(key) != stored.get(key)
    ]
