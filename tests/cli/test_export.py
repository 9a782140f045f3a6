"""`export`: the live licence as manifests that plan to no changes."""

from __future__ import annotations

from pathlib import Path

from .conftest import run


def test_export_then_plan_finds_nothing_to_change(
    live: dict[str, str], config: Path, tmp_path: Path
) -> None:
    assert run("apply", "--auto-approve", cwd=config, env=live).returncode == 0
    out = tmp_path / "exported"
    result = run("export", "--out", str(out), cwd=config, env=live)
    assert result.returncode == 0, result.stderr
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*.yaml"))
    assert "B2C/profileTables/Customers.yaml" in names
    assert "B2C/customTables/LegacyCoupons.yaml" in names  # unmanaged tables are exported too
    assert len(names) == 12
    # An e-mail campaign's content is written beside its manifest, and the manifest names it.
    welcome = out / "B2C" / "emailCampaigns"
    assert (welcome / "welcome" / "img" / "logo.png").is_file()
    assert "html: welcome/index.html" in (welcome / "welcome.yaml").read_text()
    orders = (out / "B2C" / "customTables" / "Orders.yaml").read_text()
    assert "profileTable: Customers" in orders  # links by name, never by id
    assert "targetAttribute" not in orders  # defaults left implicit
    assert live["ACTITO_API_KEY"] not in orders
    hooks = "".join(p.read_text() for p in (out / "B2C" / "webhooks").glob("*.yaml"))
    assert "X-Webhook-Token: ${secret:CRM_WEBHOOK_TOKEN}" in hooks  # never the value
    plan = run("plan", str(out), "--detailed-exitcode", cwd=config, env=live)
    assert plan.returncode == 0, plan.stdout + plan.stderr


def test_export_does_not_overwrite_other_content_without_force(
    live: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "exported"
    assert run("export", "--out", str(out), env=live).returncode == 0
    target = out / "B2C" / "customTables" / "LegacyCoupons.yaml"
    target.write_text("# edited by hand\n")
    again = run("export", "--out", str(out), env=live)
    assert again.returncode == 1
    assert "--force" in again.stderr
    assert target.read_text() == "# edited by hand\n"
    forced = run("export", "--out", str(out), "--force", env=live)
    assert forced.returncode == 0
    assert "LegacyCoupons" in target.read_text()


def test_export_of_an_unknown_entity_names_the_existing_ones(
    live: dict[str, str], tmp_path: Path
) -> None:
    result = run("export", "--entity", "Retail", "--out", str(tmp_path), env=live)
    assert result.returncode == 1
    assert "existing entities: B2B, B2C" in result.stderr


def test_an_unwritable_folder_is_a_clear_error(live: dict[str, str], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("export", "--out", str(blocker / "sub"), env=live)
    assert result.returncode == 1
    assert "cannot write" in result.stderr
    assert "Traceback" not in result.stderr
