"""The command line starts without loading what the command does not use: `--version`, `--help`
and completion requests load neither pydantic, nor the HTTP stack, nor rich, nor the emulator's
web server (timing figures are in the README's "Performance" section, not here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pydantic", "httpx", "rich", "asyncio", "starlette", "uvicorn", "ruamel", "yaml")

PROBE = """
import sys
from actito_iac.cli import main
try:
    main(sys.argv[1:])
except SystemExit as done:
    present = [m for m, module in sys.modules.items() if module is not None]  # None: absent
    print('LOADED', ','.join(present), 'EXIT', done.code, file=sys.stderr)
"""


def loaded_by(*args: str, env: dict[str, str] | None = None) -> tuple[set[str], str]:
    """Every module the command has loaded when it exits, and what it printed."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    line = next(text for text in done.stderr.splitlines() if text.startswith("LOADED"))
    return set(line.split()[1].split(",")), done.stdout


def heavy(loaded: set[str]) -> list[str]:
    return sorted({m.split(".")[0] for m in loaded} & set(HEAVY))


@pytest.mark.parametrize(
    "args",
    [("--version",), ("--help",), ("plan", "--help"), ("apply", "--help"), ("emulator", "--help")],
)
def test_a_quick_command_loads_no_heavy_library(args: tuple[str, ...]) -> None:
    loaded, out = loaded_by(*args)
    assert heavy(loaded) == []
    assert out  # it did print its answer


def test_a_command_that_plans_does_load_them_when_it_runs(tmp_path: object) -> None:
    loaded, _ = loaded_by("validate", "no-such-folder")
    assert "pydantic" in heavy(loaded)  # the probe would see a library that is loaded


NEVER = ("httpx._main", "pygments", "rich.progress")
"""httpx's own command-line tool (which brings pygments and rich's progress bars and syntax
highlighting), and progress bars, which only a terminal draws: 25 ms of a CI run between them."""


def test_a_run_in_ci_loads_neither_the_http_librarys_cli_nor_progress_bars(
    tmp_path: Path,
) -> None:
    (tmp_path / "t.yaml").write_text("entity: B2C\ncustomTables: []\n")
    env = {**os.environ, "ACTITO_API_URL": "http://127.0.0.1:9", "ACTITO_API_KEY": "k"}
    loaded, _ = loaded_by("plan", str(tmp_path), env=env)

    watched = sorted(loaded & {*NEVER, "httpx", "rich.console"})
    assert ",".join(watched) == "httpx,rich.console"  # it did reach for the network, in a pipe
