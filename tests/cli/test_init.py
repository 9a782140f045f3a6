"""`actito-iac init [DIR]`: a new project; `--from-licence` adopts a live licence into it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from actito_iac import __version__
from actito_iac.manifest.project import load_project

from ..conftest import EXAMPLE_SECRETS
from .conftest import EXAMPLES, no_traceback, run

WORKFLOWS = sorted(p.name for p in (EXAMPLES / "github").glob("*.yml"))


def test_init_writes_a_project_that_validates(tmp_path: Path) -> None:
    result = run("init", "acme", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    root = tmp_path / "acme"
    project = load_project(root / "actito-iac.yaml")
    assert project.default_environment == "local"
    assert project.environments["local"].api_url == "http://127.0.0.1:8787"
    # The environments the example workflows plan and apply.
    assert {"staging", "production"} <= set(project.environments)
    assert project.manifests == [root / "manifests"]
    assert (root / "manifests").is_dir()
    for name in WORKFLOWS:
        copied = root / ".github" / "workflows" / name
        assert copied.read_text() == (EXAMPLES / "github" / name).read_text()
    pre_commit = YAML(typ="safe").load((root / ".pre-commit-config.yaml").read_text())
    [repo] = pre_commit["repos"]
    assert repo["rev"] == f"v{__version__}"
    assert [h["id"] for h in repo["hooks"]] == ["actito-iac-validate"]
    validate = run("validate", cwd=root)
    assert validate.returncode == 0, validate.stderr


def test_init_never_overwrites_other_content_without_force(tmp_path: Path) -> None:
    assert run("init", cwd=tmp_path).returncode == 0
    again = run("init", cwd=tmp_path)
    assert again.returncode == 0  # identical files: nothing to do
    project = tmp_path / "actito-iac.yaml"
    project.write_text(project.read_text() + "# mine\n")
    (tmp_path / ".pre-commit-config.yaml").unlink()
    refused = run("init", cwd=tmp_path)
    assert refused.returncode == 1
    assert "actito-iac.yaml with other content; nothing was written" in refused.stderr
    assert project.read_text().endswith("# mine\n")
    assert not (tmp_path / ".pre-commit-config.yaml").exists()  # nothing at all was written
    no_traceback(refused)
    forced = run("init", "--force", cwd=tmp_path)
    assert forced.returncode == 0
    assert not project.read_text().endswith("# mine\n")


def test_init_into_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("")
    result = run("init", "taken", cwd=tmp_path)
    assert result.returncode == 1
    assert "taken" in result.stderr
    no_traceback(result)


def test_from_licence_adopts_it_and_plan_is_clean(
    tmp_path: Path, live: dict[str, str], licence: Any
) -> None:
    assert run("apply", "--auto-approve", env=live).returncode == 0  # a licence with tables
    result = run("init", "adopted", "--from-licence", cwd=tmp_path, env=live)
    assert result.returncode == 0, result.stderr
    root = tmp_path / "adopted"
    exported = sorted(p.stem for p in (root / "manifests").rglob("*.yaml"))
    tables = ["Customers", "LegacyCoupons", "LoyaltyEvents", "OrderLines", "Orders", "Stores"]
    assert set(tables) | {"creditLoyaltyPoints"} <= set(exported)
    # and the two webhook subscriptions and the three campaigns
    assert {"welcome", "newsletter-2026-06", "order-shipped"} <= set(exported)
    assert len(exported) == 12
    # The CRM webhook's header: this project cannot know which variable holds it, so export
    # names one and says to set it (never writing the value).
    named = "WEBHOOKSUBSCRIPTION_HEADERS_X_WEBHOOK_TOKEN"
    assert named in result.stderr
    secret = {named: EXAMPLE_SECRETS["CRM_WEBHOOK_TOKEN"]}
    plan = run("plan", "--detailed-exitcode", cwd=root, env={**live, **secret})
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "No changes." in plan.stdout
    assert "0 unmanaged" in plan.stdout
    # Run again, the manifests are there: init points at the command that merges into them.
    again = run("init", "adopted", "--from-licence", cwd=tmp_path, env=live)
    assert again.returncode == 1
    assert "actito-iac export --update" in again.stderr
    assert "--out" not in again.stderr  # init has no such option


def test_from_licence_that_cannot_be_reached_keeps_the_project(tmp_path: Path) -> None:
    env = {"ACTITO_API_URL": "http://127.0.0.1:9", "ACTITO_API_KEY": "k"}
    result = run("init", "--from-licence", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "nothing accepts connections" in result.stderr
    assert (tmp_path / "actito-iac.yaml").exists()
    no_traceback(result)


def test_init_never_writes_through_a_link_nor_reads_a_fifo(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    (root / ".github").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".github" / "workflows").symlink_to(elsewhere)
    forced = run("init", "acme", "--force", cwd=tmp_path)
    assert forced.returncode == 1
    no_traceback(forced)
    assert "symbolic link" in forced.stderr
    assert not list(elsewhere.iterdir())
    assert not (root / "actito-iac.yaml").exists()  # refused before anything was written
    (root / ".github" / "workflows").unlink()
    os.mkfifo(root / ".pre-commit-config.yaml")
    clash = run("init", "acme", cwd=tmp_path, timeout=20)  # a FIFO read would block
    assert clash.returncode == 1
    assert ".pre-commit-config.yaml" in clash.stderr
