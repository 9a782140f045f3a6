"""Per-environment `variables:` in the project file, used by manifests as `${var:NAME}`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from actito_iac import exit_codes

from .conftest import no_traceback, run

PROJECT = """\
manifests: [manifests]
defaultEnvironment: local
environments:
  local:
    apiUrl: http://127.0.0.1:8787
    variables: {STORE_LABEL: Local stores, NAME_LENGTH: 80}
  staging:
    apiUrl: https://api3.actito.com
    apiKeyEnv: ACTITO_STAGING_API_KEY
    variables: {STORE_LABEL: Staging stores, NAME_LENGTH: 60}
  production:
    apiUrl: https://api3.actito.com
    apiKeyEnv: ACTITO_PROD_API_KEY
    variables: {STORE_LABEL: Stores}
"""


@pytest.fixture
def varied(config: Path) -> Path:
    (config / "actito-iac.yaml").write_text(PROJECT)
    stores = config / "manifests" / "b2c" / "stores.yaml"
    text = stores.read_text()
    assert "    primaryKey: storeId\n" in text
    assert "maxLength: 80}" in text
    text = text.replace(
        "    primaryKey: storeId\n",
        "    primaryKey: storeId\n    description: ${var:STORE_LABEL}\n",
    )
    stores.write_text(text.replace("maxLength: 80}", "maxLength: '${var:NAME_LENGTH}'}"))
    return config


def stores_after(result: Any) -> dict[str, Any]:
    document = json.loads(result.stdout)
    (change,) = [c for c in document["changes"] if c["address"]["name"] == "Stores"]
    after: dict[str, Any] = change["after"]
    return after


@pytest.mark.parametrize(
    ("env_args", "label", "length"),
    [([], "Local stores", 80), (["--env", "staging"], "Staging stores", 60)],
)
def test_each_environment_gives_its_own_values(
    varied: Path, live: dict[str, str], env_args: list[str], label: str, length: int
) -> None:
    result = run("plan", "--format", "json", *env_args, cwd=varied, env=live)

    assert result.returncode == 0, result.stderr
    after = stores_after(result)
    assert after["description"] == label
    assert after["attributes"]["storeName"]["maxLength"] == length  # a number, not "60"


def test_a_variable_the_environment_lacks_is_an_error_at_its_use(varied: Path) -> None:
    text = (varied / "manifests" / "b2c" / "stores.yaml").read_text()
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "${var:NAME_LENGTH}" in t)

    result = run("validate", "--env", "production", cwd=varied)

    assert result.returncode == exit_codes.ERROR
    assert f"manifests/b2c/stores.yaml:{line}:" in result.stderr
    assert "variable NAME_LENGTH is not set" in result.stderr
    assert "environments.production.variables" in result.stderr
    no_traceback(result)


def test_validate_uses_the_default_environment(varied: Path) -> None:
    assert run("validate", cwd=varied).returncode == 0


def test_a_changed_variable_makes_a_saved_plan_stale(
    varied: Path, live: dict[str, str], licence: Any
) -> None:
    assert run("plan", "--out", "plan.json", cwd=varied, env=live).returncode == 0
    project = varied / "actito-iac.yaml"
    project.write_text(project.read_text().replace("NAME_LENGTH: 80", "NAME_LENGTH: 81"))
    before = licence.store.dump()

    refused = run("apply", "plan.json", cwd=varied, env=live)

    assert refused.returncode == exit_codes.STALE_PLAN, refused.stdout + refused.stderr
    assert "variable NAME_LENGTH (changed)" in refused.stderr
    assert licence.store.dump() == before
