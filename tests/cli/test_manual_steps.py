"""Manual steps are never silent: apply ends with those still to do, one per line with its UI
path; `--format json` counts them; `--fail-on-manual` exits 5 until a person has done them,
and the next plan confirms it."""

from __future__ import annotations

import json
from typing import Any

from actito_iac import exit_codes

from .conftest import no_traceback, run


def test_apply_lists_the_manual_steps_left_even_when_the_api_has_nothing_to_do(
    live: dict[str, str],
) -> None:
    first = run("apply", "--auto-approve", env=live)
    assert first.returncode == 0, first.stdout + first.stderr
    tail = first.stdout.split("Apply: 11 done")[1]  # after what the API did
    assert "Manual steps still to do (4): the API cannot make them, and apply did not." in tail
    steps = [line for line in tail.splitlines() if line.startswith("  » ")]
    assert len(steps) == 4
    assert all(": In ACTITO: " in line for line in steps)  # each with its UI path

    again = run("apply", "--auto-approve", env=live)  # nothing the API can do is left
    assert again.returncode == 0, again.stdout + again.stderr
    assert "✓ done" not in again.stdout
    assert "Manual steps still to do (4)" in again.stdout


def test_fail_on_manual_exits_5_until_the_steps_are_done_and_plan_confirms_it(
    live: dict[str, str], licence: Any
) -> None:
    failing = run("apply", "--auto-approve", "--fail-on-manual", env=live)
    assert failing.returncode == exit_codes.MANUAL_PENDING, failing.stdout + failing.stderr
    assert "✓ done" in failing.stdout  # what the API can do was done all the same
    assert "4 manual step(s) still to do (--fail-on-manual): exit 5." in failing.stdout
    no_traceback(failing)

    pending = run("plan", "--detailed-exitcode", env=live)
    assert pending.returncode == exit_codes.CHANGES_PENDING
    assert "4 manual" in pending.stdout

    licence.design_examples_in_ui()  # a person follows the steps in the ACTITO UI
    confirmed = run("plan", "--detailed-exitcode", env=live)
    assert confirmed.returncode == exit_codes.OK, confirmed.stdout
    assert "0 manual" in confirmed.stdout
    done = run("apply", "--auto-approve", "--fail-on-manual", env=live)
    assert done.returncode == exit_codes.OK, done.stdout + done.stderr
    assert "Manual steps still to do" not in done.stdout


def test_the_json_result_counts_what_was_done_and_what_is_left(live: dict[str, str]) -> None:
    result = run("apply", "--auto-approve", "--format", "json", "--fail-on-manual", env=live)
    assert result.returncode == exit_codes.MANUAL_PENDING
    document = json.loads(result.stdout)  # stdout holds the document only
    assert "Plan: 11 to create" in result.stderr  # the plan and outcomes went to stderr
    assert document["format_version"] == "1.0"
    assert document["exit_code"] == exit_codes.MANUAL_PENDING
    assert document["ok"] is True
    assert document["summary"] == {"done": 11, "failed": 0, "skipped": 0, "manual_steps": 4}
    assert {o["status"] for o in document["outcomes"]} == {"done"}
    kinds = sorted(s["address"]["kind"] for s in document["manual_steps"])
    assert kinds == ["form", "scenario", "scenario", "scenario"]
    assert all(s["step"].startswith("In ACTITO: ") for s in document["manual_steps"])


def test_a_refused_apply_prints_no_result_document(live: dict[str, str]) -> None:
    result = run("apply", "--format", "json", env=live)  # no terminal, no --auto-approve
    assert result.returncode == exit_codes.ERROR
    assert result.stdout == ""
