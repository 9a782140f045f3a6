"""Export a team can adopt: literal `${` kept, never a second copy of the manifests,
`--update` merging into the files a team already has, variables written back as references."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from ruamel.yaml import YAML

from actito_iac import exit_codes, export_merge
from actito_iac.cli import _main

from .conftest import no_traceback, run

STORES = Path("manifests") / "b2c" / "stores.yaml"
WEBHOOKS = Path("manifests") / "b2c" / "webhooks.yaml"


def env(live: dict[str, str]) -> dict[str, str]:
    """The examples' secrets are set for every test (tests/conftest.py)."""
    return dict(live)


def test_a_literal_dollar_brace_in_the_licence_round_trips(
    live: dict[str, str], served: str, licence: Any, tmp_path: Path
) -> None:
    """A text holding `${` (a label, a description) is written `$${`: validate reads it back as
    the text, and plan finds nothing to change."""
    table = {
        "name": "Prices",
        "type": "INTERACTIONS",
        "primaryKeyAttribute": "code",
        "attributes": [{"name": "code", "valueType": "STRING", "mandatory": True, "unique": True}],
        "displayOptions": {
            "description": "Price in ${currency}, $${ as is",
            "forAttributes": [{"name": "code", "displayName": "Code ${x}"}],
        },
    }
    created = httpx.post(
        f"{served}/custom-table-structure/v5/entities/B2C/custom-tables",
        json=table,
        headers={"Authorization": f"Bearer {_token(served, licence)}"},
    )
    assert created.status_code == 201, created.text
    out = tmp_path / "exported"

    exported = run("export", "--out", str(out), env=env(live))

    assert exported.returncode == 0, exported.stderr
    text = (out / "B2C" / "customTables" / "Prices.yaml").read_text(encoding="utf-8")
    assert "Price in $${currency}, $$${ as is" in text
    assert "Code $${x}" in text
    plan = run("plan", str(out), "--detailed-exitcode", env=env(live))
    assert plan.returncode == 0, plan.stdout + plan.stderr


def _token(served: str, licence: Any) -> str:
    answer = httpx.get(f"{served}/auth/token", headers={"Authorization": licence.api_key})
    token = answer.json()["accessToken"]
    assert isinstance(token, str)
    return token


def test_an_export_into_the_manifests_folder_is_refused_without_update(
    live: dict[str, str], config: Path
) -> None:
    before = {p: p.read_bytes() for p in (config / "manifests").rglob("*") if p.is_file()}

    refused = run("export", cwd=config, env=env(live))

    assert refused.returncode == exit_codes.ERROR
    assert "where the project loads its manifests from" in refused.stderr
    assert "--update" in refused.stderr
    after = {p: p.read_bytes() for p in (config / "manifests").rglob("*") if p.is_file()}
    assert after == before
    nested = run("export", "--out", "manifests/b2c/more", cwd=config, env=env(live))
    assert nested.returncode == exit_codes.ERROR
    assert not (config / "manifests" / "b2c" / "more").exists()
    no_traceback(nested)


def test_update_merges_into_the_files_keeping_comments_order_and_references(
    live: dict[str, str], served: str, config: Path
) -> None:
    assert run("apply", "--auto-approve", cwd=config, env=env(live)).returncode == 0
    stores = config / STORES
    text = stores.read_text(encoding="utf-8")
    # A team's own touches: a comment on an attribute, keys in an order of its own.
    text = text.replace(
        "      - {name: city, valueType: STRING, indexed: true}",
        "      - {name: city, indexed: true, valueType: STRING}  # where the store is",
    )
    stores.write_text(text, encoding="utf-8")
    # Meanwhile, in the ACTITO UI: an attribute added to Stores, and the ERP subscription gone.
    ui = f"{served}/__emulator__/ui/entities/B2C/custom-tables/Stores/attributes"
    assert httpx.post(ui, json={"name": "phone", "valueType": "STRING"}).status_code == 200
    hooks = httpx.get(f"{served}/__emulator__/state").json()["objects"]["B2C"]
    erp = next(h for h in hooks["webhookSubscription"] if "erp" in h["targetUrl"])
    _delete_webhook(served, live, erp["id"])

    merged = run("export", "--update", "--out", "manifests", cwd=config, env=env(live))

    assert merged.returncode == 0, merged.stdout + merged.stderr
    after = stores.read_text(encoding="utf-8")
    assert after.startswith("# yaml-language-server: $schema=../../../schemas/manifest.schema.json")
    assert "- {name: city, indexed: true, valueType: STRING}  # where the store is" in after
    assert "- {name: phone, valueType: STRING}" in after
    assert after.index("name: Stores") < after.index("name: LoyaltyEvents")  # its place kept
    assert after.replace("      - {name: phone, valueType: STRING}\n", "", 1) == text
    webhooks = (config / WEBHOOKS).read_text(encoding="utf-8")
    assert "https://erp.example.com/actito/order-status" in webhooks  # gone: reported, kept
    assert "'${secret:CRM_WEBHOOK_TOKEN}'" in webhooks  # a reference stays a reference
    assert "is no longer in the licence; it stays in the file" in merged.stderr
    assert "webhookSubscription/customTable:Orders:UPDATE" in merged.stderr
    # No second copy: only the table the licence holds and no manifest declares is added.
    added = [p.relative_to(config) for p in (config / "manifests").rglob("*.yaml")]
    assert [p for p in added if p.parts[1] == "B2C"] == [
        Path("manifests/B2C/customTables/LegacyCoupons.yaml")
    ]
    plan = run("plan", "--format", "json", cwd=config, env=env(live))
    assert plan.returncode == 0, plan.stderr
    # Only the subscription the licence lost is left for the API: the files still declare it
    # (the scenarios and forms of the examples are manual steps, before and after).
    assert [(c["action"], c["address"]["kind"]) for c in _executable(plan.stdout)] == [
        ("create", "webhookSubscription")
    ]


