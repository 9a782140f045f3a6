"""`plan --out`, `apply FILE`, `show FILE`: the reviewed plan is applied exactly or not at all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from actito_iac import exit_codes

from .conftest import no_traceback, run

TABLES = "/custom-table-structure/v5/entities/B2C/custom-tables"


def api(served: str, key: str) -> httpx.Client:
    """A plain HTTP client on the emulator's ACTITO API, as another tool (or a person) would."""
    token = httpx.get(f"{served}/auth/token", headers={"Authorization": key}).json()
    headers = {"Authorization": f"Bearer {token['accessToken']}", "Accept": "application/json"}
    return httpx.Client(base_url=served, headers=headers)


def add_usd(config: Path) -> None:
    orders = config / "manifests" / "b2c" / "orders.yaml"
    text = orders.read_text()
    assert "[EUR, GBP, CHF]" in text
    orders.write_text(text.replace("[EUR, GBP, CHF]", "[EUR, GBP, CHF, USD]"))


def test_a_saved_plan_round_trips_and_converges(
    live: dict[str, str], config: Path, licence: Any
) -> None:
    planned = run("plan", "--out", "plan.json", cwd=config, env=live)
    assert planned.returncode == 0, planned.stderr
    saved = json.loads((config / "plan.json").read_text())
    assert saved["saved"]["manifest_hash"].startswith("sha256:")
    assert saved["saved"]["api_url"] == live["ACTITO_API_URL"]
    creates = [c["address_text"] for c in saved["changes"] if c["action"] == "create"]
    assert set(saved["saved"]["fingerprints"]) >= set(creates)
    assert {saved["saved"]["fingerprints"][a] for a in creates} == {"absent"}

    applied = run("apply", "plan.json", cwd=config, env=live)  # reviewed: no prompt needed
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert applied.stdout.count("✓ done") == len(creates)
    licence.design_examples_in_ui()
    assert run("plan", "--detailed-exitcode", cwd=config, env=live).returncode == 0

    again = run("apply", "plan.json", cwd=config, env=live)  # its objects exist now
    assert again.returncode == exit_codes.STALE_PLAN
    assert "created since the plan" in again.stderr


def test_an_update_is_applied_from_its_saved_plan(
    live: dict[str, str], config: Path, licence: Any
) -> None:
    assert run("apply", "--auto-approve", cwd=config, env=live).returncode == 0
    licence.design_examples_in_ui()
    add_usd(config)
    assert run("plan", "--out", "plan.json", cwd=config, env=live).returncode == 0

    applied = run("apply", "plan.json", cwd=config, env=live)

    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "✓ done  update B2C/customTable/Orders" in applied.stdout
    assert run("plan", "--detailed-exitcode", cwd=config, env=live).returncode == 0


def test_edited_manifests_make_the_plan_stale(
    live: dict[str, str], config: Path, licence: Any
) -> None:
    assert run("plan", "--out", "plan.json", cwd=config, env=live).returncode == 0
    add_usd(config)
    before = licence.store.dump()

    refused = run("apply", "plan.json", cwd=config, env=live)

    assert refused.returncode == exit_codes.STALE_PLAN, refused.stdout + refused.stderr
    assert "manifests changed since the plan: manifests/b2c/orders.yaml (changed)" in (
        refused.stderr
    )
    assert "Nothing was changed" in refused.stderr
    assert licence.store.dump() == before
    no_traceback(refused)


def test_another_environment_or_url_makes_the_plan_stale(
    live: dict[str, str], config: Path, licence: Any, served: str
) -> None:
    assert run("plan", "--out", "plan.json", cwd=config, env=live).returncode == 0
    before = licence.store.dump()

    other_env = run("apply", "plan.json", "--env", "production", cwd=config, env=live)
    other_url = {**live, "ACTITO_API_URL": served.replace("127.0.0.1", "localhost")}
    moved = run("apply", "plan.json", cwd=config, env=other_url)

    assert other_env.returncode == exit_codes.STALE_PLAN, other_env.stderr
    assert "made for environment 'local', this run targets 'production'" in other_env.stderr
    assert moved.returncode == exit_codes.STALE_PLAN, moved.stderr
    assert f"made against {served}, this run targets" in moved.stderr
    assert licence.store.dump() == before


