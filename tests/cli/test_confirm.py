"""On a terminal, apply asks before changing anything; only 'y' goes ahead."""

from __future__ import annotations

import os
import subprocess
from typing import Any

import pytest

from .conftest import COMMAND, EXAMPLES


def apply_on_a_terminal(env: dict[str, str], answer: bytes) -> subprocess.CompletedProcess[str]:
    controller, terminal = os.openpty()  # stdin is a terminal, as for a person typing
    try:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("ACTITO_", "GITHUB_"))}
        process = subprocess.Popen(
            [str(COMMAND), "apply"],
            cwd=EXAMPLES,
            env={**base, **env, "NO_COLOR": "1"},
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        os.write(controller, answer)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        os.close(controller)
        os.close(terminal)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.mark.parametrize(("answer", "code"), [(b"n\n", 1), (b"y\n", 0)])
def test_apply_asks_and_only_yes_applies(
    live: dict[str, str], licence: Any, answer: bytes, code: int
) -> None:
    before = licence.store.dump()
    result = apply_on_a_terminal(live, answer)
    assert "Apply these 11 change(s)?" in result.stderr
    assert result.returncode == code, result.stdout + result.stderr
    if code:
        assert "nothing was changed" in result.stderr
        assert licence.store.dump() == before
    else:
        assert result.stdout.count("✓ done") == 11
