"""Hostile manifests through the installed command: exit 1 with file:line, no traceback, and
nothing changed in the licence (an apply used to create tables, then crash on a NaN)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import no_traceback, run

ORDERS_EVENT = "after: [{attribute: status, operator: \"=\", value: SHIPPED}]"


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (ORDERS_EVENT, ORDERS_EVENT.replace("SHIPPED", ".nan"), "finite"),
        (ORDERS_EVENT, ORDERS_EVENT.replace("SHIPPED", '"\\ud800"'), "lone surrogate"),
        ("retentionDays: 2555", "retentionDays: !!int abc", "is not a whole number"),
        ("retentionDays: 2555", "retentionDays: " + "9" * 5000, "digits"),
    ],
    ids=["nan", "surrogate", "bad-tag", "long-int"],
)
def test_a_hostile_manifest_changes_nothing(
    config: Path, live: dict[str, str], licence: Any, old: str, new: str, words: str
) -> None:
    orders = config / "manifests" / "b2c" / "orders.yaml"
    text = orders.read_text(encoding="utf-8")
    assert old in text
    orders.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    before = licence.store.dump()

    result = run("apply", "--auto-approve", cwd=config, env=live)

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"orders.yaml:{line}:" in result.stderr
    assert words in result.stderr
    no_traceback(result)
    assert licence.store.dump() == before