def test_a_live_change_between_plan_and_apply_makes_it_stale(
    live: dict[str, str], config: Path, licence: Any, served: str
) -> None:
    assert run("apply", "--auto-approve", cwd=config, env=live).returncode == 0
    add_usd(config)
    assert run("plan", "--out", "plan.json", cwd=config, env=live).returncode == 0
    with api(served, live["ACTITO_API_KEY"]) as client:  # someone edits Orders in the UI
        orders = next(t for t in client.get(TABLES).json()["customTables"] if t["name"] == "Orders")
        orders["attributes"].append({"name": "giftNote", "valueType": "STRING"})
        body = {k: v for k, v in orders.items() if k != "id"}
        client.post(f"{TABLES}/{orders['id']}/change-requests", json=body).raise_for_status()
    before = licence.store.dump()

    refused = run("apply", "plan.json", cwd=config, env=live)

    assert refused.returncode == exit_codes.STALE_PLAN, refused.stdout + refused.stderr
    assert "live objects changed since the plan: B2C/customTable/Orders (changed" in (
        refused.stderr
    )
    assert licence.store.dump() == before


def test_json_plans_are_byte_identical_and_show_prints_the_same(
    live: dict[str, str], config: Path
) -> None:
    first = run("plan", "--format", "json", "--out", "plan.json", cwd=config, env=live)
    second = run("plan", "--format", "json", cwd=config, env=live)
    shown = run("show", "plan.json", "--format", "json", cwd=config)  # offline: no env

    assert first.returncode == second.returncode == shown.returncode == 0, shown.stderr
    assert first.stdout == second.stdout == shown.stdout
    document = json.loads(first.stdout)
    assert document["format_version"] == "1.4"
    assert document["summary"]["unmanaged"] == 1
    assert document["has_changes"] is True


def test_show_renders_a_saved_plan_as_markdown_and_for_people(
    live: dict[str, str], config: Path
) -> None:
    assert run("plan", "--out", "plan.json", cwd=config, env=live).returncode == 0

    markdown = run("show", "plan.json", "--format", "markdown", cwd=config)
    human = run("show", "plan.json", cwd=config)

    assert markdown.stdout.startswith("<!-- actito-iac-plan:local -->\n")
    assert "<details><summary><code>+ create</code> <b>B2C/customTable/Orders</b>" in (
        markdown.stdout
    )
    assert "+ create    B2C/customTable/Orders" in human.stdout
    planned = run("plan", cwd=config, env=live)
    # The same body, line for line: reviewers compare the comment with the job summary.
    assert human.stdout.split("\n", 1)[1] == planned.stdout.split("\n", 1)[1]
    assert "+ type: INTERACTIONS\n    + primaryKey: orderId" in human.stdout
    # The PR comment (`plan --format markdown`) and the job summary (`show`) are one text,
    # values of several keys included, in the order the plan gave their keys.
    commented = run("plan", "--format", "markdown", cwd=config, env=live)
    assert commented.returncode == markdown.returncode == 0, commented.stderr + markdown.stderr
    assert commented.stdout == markdown.stdout
    assert (
        "+ attributes.customerId: {valueType: LONG, mandatory: true, unique: false, "
        "indexed: true}\n"
    ) in markdown.stdout


def test_apply_with_a_file_that_is_no_saved_plan_is_an_error(
    live: dict[str, str], config: Path
) -> None:
    (config / "plain.json").write_text(run("plan", "--format", "json", cwd=config, env=live).stdout)
    (config / "junk.json").write_text("{not json")

    unsaved = run("apply", "plain.json", cwd=config, env=live)
    junk = run("apply", "junk.json", cwd=config, env=live)

    assert unsaved.returncode == junk.returncode == exit_codes.ERROR
    assert "plan --out FILE" in unsaved.stderr
    assert "junk.json is not an actito-iac plan" in junk.stderr
    no_traceback(junk)


def test_a_plan_that_cannot_be_saved_is_an_error(live: dict[str, str], config: Path) -> None:
    result = run("plan", "--out", "no/such/dir/plan.json", cwd=config, env=live)

    assert result.returncode == exit_codes.ERROR
    assert "cannot write no/such/dir/plan.json" in result.stderr
    no_traceback(result)
