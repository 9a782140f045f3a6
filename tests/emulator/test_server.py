"""The emulator over real loopback HTTP: `running_server`, `serve`, `emulator serve`."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from actito_iac.emulator.command import emulator as emulator_group
from actito_iac.emulator.server import StartError, running_server, serve

STARTUP_TIMEOUT = 15.0
SERVE = "from actito_iac.emulator.command import emulator; emulator()"


def test_running_server_serves_real_http_on_loopback(emulator: Any) -> None:
    with running_server(emulator.app) as url:
        assert url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=url, timeout=5) as client:
            token = client.get("/auth/token", headers={"Authorization": emulator.key}).json()
            answer = client.get(
                "/entities/v5/entities",
                headers={"Authorization": f"Bearer {token['accessToken']}"},
            )
        assert answer.status_code == 200
        assert [e["name"] for e in answer.json()["entities"]] == ["B2C", "B2B"]
    with pytest.raises(httpx.ConnectError), httpx.Client(base_url=url, timeout=2) as client:
        client.get("/auth/token")  # shut down on exit


@pytest.mark.anyio
async def test_the_in_flight_limit_holds_under_uvicorn(emulator: Any) -> None:
    with running_server(emulator.app) as url:
        async with httpx.AsyncClient(base_url=url, timeout=5) as client:
            token = (
                await client.get("/auth/token", headers={"Authorization": emulator.key})
            ).json()
            client.headers["Authorization"] = f"Bearer {token['accessToken']}"
            fault = {"path": "^/entities/", "delay": 0.3, "count": 100}
            await client.post("/__emulator__/faults", json=fault)
            answers = await asyncio.gather(*(client.get("/entities/v5/entities") for _ in range(7)))
    assert sorted(a.status_code for a in answers) == [200] * 5 + [429] * 2


def test_serve_refuses_a_remote_host() -> None:
    with pytest.raises(StartError, match="non-loopback"):
        serve(host="0.0.0.0")  # noqa: S104


def _wait_for(path: Path, process: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(f"the server exited early: {process.communicate()}")
        if time.monotonic() > deadline:
            raise AssertionError("the server did not write its ready file in time")
        time.sleep(0.05)
    return path.read_text().strip()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_serve_command_announces_its_port_and_stops_cleanly(
    tmp_path: Path, stop: signal.Signals
) -> None:
    ready = tmp_path / "ready"
    seed = tmp_path / "seed.yaml"
    seed.write_text("entities: [{name: B2C}]\n")
    command = [sys.executable, "-c", SERVE, "serve", "--port", "0", "--ready-file", str(ready)]
    command += ["--seed", str(seed), "--api-key", "cli-key", "--db", str(tmp_path / "e.db")]
    env = {**os.environ, "ACTITO_EMULATOR_API_KEYS": "ignored-when-a-key-is-given"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        url = _wait_for(ready, process)
        assert url.startswith("http://127.0.0.1:")
        assert not url.endswith(":0")
        with httpx.Client(base_url=url, timeout=5) as client:
            assert (
                client.get("/auth/token", headers={"Authorization": "cli-key"}).status_code == 200
            )
            assert (
                client.get(
                    "/auth/token", headers={"Authorization": "ignored-when-a-key-is-given"}
                ).status_code
                == 401
            )
        process.send_signal(stop)
        out, err = process.communicate(timeout=STARTUP_TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert out == f"actito-iac emulator listening on {url}\n"
    assert "Traceback" not in err
    assert not ready.exists()  # a stale ready file would point at a dead server


def test_api_keys_default_from_the_environment(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    command = [sys.executable, "-c", SERVE, "serve", "--port", "0", "--ready-file", str(ready)]
    env = {**os.environ, "ACTITO_EMULATOR_API_KEYS": "one, two"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        url = _wait_for(ready, process)
        with httpx.Client(base_url=url, timeout=5) as client:
            for key, status in (("one", 200), ("two", 200), ("emulator-key", 401)):
                assert (
                    client.get("/auth/token", headers={"Authorization": key}).status_code == status
                )
    finally:
        process.terminate()
        process.communicate(timeout=STARTUP_TIMEOUT)


def test_a_bad_seed_file_is_a_one_line_error(tmp_path: Path) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text("entities: [{comment: nameless}]\n")
    result = CliRunner().invoke(emulator_group, ["serve", "--port", "0", "--seed", str(seed)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: bad seed file {seed}: entities[0]: `name` must be a non-empty string\n"
    )


def test_a_port_in_use_is_a_one_line_error() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = CliRunner().invoke(emulator_group, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot listen on 127.0.0.1:{port}: ")
    assert "Traceback" not in result.output


def test_a_remote_host_is_refused_by_the_command() -> None:
    result = CliRunner().invoke(emulator_group, ["serve", "--host", "0.0.0.0", "--port", "0"])  # noqa: S104
    assert result.exit_code == 1
    assert "refusing to listen on non-loopback host '0.0.0.0'" in result.output
