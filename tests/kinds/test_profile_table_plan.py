"""Profile tables through the planner, on hand-built values: no HTTP, no files."""

from __future__ import annotations

import copy
from typing import Any

from actito_iac.actual import Actual, LiveObject
from actito_iac.errors import SourceLocation
from actito_iac.kinds.profile_table import ProfileTableKind
from actito_iac.kinds.profile_table_spec import ProfileTableSpec
from actito_iac.manifest.desired import Desired, DesiredObject
from actito_iac.plan.model import Action, Plan
from actito_iac.plan.planner import make_plan
from actito_iac.vocabulary import Address, Risk

HERE = SourceLocation("b2c.yaml", 3, 5)
KIND = ProfileTableKind()
KINDS = (KIND,)
ADDRESS = Address("B2C", "profileTable", "Customers")
PROFILE_ID = {"type": "CUSTOM", "name": "profileId", "unique": True, "mandatory": True,
              "valueType": "INTEGER", "multiValued": False}  # fmt: skip


def NO_IDS(kind: str, name: str) -> str:
    raise KeyError(name)


def desired(doc: dict[str, Any]) -> Desired:
    spec = ProfileTableSpec.model_validate(doc)
    return Desired((DesiredObject(ADDRESS, spec, HERE),), {"B2C": (HERE,)}, ("b2c.yaml",))


def actual(doc: dict[str, Any] | None) -> Actual:
    if doc is None:
        return Actual(("B2C",))
    body = KIND.payload(ProfileTableSpec.model_validate(doc), NO_IDS, None)
    payload = {"id": "16", **body, "attributes": [PROFILE_ID, *body["attributes"]]}
    live = LiveObject("16", KIND.spec_from_payload(payload, lambda k, i: None), payload)
    return Actual(("B2C",), {ADDRESS: live})


def plan(want: dict[str, Any], have: dict[str, Any] | None) -> Plan:
    return make_plan(desired(want), actual(have), KINDS)


def test_identical_live_and_desired_tables_plan_nothing(customers: dict[str, Any]) -> None:
    result = plan(customers, copy.deepcopy(customers))
    assert [c.action for c in result.changes] == [Action.NO_OP]
    assert not result.has_changes


def test_a_missing_table_is_created_with_its_subscriptions(customers: dict[str, Any]) -> None:
    (change,) = plan(customers, None).changes
    assert change.action is Action.CREATE
    assert change.after is not None
    assert change.after["subscriptions"] == {"Newsletter": {"channel": "EMAIL"}}


def test_an_attribute_change_and_a_new_subscription_are_an_update_and_a_manual_step(
    customers: dict[str, Any],
) -> None:
    live = copy.deepcopy(customers)
    customers["attributes"].append({"name": "shop", "valueType": "STRING"})
    customers["subscriptions"].append({"name": "Promotions", "channel": "SMS"})

    update, manual = plan(customers, live).changes

    assert (update.address, update.action, update.risk) == (ADDRESS, Action.UPDATE, Risk.SAFE)
    assert [f.path for f in update.fields] == [("attributes", "shop")]
    assert (manual.address, manual.action) == (ADDRESS, Action.MANUAL)
    assert [f.path for f in manual.fields] == [("subscriptions", "Promotions")]
    assert 'Add: name "Promotions", channel SMS' in manual.reason
    assert manual.spec is None  # nothing for the executor to write


def test_removing_a_segmentation_alone_is_a_destructive_manual_step(
    customers: dict[str, Any],
) -> None:
    live = copy.deepcopy(customers)
    customers["segmentations"].pop(0)
    (change,) = plan(customers, live).changes
    assert (change.action, change.risk) == (Action.MANUAL, Risk.DESTRUCTIVE)
    assert 'delete segmentation "VIP"' in change.reason
    assert not make_plan(desired(customers), actual(live), KINDS).executable


def test_a_type_change_blocks_the_api_changes_but_not_the_manual_ones(
    customers: dict[str, Any],
) -> None:
    live = copy.deepcopy(customers)
    customers["attributes"][3]["valueType"] = "LONG"
    customers["attributes"][3].pop("maxLength")
    customers["segmentations"][1]["history"] = False
    blocked, manual = plan(customers, live).changes
    assert blocked.action is Action.BLOCKED
    assert "the valueType of attribute 'customerId' cannot be changed" in blocked.reason
    assert manual.action is Action.MANUAL
    assert "history not tracked" in manual.reason


def test_a_rename_intent_is_explained_not_dropped_and_created(customers: dict[str, Any]) -> None:
    live = copy.deepcopy(customers)
    live["attributes"].append({"name": "oldName", "valueType": "STRING"})
    customers["attributes"].append(
        {"name": "newName", "valueType": "STRING", "renamedFrom": "oldName"}
    )
    (change,) = plan(customers, live).changes
    assert change.action is Action.BLOCKED
    assert "rename 'oldName' → 'newName'" in change.reason


def test_a_table_rename_intent_is_blocked_with_the_way_around(customers: dict[str, Any]) -> None:
    live = copy.deepcopy(customers)
    customers.update(name="Clients", renamedFrom="Customers")
    spec = ProfileTableSpec.model_validate(customers)
    address = Address("B2C", "profileTable", "Clients")
    wanted = Desired((DesiredObject(address, spec, HERE),), {"B2C": (HERE,)}, ("b2c.yaml",))
    (change,) = make_plan(wanted, actual(live), KINDS).changes
    assert (change.address, change.action) == (address, Action.BLOCKED)
    assert "rename 'Customers' → 'Clients'" in change.reason
