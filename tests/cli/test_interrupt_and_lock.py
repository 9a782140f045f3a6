"""Ctrl-C during an apply, and two applies at once, through the installed command against an
emulator on loopback. Faults that stall chosen requests make the timing deterministic."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from actito_iac import exit_codes
from actito_iac.licence_lock import licence_lock

from .conftest import COMMAND, no_traceback, run

TABLES = [f"T{i}" for i in range(1, 9)]
CREATE = "custom-table-structure/v5/entities/B2C/custom-tables$"


def manifests(folder: Path) -> Path:
    lines = ["entity: B2C", "customTables:"]
    for name in TABLES:
        lines += [
            f"  - name: {name}",
            "    primaryKey: k",
            "    attributes: [{name: k, valueType: STRING, mandatory: true, unique: true}]",
        ]
    path = folder / "tables.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def empty(licence: Any, served: str) -> dict[str, str]:
    licence.store.insert_entity("B2C")
    return {"ACTITO_API_URL": served, "ACTITO_API_KEY": licence.api_key}


def fault(url: str, **fault: Any) -> None:
    httpx.post(f"{url}/__emulator__/faults", json=fault).raise_for_status()


def start(*args: str, env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ACTITO_", "GITHUB_"))}
    return subprocess.Popen(
        [str(COMMAND), *args],
        cwd=cwd,
        env={**base, **env, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_lines(process: subprocess.Popen[str], marker: str, count: int) -> list[str]:
    """stdout lines up to the `count`-th holding `marker`."""
    assert process.stdout is not None
    seen: list[str] = []
    while sum(marker in line for line in seen) < count:
        line = process.stdout.readline()
        assert line, f"the command ended early: {seen}"
        seen.append(line)
    return seen


def created(licence: Any) -> set[str]:
    return {t["name"] for t in licence.store.list_custom_tables("B2C")}


def test_ctrl_c_during_apply_says_what_was_changed_and_exits_130(
    empty: dict[str, str], licence: Any, tmp_path: Path
) -> None:
    url = empty["ACTITO_API_URL"]
    # The first two creates go through; the next six stall. Five changes run at once (ACTITO's
    # limit of requests in flight), so Ctrl-C lands with T3-T7 in flight and T8 waiting.
    fault(url, method="POST", path=CREATE, count=2)
    fault(url, method="POST", path=CREATE, count=6, delay=3)
    process = start("apply", "--auto-approve", str(manifests(tmp_path)), env=empty, cwd=tmp_path)
    try:
        wait_for_lines(process, "✓ done", 2)
        time.sleep(0.5)  # the next five start as soon as the first two are over
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()

    assert process.returncode == exit_codes.INTERRUPTED, stderr
    assert "Traceback" not in stderr
    assert "nothing was changed" not in stderr
    changed = stderr.split("changed (2):")[1]
    in_flight = changed.split("in flight: may or may not have been applied (5):")[1]
    not_started = in_flight.split("not started, not changed (1):")[1]
    assert "create B2C/customTable/T1" in changed.split("in flight")[0]
    assert "create B2C/customTable/T2" in changed.split("in flight")[0]
    for name in ("T3", "T4", "T5", "T6", "T7"):
        assert f"create B2C/customTable/{name}" in in_flight.split("not started")[0]
    assert "create B2C/customTable/T8" in not_started
    assert "Run plan" in stderr
    # The licence agrees: T1 and T2 exist, T8 does not (T3-T7 may or may not, as said).
    time.sleep(3.5)  # let the stalled requests finish on the server, whatever they do
    assert {"T1", "T2"} <= created(licence)
    assert "T8" not in created(licence)


def test_ctrl_c_before_any_change_says_nothing_was_changed(
    empty: dict[str, str], licence: Any, tmp_path: Path
) -> None:
    url = empty["ACTITO_API_URL"]
    fault(url, method="GET", path=CREATE, count=1, delay=3)  # reading the tables stalls
    process = start("apply", "--auto-approve", str(manifests(tmp_path)), env=empty, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 20
        while not any(
            r["path"].endswith("/custom-tables") and r["status"] is None
            for r in licence.app.state.emulator.log.entries()
        ):
            assert time.monotonic() < deadline, "the read never started"
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()

    assert process.returncode == exit_codes.INTERRUPTED, stderr
    assert "Interrupted; nothing was changed." in stderr
    assert "Traceback" not in stderr
    assert created(licence) == set()


def test_a_second_apply_refuses_at_once_naming_the_first(
    empty: dict[str, str], licence: Any, tmp_path: Path
) -> None:
    url = empty["ACTITO_API_URL"]
    fault(url, method="POST", path=CREATE, count=1, delay=4)  # the first apply's first create
    first = start("apply", "--auto-approve", str(manifests(tmp_path)), env=empty, cwd=tmp_path)
    try:
        wait_for_lines(first, "create", 1)  # its plan is printed: it holds the lock
        second = run("apply", "--auto-approve", "tables.yaml", cwd=tmp_path, env=empty)
        _, first_err = first.communicate(timeout=60)
    finally:
        first.kill()

    assert second.returncode == exit_codes.ERROR
    assert "another apply on" in second.stderr
    assert f"pid {first.pid} on " in second.stderr
    assert "--wait-lock" in second.stderr
    assert "Nothing was changed" in second.stderr
    no_traceback(second)
    assert "create" not in second.stdout  # refused before reading or planning anything
    assert first.returncode == 0, first_err
    assert created(licence) == set(TABLES)


def test_a_second_apply_waits_with_wait_lock(
    empty: dict[str, str], licence: Any, tmp_path: Path
) -> None:
    url = empty["ACTITO_API_URL"]
    fault(url, method="POST", path=CREATE, count=1, delay=2)
    first = start("apply", "--auto-approve", str(manifests(tmp_path)), env=empty, cwd=tmp_path)
    try:
        wait_for_lines(first, "create", 1)
        second = run(
            "apply", "--auto-approve", "--wait-lock", "60", "tables.yaml", cwd=tmp_path, env=empty
        )
        first.communicate(timeout=60)
    finally:
        first.kill()

    assert first.returncode == 0
    assert second.returncode == 0, second.stderr
    # It planned after the first apply had finished: nothing left to do, nothing created twice.
    assert "No changes." in second.stdout
    assert created(licence) == set(TABLES)


def test_the_lock_of_a_killed_apply_is_taken_over(
    empty: dict[str, str], licence: Any, tmp_path: Path
) -> None:
    url = empty["ACTITO_API_URL"]
    fault(url, method="POST", path=CREATE, count=1, delay=5)
    first = start("apply", "--auto-approve", str(manifests(tmp_path)), env=empty, cwd=tmp_path)
    try:
        wait_for_lines(first, "create", 1)
        first.kill()  # SIGKILL: no cleanup at all
        first.communicate(timeout=30)
        httpx.delete(f"{url}/__emulator__/faults").raise_for_status()
        second = run("apply", "--auto-approve", "tables.yaml", cwd=tmp_path, env=empty)
    finally:
        first.kill()

    assert second.returncode == 0, second.stderr
    assert f"pid {first.pid}" in second.stderr
    assert "ended without releasing its lock" in second.stderr
    assert {"T1", "T2", "T3", "T4", "T5", "T6"} <= created(licence)


@pytest.mark.anyio
async def test_a_saved_plan_waits_for_the_lock_too(
    empty: dict[str, str], licence: Any, tmp_path: Path
) -> None:
    manifests(tmp_path)
    saved = run("plan", "tables.yaml", "--out", "plan.json", cwd=tmp_path, env=empty)
    assert saved.returncode == 0, saved.stderr

    async with licence_lock(empty["ACTITO_API_URL"], os.environ):  # another apply, here
        refused = run("apply", "plan.json", cwd=tmp_path, env=empty)
    untouched = created(licence)
    applied = run("apply", "plan.json", cwd=tmp_path, env=empty)

    assert refused.returncode == exit_codes.ERROR
    assert f"pid {os.getpid()} on " in refused.stderr
    assert untouched == set()
    assert applied.returncode == 0, applied.stderr
    assert created(licence) == set(TABLES)
