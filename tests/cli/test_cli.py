"""The installed `actito-iac` command, run as a user runs it, against the emulator on loopback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import EXAMPLES, ROOT, no_traceback, run


def test_version_and_module_entry_point() -> None:
    from actito_iac import __version__

    assert run("--version").stdout.strip().endswith(__version__)
    module = subprocess.run(
        [sys.executable, "-m", "actito_iac", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert module.returncode == 0
    assert __version__ in module.stdout


def test_validate_needs_no_credentials() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert "15 object(s)" in result.stderr


def test_plan_apply_replan_converges(live: dict[str, str], licence: Any) -> None:
    plan = run("plan", "--detailed-exitcode", env=live)
    assert plan.returncode == 2, plan.stderr
    assert "11 to create" in plan.stdout
    assert "4 manual" in plan.stdout  # the scenarios and the form, made in the UI
    assert "B2C/customTable/LegacyCoupons" in plan.stdout  # unmanaged, listed
    apply = run("apply", "--auto-approve", env=live)
    assert apply.returncode == 0, apply.stdout + apply.stderr
    assert apply.stdout.count("✓ done") == 11
    # It ends with what a person must still do, one step a line, never silently.
    assert "Manual steps still to do (4)" in apply.stdout
    assert "» B2C/scenario/welcome: In ACTITO:" in apply.stdout
    licence.design_examples_in_ui()
    again = run("plan", "--detailed-exitcode", env=live)
    assert again.returncode == 0, again.stdout
    assert "0 to create, 0 to update" in again.stdout
    assert "0 manual" in again.stdout


def test_apply_without_a_terminal_refuses_unless_auto_approved(
    live: dict[str, str], licence: Any
) -> None:
    before = licence.store.dump()
    result = run("apply", env=live)
    assert result.returncode == 1
    assert "--auto-approve" in result.stderr
    assert licence.store.dump() == before


def test_destructive_change_is_refused_with_exit_3_then_allowed(
    live: dict[str, str], config: Path, licence: Any
) -> None:
    assert run("apply", "--auto-approve", cwd=config, env=live).returncode == 0
    licence.design_examples_in_ui()
    stores = config / "manifests" / "b2c" / "stores.yaml"
    stores.write_text(
        stores.read_text().replace("      - {name: city, valueType: STRING, indexed: true}\n", "")
    )
    refused = run("apply", "--auto-approve", cwd=config, env=live)
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert "--allow-destructive" in refused.stderr
    assert "destructive" in refused.stdout
    allowed = run("apply", "--auto-approve", "--allow-destructive", cwd=config, env=live)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert run("plan", "--detailed-exitcode", cwd=config, env=live).returncode == 0


def test_a_failed_change_is_reported_and_a_rerun_converges(
    live: dict[str, str], served: str, licence: Any
) -> None:
    fault = {"method": "POST", "path": "custom-tables$", "status": 400, "count": 1}
    httpx.post(f"{served}/__emulator__/faults", json=fault).raise_for_status()
    first = run("apply", "--auto-approve", env=live)
    assert first.returncode == 1
    # Stores (the first custom table) fails; what links to it is skipped, not attempted: the
    # tables that link to it, and the subscription on one of them. The rest (the campaigns
    # included) is done.
    assert first.stdout.count("✓ done") == 6
    assert first.stdout.count("✗ failed") == 1
    assert first.stdout.count("- skipped") == 4
    no_traceback(first)
    second = run("apply", "--auto-approve", env=live)
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.count("✓ done") == 5
    licence.design_examples_in_ui()
    assert run("plan", "--detailed-exitcode", env=live).returncode == 0


def test_unknown_entity_names_the_file_and_the_existing_entities(
    live: dict[str, str], config: Path
) -> None:
    stores = config / "manifests" / "b2c" / "stores.yaml"
    stores.write_text(stores.read_text().replace("entity: B2C", "entity: Retail"))
    result = run("plan", cwd=config, env=live)
    assert result.returncode == 1
    assert "stores.yaml:4" in result.stderr
    assert "existing entities: B2B, B2C" in result.stderr
    no_traceback(result)


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        ("entity: B2C\ncustomTables: [\n", "orders.yaml:"),
        (
            "entity: B2C\ncustomTables:\n  - name: T\n    primaryKey: k\n    atributes: []\n",
            "orders.yaml:5:5",
        ),
        (
            "entity: B2C\ncustomTables:\n  - name: T\n    primaryKey: k\n    bigTable: 3\n"
            "    attributes: [{name: k, valueType: LONG, mandatory: true, unique: true}]\n",
            "orders.yaml:5",
        ),
    ],
    ids=["bad-yaml", "unknown-field", "wrong-type"],
)
def test_broken_manifest_gives_exit_1_with_file_and_line(
    config: Path, broken: str, expected: str
) -> None:
    (config / "manifests" / "b2c" / "orders.yaml").write_text(broken)
    result = run("validate", cwd=config)
    assert result.returncode == 1
    assert expected in result.stderr
    no_traceback(result)


def test_a_table_defined_twice_names_both_places(config: Path) -> None:
    stores = (config / "manifests" / "b2c" / "stores.yaml").read_text()
    (config / "manifests" / "b2c" / "copy.yaml").write_text(stores)
    result = run("validate", cwd=config)
    assert result.returncode == 1
    assert "already defined" in result.stderr
    assert "stores.yaml" in result.stderr
    no_traceback(result)


def test_missing_api_key_is_a_clear_error(config: Path) -> None:
    result = run("plan", cwd=config, env={"ACTITO_API_URL": "http://127.0.0.1:9"})
    assert result.returncode == 1
    assert "ACTITO_API_KEY" in result.stderr
    no_traceback(result)


def test_a_rejected_key_is_reported_without_showing_it(served: str, licence: Any) -> None:
    licence.seed(EXAMPLES / "emulator-seed.yaml")
    secret = "wrong-key-7d1e0c55"
    result = run("plan", "-v", env={"ACTITO_API_URL": served, "ACTITO_API_KEY": secret})
    assert result.returncode == 1
    assert secret not in result.stdout + result.stderr
    no_traceback(result)


def test_the_api_key_never_appears_in_any_output(live: dict[str, str]) -> None:
    for args in (["plan", "-v"], ["apply", "--auto-approve", "-v"], ["plan", "-v"]):
        result = run(*args, env=live)
        assert live["ACTITO_API_KEY"] not in result.stdout + result.stderr


def test_usage_errors_exit_1_not_2() -> None:
    result = run("plan", "--no-such-option")
    assert result.returncode == 1
    assert "no such option" in result.stderr.lower()


def test_schema_command_prints_the_committed_schema() -> None:
    result = run("schema")
    assert result.returncode == 0
    committed = json.loads((ROOT / "schemas" / "manifest.schema.json").read_text())
    assert json.loads(result.stdout) == committed
