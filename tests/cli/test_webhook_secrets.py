"""Secret headers (a webhook subscription's, a custom action's), through every command: their
value never appears in the human, JSON or Markdown plan, in a saved plan, in an error, or in
an exported file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from actito_iac.emulator.seed import apply_seed

from .conftest import no_traceback, run

HEADER = "crm-header-5e1f0c2a"
ROTATED = "crm-header-rotated-77d4"
MANIFEST = """\
entity: B2C
profileTables:
  - name: Customers
    attributes:
      - {name: emailAddress, type: EMAIL_ADDRESS, mandatory: true, unique: true}
    subscriptions: [{name: Newsletter}]
customTables:
  - name: Orders
    primaryKey: orderId
    attributes:
      - {name: orderId, valueType: STRING, mandatory: true, unique: true}
webhooks:
  - profileTable: Customers
    eventType: CREATE
    targetUrl: https://crm.example.com/hooks/new
    headers: {X-Token: '${secret:CRM_TOKEN}'}
customActions:
  - name: notifyCrm
    url: https://crm.example.com/actito/notify
    headers: {Authorization: '${secret:CRM_TOKEN}'}
"""
REFUSED = """\
---
entity: B2C
webhooks:
  - customTable: Orders
    eventType: UPDATE
    targetUrl: https://erp.example.com/hooks/orders
    headers: {X-Token: '${secret:CRM_TOKEN}'}
"""


def test_a_secret_header_is_never_shown(live: dict[str, str], licence: Any, tmp_path: Path) -> None:
    apply_seed(licence.store, {"entities": [{"name": "B2C"}]})
    (tmp_path / "manifests").mkdir()
    manifest = tmp_path / "manifests" / "b2c.yaml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    outputs: list[str] = []

    def cli(*args: str, token: str = HEADER) -> int:
        result = run(*args, "manifests", cwd=tmp_path, env={**live, "CRM_TOKEN": token})
        no_traceback(result)
        outputs.append(result.stdout + result.stderr)
        return result.returncode

    assert cli("plan") == 0
    assert cli("plan", "--format", "json") == 0
    assert cli("plan", "--format", "markdown") == 0
    assert cli("plan", "--out", "plan.json") == 0
    assert cli("apply", "--auto-approve") == 0
    assert cli("plan", "--detailed-exitcode") == 0  # converged: the header compares equal
    # A rotated secret shows as a change of digest, never as either value.
    assert cli("plan", "--detailed-exitcode", "--format", "json", token=ROTATED) == 2
    assert '"*** (sha256:' in outputs[-1]
    assert cli("plan", "--out", "rotated.json", token=ROTATED) == 0
    # An apply ACTITO refuses (Orders declares no UPDATE event) reports its error.
    manifest.write_text(MANIFEST + REFUSED, encoding="utf-8")
    assert cli("apply", "--auto-approve") == 1
    assert "declares no UPDATE event" in outputs[-1]
    exported = run("export", "--out", "exported", cwd=tmp_path, env=live)
    outputs.append(exported.stdout + exported.stderr)
    assert "WEBHOOKSUBSCRIPTION_HEADERS_X_TOKEN" in exported.stderr  # to set, never the value

    printed = "\n".join(outputs)
    files = [tmp_path / "plan.json", tmp_path / "rotated.json"]
    files += list((tmp_path / "exported").rglob("*.yaml"))
    assert "X-Token" in printed
    for secret in (HEADER, ROTATED):
        assert secret not in printed
        for written in files:
            assert secret not in written.read_text(encoding="utf-8"), written
    hooks = list((tmp_path / "exported" / "B2C" / "webhooks").glob("*.yaml"))
    assert len(hooks) == 1
    assert "${secret:WEBHOOKSUBSCRIPTION_HEADERS_X_TOKEN}" in hooks[0].read_text()
    action = tmp_path / "exported" / "B2C" / "customActions" / "notifyCrm.yaml"
    assert "${secret:CUSTOMACTION_HEADERS_AUTHORIZATION}" in action.read_text()
