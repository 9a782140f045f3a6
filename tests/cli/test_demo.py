"""`make demo` (scripts/demo.py): plain text in a pipe, the plan shown once, a re-plan with
nothing left but the manual step it reports."""

from __future__ import annotations

import importlib.util
import io
import os
import subprocess
import sys
from types import ModuleType

import pytest

from .conftest import ROOT


def demo_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("demo", ROOT / "scripts" / "demo.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Screen(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("terminal", "environ", "bold"),
    [
        (True, {}, True),
        (True, {"NO_COLOR": "1"}, False),
        (True, {"NO_COLOR": ""}, False),  # set, even empty, means no colour
        (True, {"TERM": "dumb"}, False),
        (False, {}, False),
    ],
)
def test_headings_are_bold_only_on_a_terminal_that_takes_colour(
    monkeypatch: pytest.MonkeyPatch, terminal: bool, environ: dict[str, str], bold: bool
) -> None:
    monkeypatch.setattr(sys, "stdout", Screen() if terminal else io.StringIO())
    text = demo_module().bold("$ actito-iac plan", environ)
    assert ("\x1b[" in text) is bold
    assert "$ actito-iac plan" in text


@pytest.mark.slow
def test_the_demo_in_a_pipe_is_plain_and_shows_the_plan_once() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ACTITO_", "GITHUB_"))}
    env.pop("NO_COLOR", None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "\x1b[" not in output
    assert output.count("Plan: 11 to create") == 1
    assert output.count("✓ done") == 11
    assert "Manual steps still to do (4)" in output  # apply says what it could not do
    # The second plan: nothing but the step left to a person, reported honestly.
    assert "Plan: 0 to create, 0 to update, 0 to replace, 0 to delete, 1 manual" in output
    assert 'open scenario "loyaltyBonus" › Activate' in output
    assert ".venv/bin/actito-iac" in result.stdout
