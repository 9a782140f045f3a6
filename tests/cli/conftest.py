"""Running the installed `actito-iac` command as a user does, against the emulator on loopback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
COMMAND = Path(sys.executable).parent / "actito-iac"


def run(
    *args: str, cwd: Path = EXAMPLES, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """The command with a clean environment: no ACTITO_ or GITHUB_ variables of the caller."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ACTITO_", "GITHUB_"))}
    return subprocess.run(
        [str(COMMAND), *args],
        cwd=cwd,
        env={**base, **(env or {}), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr


@pytest.fixture
def live(licence: Any, served: str) -> dict[str, str]:
    """The examples' seed on a served emulator; returns the environment pointing at it."""
    licence.seed(EXAMPLES / "emulator-seed.yaml")
    return {"ACTITO_API_URL": served, "ACTITO_API_KEY": licence.api_key}


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A private copy of the examples, safe to edit."""
    shutil.copytree(EXAMPLES, tmp_path / "config")
    return tmp_path / "config"
