"""Every command, run with known secret strings: none may appear in any output or written file.

The secrets: the API key, another environment's API key, and a `${secret:…}` value the
manifests put in a table description and in accepted values — first one value, then a rotated
one, so the live licence holds the old secret while the run only knows the new one.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from actito_iac import exit_codes

from .conftest import no_traceback, run

TOKEN = "tok-9f8e7d6c5b4a"
ROTATED = "tok-rotated-31c2d7"
PROD_KEY = "prod-key-77aa66bb55cc"


@pytest.fixture
def secret_config(config: Path) -> Path:
    stores = config / "manifests" / "b2c" / "stores.yaml"
    text = stores.read_text()
    assert "    primaryKey: storeId\n" in text
    assert "[BE, FR, LU, NL]" in text
    text = text.replace(
        "    primaryKey: storeId\n",
        "    primaryKey: storeId\n    description: 'Shop feed ${secret:SHOP_TOKEN}'\n",
    )
    stores.write_text(text.replace("[BE, FR, LU, NL]", "[BE, FR, LU, NL, '${secret:SHOP_TOKEN}']"))
    return config


class Scan:
    """Runs commands and remembers every byte they printed."""

    def __init__(self, cwd: Path, env: dict[str, str]) -> None:
        self.cwd, self.env = cwd, env
        self.outputs: list[str] = []

    def __call__(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        result = run(*args, cwd=self.cwd, env={**self.env, **env})
        no_traceback(result)
        self.outputs.append(f"$ {' '.join(args)}\n{result.stdout}\n{result.stderr}")
        return result


def leaks(text: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s in text]


def test_no_command_shows_a_secret(
    secret_config: Path, live: dict[str, str], licence: Any, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    env = {
        **live,
        "SHOP_TOKEN": TOKEN,
        "ACTITO_PROD_API_KEY": PROD_KEY,
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    scan = Scan(secret_config, env)
    key = live["ACTITO_API_KEY"]

    assert scan("validate").returncode == 0
    assert scan("plan", "-v").returncode == 0
    assert scan("plan", "--format", "json").returncode == 0
    assert scan("plan", "--format", "markdown").returncode == 0
    assert scan("plan", "--out", "plan.json", "--detailed-exitcode").returncode == 2
    for output in ("human", "json", "markdown"):
        assert scan("show", "plan.json", "--format", output).returncode == 0
    applied = scan("apply", "plan.json", "-v")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert licence.store.dump() != {}
    licence.design_examples_in_ui()
    assert scan("plan", "--detailed-exitcode", "-v").returncode == 0  # converged, secret live
    exported_run = scan("export", "--out", "exported")
    assert exported_run.returncode == 0, exported_run.stderr
    stores = (secret_config / "exported" / "B2C" / "customTables" / "Stores.yaml").read_text()
    assert "${secret:SHOP_TOKEN}" in stores  # the live value goes back as its reference
    assert scan("plan", "exported", "--detailed-exitcode").returncode == 0

    rotated = scan("plan", "--format", "json", "--out", "rotated.json", SHOP_TOKEN=ROTATED)
    assert rotated.returncode == 0
    assert '"*** (sha256:' in rotated.stdout  # the change is visible, its values are not
    shown = scan("plan", SHOP_TOKEN=ROTATED)
    assert "description: *** (sha256:" in shown.stdout
    # Removing an accepted value is blocked: both applies refuse, after printing the plan.
    assert scan("apply", "--auto-approve", "-v", SHOP_TOKEN=ROTATED).returncode == 1
    assert scan("apply", "rotated.json", SHOP_TOKEN=ROTATED).returncode == 1
    assert scan("apply", "plan.json").returncode == exit_codes.STALE_PLAN

    for args in (["schema"], ["schema", "--project-file"], ["capabilities"], ["--help"]):
        assert scan(*args).returncode == 0
    assert scan("plan", "-v", ACTITO_API_URL="http://127.0.0.1:9").returncode == 1
    assert scan("plan", ACTITO_API_KEY=f"{key}-but-wrong").returncode == 1
    assert scan("plan", "--env", "production", ACTITO_API_URL="").returncode == 1
    assert scan("apply", "--target", "customTable/Nope").returncode == 1
    assert scan("validate", "--env", "nowhere").returncode == 1

    secrets = [key, f"{key}-but-wrong", PROD_KEY, TOKEN, ROTATED]
    printed = "\n".join(scan.outputs)
    assert "***" in printed
    assert leaks(printed, secrets) == []
    exported = list((secret_config / "exported").rglob("*.yaml"))
    for written in (
        summary,
        secret_config / "plan.json",
        secret_config / "rotated.json",
        *exported,
    ):
        assert written.exists()
        assert leaks(written.read_text(), secrets) == [], written


def test_an_unset_secret_is_an_error_at_its_place(secret_config: Path) -> None:
    result = run("validate", cwd=secret_config)

    assert result.returncode == 1
    assert "stores.yaml:" in result.stderr
    assert "secret environment variable SHOP_TOKEN is not set" in result.stderr
