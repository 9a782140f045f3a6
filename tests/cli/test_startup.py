"""The command line starts without loading what the command does not use: `--version`, `--help`
and completion requests load neither pydantic, nor the HTTP stack, nor rich, nor the emulator's
web server (timing figures are in the README's "Performance" section, not here)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("pydantic", "httpx", "rich", "asyncio", "starlette", "uvicorn", "ruamel", "yaml")

PROBE = """
import sys
from actito_iac.cli import main
try:
    main(sys.argv[1:])
except SystemExit as done:
    loaded = sorted({m.split('.')[0] for m in sys.modules} & set(sys.argv[0].split(',')))
    print('LOADED', ','.join(loaded), 'EXIT', done.code, file=sys.stderr)
"""


def loaded_by(*args: str) -> tuple[list[str], str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.replace("sys.argv[0]", repr(",".join(HEAVY))), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    line = next(text for text in done.stderr.splitlines() if text.startswith("LOADED"))
    modules = line.split()[1] if len(line.split()) > 3 else ""
    return [m for m in modules.split(",") if m], done.stdout


@pytest.mark.parametrize(
    "args",
    [("--version",), ("--help",), ("plan", "--help"), ("apply", "--help"), ("emulator", "--help")],
)
def test_a_quick_command_loads_no_heavy_library(args: tuple[str, ...]) -> None:
    loaded, out = loaded_by(*args)
    assert loaded == []
    assert out  # it did print its answer


def test_a_command_that_plans_does_load_them_when_it_runs(tmp_path: object) -> None:
    loaded, _ = loaded_by("validate", "no-such-folder")
    assert "pydantic" in loaded  # the probe would see a library that is loaded
