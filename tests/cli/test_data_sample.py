"""`--data-sample`: how many rows plan reads to count what a risky change would lose."""

from __future__ import annotations

from typing import Any

from .conftest import ROOT, run

SCENARIO = ROOT / "tests" / "scenarios" / "011-remove-attribute-with-data"


def test_counts_come_from_rows_and_turn_to_bounds_or_unknown(licence: Any, served: str) -> None:
    licence.seed(SCENARIO / "seed.yaml")
    env = {"ACTITO_API_URL": served, "ACTITO_API_KEY": licence.api_key}
    full = run("plan", "manifests", cwd=SCENARIO, env=env)
    assert "3 of 4 rows hold a value that would be lost" in full.stdout, full.stdout + full.stderr
    bounded = run("plan", "manifests", "--data-sample", "2", cwd=SCENARIO, env=env)
    assert "at least 2 rows (only the first 2 read)" in bounded.stdout
    assert "2 of the first 2 rows hold a value that would be lost" in bounded.stdout
    none = run("plan", "manifests", "--data-sample", "0", cwd=SCENARIO, env=env)
    assert "destructive — unknown" in none.stdout
    assert "rows hold" not in none.stdout
