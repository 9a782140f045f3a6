"""`--prune` from the command line: asked twice (with --allow-destructive), saved with the
plan, refused for a kind the API cannot delete, and never taking a path for a kind silently."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from actito_iac import exit_codes

from .conftest import no_traceback, run


def test_pruned_subscriptions_are_deleted_only_when_asked_twice(
    live: dict[str, str], config: Path, licence: Any
) -> None:
    assert run("apply", "--auto-approve", cwd=config, env=live).returncode == 0
    licence.design_examples_in_ui()
    (config / "manifests" / "b2c" / "webhooks.yaml").unlink()

    kept = run("apply", "--auto-approve", "--allow-destructive", cwd=config, env=live)
    assert kept.returncode == 0, kept.stderr
    assert "plan --prune webhookSubscription would delete it" in kept.stdout
    assert "✓ done" not in kept.stdout  # without --prune nothing is deleted

    saved = run(
        "plan", "--prune", "webhookSubscription", "--out", "plan.json", cwd=config, env=live
    )
    assert saved.returncode == 0, saved.stderr
    document = json.loads((config / "plan.json").read_text())
    assert document["selection"]["prune"] == ["webhookSubscription"]
    assert document["summary"]["delete"] == 2
    refused = run("apply", "plan.json", cwd=config, env=live)
    assert refused.returncode == exit_codes.DESTRUCTIVE_REFUSED
    applied = run("apply", "plan.json", "--allow-destructive", cwd=config, env=live)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert applied.stdout.count("✓ done  delete B2C/webhookSubscription/") == 2
    again = run("plan", "--prune", "--detailed-exitcode", cwd=config, env=live)
    assert again.returncode == 0, again.stdout  # a bare --prune: the tables stay, saying why
    assert "cannot be deleted through the API" in again.stdout


def test_prune_names_a_kind_the_api_can_delete(live: dict[str, str], config: Path) -> None:
    table = run("plan", "--prune", "customTable", cwd=config, env=live)
    assert table.returncode == 1
    assert "a custom table cannot be deleted" in table.stderr
    path = run("plan", "--prune", "manifests", cwd=config, env=live)
    assert path.returncode == 1
    assert "no such kind" in path.stderr
    assert "write manifest paths before it" in path.stderr
    saved = run("apply", "plan.json", "--prune", cwd=config, env=live)
    assert saved.returncode == 1
    assert "the saved plan records them" in saved.stderr
    for result in (table, path, saved):
        no_traceback(result)


def test_apply_prunes_the_kinds_named_without_a_saved_plan(
    live: dict[str, str], config: Path, licence: Any
) -> None:
    assert run("apply", "--auto-approve", cwd=config, env=live).returncode == 0
    licence.design_examples_in_ui()
    (config / "manifests" / "b2c" / "webhooks.yaml").unlink()
    (config / "manifests" / "b2c" / "custom-actions.yaml").unlink()
    before = licence.store.dump()

    once = run("apply", "--prune", "webhookSubscription", "--auto-approve", cwd=config, env=live)
    assert once.returncode == exit_codes.DESTRUCTIVE_REFUSED, once.stdout + once.stderr
    assert licence.store.dump() == before  # asked once: nothing deleted

    hooks = run(
        "apply", "--prune", "webhookSubscription", "--auto-approve", "--allow-destructive",
        cwd=config, env=live,
    )  # fmt: skip
    assert hooks.returncode == 0, hooks.stdout + hooks.stderr
    assert hooks.stdout.count("✓ done  delete B2C/webhookSubscription/") == 2
    assert "✓ done  delete B2C/customAction/" not in hooks.stdout  # not named: kept
    assert "plan --prune customAction would delete it" in hooks.stdout

    both = run(
        "apply", "--prune", "customAction", "--prune", "webhookSubscription",
        "--auto-approve", "--allow-destructive", cwd=config, env=live,
    )  # fmt: skip
    assert both.returncode == 0, both.stdout + both.stderr
    assert both.stdout.count("✓ done  delete ") == 1
    assert "✓ done  delete B2C/customAction/creditLoyaltyPoints" in both.stdout
    stored = licence.store.dump()["objects"]["B2C"]
    assert not stored.get("webhookSubscription")
    assert not stored.get("customAction")
    again = run(
        "plan", "--prune", "webhookSubscription", "--prune", "customAction",
        "--detailed-exitcode", cwd=config, env=live,
    )  # fmt: skip
    assert again.returncode == 0, again.stdout
    for result in (once, hooks, both):
        no_traceback(result)