def test_update_writes_new_objects_as_new_files_and_twice_changes_nothing(
    live: dict[str, str], config: Path
) -> None:
    (config / "manifests" / "b2c" / "custom-actions.yaml").unlink()
    assert run("apply", "--auto-approve", cwd=config, env=env(live)).returncode == 0
    # The custom action exists live (seeded), in no manifest now.
    first = run("export", "--update", "--out", "manifests", cwd=config, env=env(live))

    assert first.returncode == 0, first.stderr
    added = sorted(p.relative_to(config) for p in (config / "manifests" / "B2C").rglob("*.yaml"))
    assert added, first.stderr
    assert all("customAction" not in str(p) or "customActions" in str(p) for p in added)
    snapshot = {p: p.read_bytes() for p in (config / "manifests").rglob("*") if p.is_file()}
    second = run("export", "--update", "--out", "manifests", cwd=config, env=env(live))
    assert second.returncode == 0, second.stderr
    assert "Updated 0 file(s); 0 new object(s) written" in second.stderr
    again = {p: p.read_bytes() for p in (config / "manifests").rglob("*") if p.is_file()}
    assert again == snapshot
    plan = run("plan", "--format", "json", cwd=config, env=env(live))
    assert plan.returncode == 0, plan.stderr
    assert _executable(plan.stdout) == []


def test_update_reads_again_only_the_files_it_merges_into(
    live: dict[str, str], served: str, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each file is read again for the round trip (5 ms each with comments kept): a file whose
    # objects already say what the licence holds is not, so ten thousand in sync stay cheap.
    assert run("apply", "--auto-approve", cwd=config, env=env(live)).returncode == 0
    ui = f"{served}/__emulator__/ui/entities/B2C/custom-tables/Stores/attributes"
    assert httpx.post(ui, json={"name": "phone", "valueType": "STRING"}).status_code == 200
    read: list[str] = []
    load = export_merge._load

    def counted(path: Path, digest: str | None) -> Any:
        read.append(path.as_posix())
        return load(path, digest)

    monkeypatch.setattr(export_merge, "_load", counted)
    for name, value in {**env(live), "NO_COLOR": "1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(config)

    assert _main(["export", "--update", "--out", "manifests"]) == exit_codes.OK
    assert STORES.as_posix() in read
    in_sync = {"orders.yaml", "customers.yaml", "webhooks.yaml", "forms.yaml", "scenarios.yaml"}
    assert not {Path(path).name for path in read} & in_sync
    assert "- {name: phone, valueType: STRING}" in (config / STORES).read_text(encoding="utf-8")


def test_values_equal_to_a_variable_are_written_as_references(
    live: dict[str, str], config: Path, tmp_path: Path
) -> None:
    assert run("apply", "--auto-approve", cwd=config, env=env(live)).returncode == 0
    project = config / "actito-iac.yaml"
    text = project.read_text(encoding="utf-8")
    text = text.replace(
        "    apiKeyEnv: ACTITO_API_KEY\n",
        "    apiKeyEnv: ACTITO_API_KEY\n"
        "    variables:\n"
        "      CRM_URL: https://crm.example.com/actito/new-customer\n"
        "      NAME_LENGTH: 80\n"
        "      YES: true\n",
        1,
    )
    project.write_text(text, encoding="utf-8")
    out = tmp_path / "exported"

    exported = run("export", "--env", "local", "--out", str(out), cwd=config, env=env(live))

    assert exported.returncode == 0, exported.stdout + exported.stderr
    hooks = "".join(p.read_text() for p in (out / "B2C" / "webhooks").glob("*.yaml"))
    assert "targetUrl: ${var:CRM_URL}" in hooks
    stores = (out / "B2C" / "customTables" / "Stores.yaml").read_text(encoding="utf-8")
    assert "maxLength: '${var:NAME_LENGTH}'" in stores
    assert "${var:YES}" not in stores  # booleans never: `true` is everywhere
    assert "CRM_URL ×1, NAME_LENGTH ×1" in exported.stderr
    assert "environment 'local'" in exported.stderr
    YAML(typ="safe").load(stores)  # valid YAML: the reference is quoted in a flow mapping
    plan = run("plan", str(out), "--format", "json", "--env", "local", cwd=config, env=env(live))
    assert plan.returncode == 0, plan.stderr
    assert _executable(plan.stdout) == []


def _executable(stdout: str) -> list[dict[str, Any]]:
    """The changes the API would make (manual steps, for the examples' scenarios and forms,
    are a person's in the UI whatever the files say)."""
    changes = json.loads(stdout)["changes"]
    assert isinstance(changes, list)
    return [c for c in changes if c["action"] in ("create", "update", "replace", "delete")]


def _delete_webhook(served: str, live: dict[str, str], webhook_id: Any) -> None:
    token = httpx.get(
        f"{served}/auth/token", headers={"Authorization": live["ACTITO_API_KEY"]}
    ).json()["accessToken"]
    answer = httpx.delete(
        f"{served}/webhooks/v4/entity/B2C/webhookSubscription/{webhook_id}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 204, answer.text
