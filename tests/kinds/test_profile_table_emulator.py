"""Profile tables end to end against the emulator: manifests → plan → apply → re-plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from actito_iac.emulator.seed import apply_seed
from actito_iac.errors import ManifestError
from actito_iac.manifest.loader import load
from actito_iac.plan.model import Action
from actito_iac.session import apply_against, plan_against
from actito_iac.vocabulary import Address

pytestmark = pytest.mark.anyio

ADDRESS = Address("B2C", "profileTable", "Customers")
MANIFEST = """\
entity: B2C
profileTables:
  - name: Customers
    displayName: Customers
    attributes:
      - {name: emailAddress, type: EMAIL_ADDRESS, mandatory: true, unique: true}
      - {name: firstName, type: FIRSTNAME}
      - {name: customerId, valueType: STRING, unique: true, maxLength: 255, displayName: Id}
      - {name: interests, valueType: STRING, multiValued: true, acceptedValues: [SPORT, HOME]}
    subscriptions:
      - {name: Newsletter}
    segmentations:
      - {name: VIP}
      - {name: Tier, segments: [Bronze, Silver, Gold], mandatory: true, defaultSegment: Bronze}
"""
ADDED = """\
      - {name: shop, valueType: STRING, description: Favourite shop}
    subscriptions:
      - {name: Newsletter}
      - {name: Promotions, channel: SMS}
"""


def manifests(folder: Path, text: str) -> Path:
    (folder / "b2c.yaml").write_text(text, encoding="utf-8")
    return folder


async def test_create_apply_then_update_with_a_manual_step(licence: Any, tmp_path: Path) -> None:
    apply_seed(licence.store, {"entities": [{"name": "B2C"}]})
    async with licence.client() as client:
        desired = load([manifests(tmp_path, MANIFEST)], {})
        actual, plan = await plan_against(client, desired)
        assert [(c.address, c.action) for c in plan.changes] == [(ADDRESS, Action.CREATE)]
        result = await apply_against(client, plan, actual, allow_destructive=False)
        assert result.ok, result.failed

        _, again = await plan_against(client, desired)
        assert not again.has_changes, again.pending

        changed = MANIFEST.replace("    subscriptions:\n      - {name: Newsletter}\n", ADDED)
        desired = load([manifests(tmp_path, changed)], {})
        actual, plan = await plan_against(client, desired)
        update, manual = plan.changes
        assert (update.action, [f.path for f in update.fields]) == (
            Action.UPDATE,
            [("attributes", "shop")],
        )
        assert manual.action is Action.MANUAL
        assert 'Add: name "Promotions", channel SMS' in manual.reason
        result = await apply_against(client, plan, actual, allow_destructive=False)
        assert result.ok, result.failed

        actual, after = await plan_against(client, desired)
        assert [(c.address, c.action) for c in after.pending] == [(ADDRESS, Action.MANUAL)]
        live = actual.objects[ADDRESS].payload
        names = [a["name"] for a in live["attributes"]]
        assert names[0] == "profileId"  # technical attributes kept by the change request
        assert "shop" in names
        assert [s["name"] for s in live["subscriptions"]] == ["Newsletter"]


async def test_a_table_without_email_subscription_never_reaches_the_api(tmp_path: Path) -> None:
    text = MANIFEST.replace("{name: Newsletter}", "{name: Newsletter, channel: SMS}")
    with pytest.raises(ManifestError) as failure:
        load([manifests(tmp_path, text)], {})
    assert "needs an EMAIL subscription" in str(failure.value.diagnostics)


async def test_a_seeded_table_matches_its_manifest_and_rows_size_the_risk(
    licence: Any, tmp_path: Path
) -> None:
    attributes = [
        {"name": "emailAddress", "type": "EMAIL_ADDRESS", "mandatory": True, "unique": True},
        {"name": "firstName", "type": "FIRSTNAME"},
        {"name": "customerId", "valueType": "STRING", "unique": True, "maxLength": 255,
         "displayName": "Id"},
        {"name": "interests", "valueType": "STRING", "multiValued": True,
         "acceptedValues": ["SPORT", "HOME"]},
    ]  # fmt: skip
    definition = {
        "name": "Customers",
        "attributes": [{"type": "CUSTOM", **a} if "type" not in a else a for a in attributes],
        "displayOptions": {
            "displayName": "Customers",
            "forAttributes": [{"name": "customerId", "displayName": "Id"}],
        },
        "subscriptions": [{"name": "Newsletter", "channel": "EMAIL"}],
        "segmentations": [
            {"name": "VIP", "type": "SIMPLE"},
            {"name": "Tier", "type": "EXCLUSIVE", "segments": ["Gold", "Silver", "Bronze"],
             "mandatory": True, "defaultSegment": "Bronze"},
        ],
    }  # fmt: skip
    for attribute in definition["attributes"]:
        attribute.pop("displayName", None)
    rows = [
        {"emailAddress": "a@example.com", "firstName": "Ann"},
        {"emailAddress": "b@example.com"},
        {"emailAddress": "c@example.com", "firstName": "Cy"},
    ]
    apply_seed(
        licence.store,
        {
            "entities": [{"name": "B2C"}],
            "profileTables": [{"entity": "B2C", "definition": definition}],
            "profiles": [{"entity": "B2C", "table": "Customers", "rows": rows}],
        },
    )
    async with licence.client() as client:
        desired = load([manifests(tmp_path, MANIFEST)], {})
        _, plan = await plan_against(client, desired)
        assert not plan.has_changes, plan.pending

        tighter = MANIFEST.replace("{name: firstName, type: FIRSTNAME}", "{name: firstName, "
                                   "type: FIRSTNAME, mandatory: true}")  # fmt: skip
        _, plan = await plan_against(client, load([manifests(tmp_path, tighter)], {}))
        (change,) = plan.changes
        assert change.action is Action.UPDATE
        assert change.impact == "3 rows"
        assert change.fields[0].impact == "1 of 3 rows have no value"
