"""A change request sends back every live key the tool does not manage, at every level.

ACTITO's UI makes settings (a "Datamart" value restriction…) whose JSON spelling is unknown;
the emulator stands in for them with `uiOnlySetting` on attributes and `datamart` inside
`valueRestriction`, and loses them when a definition comes back without them, as ACTITO would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from actito_iac.emulator.seed import apply_seed
from actito_iac.kinds.custom_table import CustomTableKind
from actito_iac.kinds.custom_table_spec import CustomTableSpec
from actito_iac.kinds.overlay import overlay_items
from actito_iac.manifest.loader import load
from actito_iac.session import apply_against, plan_against

DATAMART = {"table": "Stores", "attribute": "storeId"}
PROFILE = {
    "name": "Customers",
    "attributes": [
        {"name": "emailAddress", "type": "EMAIL_ADDRESS", "mandatory": True, "unique": True,
         "uiOnlySetting": "kept"},
        {"name": "storeId", "type": "CUSTOM", "valueType": "STRING",
         "valueRestriction": {"maxLength": 20, "datamart": DATAMART}},
    ],
    "subscriptions": [{"name": "Newsletter", "channel": "EMAIL"}],
}  # fmt: skip
ORDERS = {
    "name": "Orders",
    "type": "INTERACTIONS",
    "primaryKeyAttribute": "orderId",
    "attributes": [
        {"name": "orderId", "valueType": "STRING", "mandatory": True, "unique": True,
         "uiOnlySetting": 7},
        {"name": "storeId", "valueType": "LONG", "valueRestriction": {"datamart": DATAMART}},
    ],
}  # fmt: skip
MANIFEST = """\
entity: B2C
profileTables:
  - name: Customers
    attributes:
      - {name: emailAddress, type: EMAIL_ADDRESS, mandatory: true, unique: true}
      - {name: storeId, valueType: STRING, maxLength: 20}
      - {name: shop, valueType: STRING}
    subscriptions: [{name: Newsletter}]
customTables:
  - name: Orders
    primaryKey: orderId
    attributes:
      - {name: orderId, valueType: STRING, mandatory: true, unique: true, indexed: true}
      - {name: storeId, valueType: LONG}
"""


def attributes(stored: dict[str, Any], kind: str, name: str) -> dict[str, dict[str, Any]]:
    (table,) = [t for t in stored[kind] if t["name"] == name]
    return {a["name"]: a for a in table["attributes"]}


@pytest.mark.anyio
async def test_an_apply_keeps_what_only_the_ui_set(licence: Any, tmp_path: Path) -> None:
    apply_seed(
        licence.store,
        {
            "entities": [{"name": "B2C"}],
            "profileTables": [{"entity": "B2C", "definition": PROFILE}],
            "customTables": [{"entity": "B2C", "definition": ORDERS}],
        },
    )
    (tmp_path / "b2c.yaml").write_text(MANIFEST, encoding="utf-8")
    async with licence.client() as client:
        desired = load([tmp_path], {})
        actual, plan = await plan_against(client, desired)
        assert [str(c.address) for c in plan.executable] == [
            "B2C/customTable/Orders",
            "B2C/profileTable/Customers",
        ]
        result = await apply_against(client, plan, actual, allow_destructive=False)
        assert result.ok, result.failed
        _, again = await plan_against(client, desired)
        assert not again.has_changes
    stored = licence.store.dump()["objects"]["B2C"]
    customers = attributes(stored, "profileTable", "Customers")
    assert customers["emailAddress"]["uiOnlySetting"] == "kept"
    assert customers["storeId"]["valueRestriction"] == {"maxLength": 20, "datamart": DATAMART}
    assert "shop" in customers
    orders = attributes(stored, "customTable", "Orders")
    assert orders["orderId"]["uiOnlySetting"] == 7
    assert orders["orderId"]["indexed"] is True
    assert orders["storeId"]["valueRestriction"] == {"datamart": DATAMART}


def test_links_events_and_retention_rules_keep_their_unknown_keys() -> None:
    live = {
        "id": "u-1",
        "name": "Orders",
        "type": "INTERACTIONS",
        "primaryKeyAttribute": "orderId",
        "attributes": [{"name": "orderId", "valueType": "STRING", "mandatory": True,
                        "unique": True, "indexed": True}],
        "foreignKeys": [{"name": "to-shop", "attribute": "orderId", "onDelete": "CASCADE",
                         "skipIntegrityCheck": True,
                         "reference": {"tableType": "CUSTOM_TABLE", "tableId": "u-2",
                                       "attribute": "orderId", "entity": "B2C"}}],
        "eventsToTrigger": [{"name": "created", "triggerRules": [{"onOperation": "CREATE"}],
                             "description": "from the UI"}],
        "cleaningRules": [{"attribute": "orderId", "retentionDays": 30, "mode": "ARCHIVE"}],
        "valueAttribute": "orderId",
    }  # fmt: skip
    spec = CustomTableSpec.model_validate(
        {
            "name": "Orders",
            "primaryKey": "orderId",
            "attributes": [{"name": "orderId", "valueType": "STRING", "mandatory": True,
                            "unique": True, "indexed": True}],
            "links": [{"name": "to-shop", "attribute": "orderId", "customTable": "Shops"}],
            "events": [{"name": "created", "rules": [{"operation": "CREATE"}]}],
            "cleaningRules": [{"attribute": "orderId", "retentionDays": 60}],
        }
    )
    body = CustomTableKind().payload(spec, lambda kind, name: "u-2", live)
    (link,) = body["foreignKeys"]
    assert link["skipIntegrityCheck"] is True
    assert link["reference"] == {
        "tableType": "CUSTOM_TABLE",
        "tableId": "u-2",
        "attribute": "orderId",
        "entity": "B2C",
    }
    assert body["eventsToTrigger"][0]["description"] == "from the UI"
    (rule,) = body["cleaningRules"]
    assert rule == {"attribute": "orderId", "retentionDays": 60, "mode": "ARCHIVE"}
    assert body["valueAttribute"] == "orderId"


def test_a_managed_key_left_out_is_removed_and_an_unknown_one_kept() -> None:
    live = [{"name": "a", "mandatory": True, "valueRestriction": {"maxLength": 3, "x": 1}}]
    desired = [{"name": "a", "mandatory": False}]
    (merged,) = overlay_items(
        live, desired, key="name", managed=("name", "mandatory"),
        nested={"valueRestriction": ("maxLength",)},
    )  # fmt: skip
    assert merged == {"name": "a", "mandatory": False, "valueRestriction": {"x": 1}}
    (fresh,) = overlay_items([], desired, key="name", managed=("name",))
    assert fresh == {"name": "a", "mandatory": False}
