"""While it works: progress on stderr (bars on a terminal, one line per stage elsewhere), the
-v / -vv log lines, and network failures that say what to check."""

from __future__ import annotations

import os
import pty
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import COMMAND, EXAMPLES, ROOT, no_traceback, run

SCENARIO = ROOT / "tests" / "scenarios" / "011-remove-attribute-with-data"

pytestmark = pytest.mark.slow


def test_in_a_pipe_each_stage_is_one_line_on_stderr(live: dict[str, str], licence: Any) -> None:
    plan = run("plan", env=live)
    assert plan.returncode == 0, plan.stderr
    assert "read 1 object in " in plan.stderr  # the seed's unmanaged table; B2C is read
    assert "\r" not in plan.stderr
    assert "\x1b[" not in plan.stderr
    assert "read " not in plan.stdout  # stdout holds only the plan
    apply = run("apply", "--auto-approve", env=live)
    assert "applied 11 changes in " in apply.stderr
    again = run("plan", env=live)
    assert "read 12 objects in " in again.stderr


def test_rows_sampled_are_reported(licence: Any, served: str) -> None:
    licence.seed(SCENARIO / "seed.yaml")
    env = {"ACTITO_API_URL": served, "ACTITO_API_KEY": licence.api_key}
    result = run("plan", "manifests", cwd=SCENARIO, env=env)
    assert "sampled rows of 1 table in " in result.stderr, result.stderr


def run_with_stderr_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[str, str]:
    """stdout to a pipe, stderr to a pseudo-terminal: what a user sees in `plan > plan.txt`."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ACTITO_", "GITHUB_"))}
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [str(COMMAND), *args],
            cwd=EXAMPLES,
            env={**base, **env, "TERM": "xterm", "COLUMNS": "100"},
            stdout=subprocess.PIPE,
            stderr=follower,
            stdin=subprocess.DEVNULL,
        )
        os.close(follower)
        chunks: list[bytes] = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
        stdout = process.communicate(timeout=60)[0]
    finally:
        os.close(leader)
    return stdout.decode(), b"".join(chunks).decode(errors="replace")


def test_on_a_terminal_a_bar_is_drawn_on_stderr_only(live: dict[str, str]) -> None:
    stdout, stderr = run_with_stderr_on_a_terminal(["apply", "--auto-approve"], live)
    assert "Reading the licence" in stderr
    assert "Applying changes" in stderr
    assert "applied 11 changes in" in stderr
    assert "\x1b[" in stderr
    assert "\x1b[" not in stdout  # the plan in a file has no escape codes
    assert "Applying changes" not in stdout
    assert stdout.count("✓ done") == 11


def test_on_a_terminal_a_failed_stage_leaves_no_bar_behind() -> None:
    env = {"ACTITO_API_URL": "http://127.0.0.1:9", "ACTITO_API_KEY": "k"}
    _, stderr = run_with_stderr_on_a_terminal(["plan"], env)
    assert "nothing accepts connections at 127.0.0.1:9" in stderr
    assert "Traceback" not in stderr
    # The bar hid the cursor while it was drawn; it is shown again once the bar is gone.
    assert stderr.rfind("\x1b[?25h") > stderr.rfind("\x1b[?25l") >= 0


def test_verbose_shows_the_tools_own_lines_only(live: dict[str, str]) -> None:
    result = run("plan", "-v", env=live)
    lines = result.stderr.splitlines()
    assert any(
        line.startswith("actito-iac: GET /entities/v5/entities -> 200 in ") and line.endswith("ms")
        for line in lines
    ), result.stderr
    assert not any(line.startswith(("httpcore", "httpx", "asyncio")) for line in lines)


def test_very_verbose_adds_the_http_libraries(live: dict[str, str], licence: Any) -> None:
    result = run("-vv", "plan", env=live)
    assert result.returncode == 0, result.stderr
    assert "httpcore.http11: " in result.stderr
    assert "actito_iac.api.transport: GET /entities/v5/entities -> 200 in " in result.stderr
    shown = result.stdout + result.stderr
    tokens = list(licence.app.state.emulator.tokens._expiry)
    assert tokens, "the run obtained a token"
    for secret in [live["ACTITO_API_KEY"], *tokens]:
        assert secret not in shown


def test_retries_are_logged_with_their_reason(live: dict[str, str], served: str) -> None:
    fault = {"method": "GET", "path": "custom-tables$", "status": 503, "count": 1}
    httpx.post(f"{served}/__emulator__/faults", json=fault).raise_for_status()
    result = run("plan", "-v", env=live)
    assert result.returncode == 0, result.stderr
    assert ": retry 1 of 4 in " in result.stderr
    assert "after 503 Service Unavailable" in result.stderr


def test_connection_refused_answers_at_once_with_a_hint(config: Path) -> None:
    started = time.monotonic()
    result = run(
        "plan", cwd=config, env={"ACTITO_API_URL": "http://127.0.0.1:9", "ACTITO_API_KEY": "k"}
    )
    assert time.monotonic() - started < 5  # one attempt: no backoff waited
    assert result.returncode == 1
    assert "nothing accepts connections at 127.0.0.1:9" in result.stderr
    assert "is the emulator running (`actito-iac emulator serve`)?" in result.stderr
    no_traceback(result)


def test_an_api_url_with_a_path_is_a_wrong_url_not_a_rejected_key(
    live: dict[str, str],
) -> None:
    copied = run("plan", env={**live, "ACTITO_API_URL": live["ACTITO_API_URL"] + "/v5"})
    assert copied.returncode == 1
    assert "is wrong: it carries a path of the API (/v5)" in copied.stderr
    assert "rejected" not in copied.stderr
    prefixed = run("plan", env={**live, "ACTITO_API_URL": live["ACTITO_API_URL"] + "/gateway"})
    assert prefixed.returncode == 1
    assert (
        "/auth/token -> 401 Unauthorized: the API URL is wrong: it carries a path (/gateway)"
        in (prefixed.stderr)
    )
    assert "rejected" not in prefixed.stderr
    no_traceback(prefixed)


def test_a_data_sample_above_the_limit_is_refused_before_any_call(config: Path) -> None:
    result = run(
        "plan",
        "--data-sample",
        "10001",
        cwd=config,
        env={"ACTITO_API_URL": "http://127.0.0.1:9", "ACTITO_API_KEY": "k"},
    )
    assert result.returncode == 1
    assert "10,001 rows is above 10,000" in result.stderr
    assert "inferred" in result.stderr
    assert "nothing accepts connections" not in result.stderr  # refused before connecting
    assert run("plan", "--data-sample", "10000", "--help").returncode == 0
