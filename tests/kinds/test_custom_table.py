"""Custom tables: payload round trips, links by name, judged changes, reference checks."""

from __future__ import annotations

from typing import Any

import pytest

from actito_iac.actual import Actual, LiveObject
from actito_iac.errors import LiveStateError, SourceLocation
from actito_iac.kinds.custom_table import CustomTableKind, payload_from_spec, spec_from_payload
from actito_iac.kinds.custom_table_spec import CustomTableSpec
from actito_iac.kinds.profile_table import ProfileTableKind
from actito_iac.manifest.desired import Desired, DesiredObject
from actito_iac.plan.planner import check_cycles, make_plan
from actito_iac.vocabulary import Address, Risk

KIND = CustomTableKind()
IDS = {("profileTable", "Customers"): "97", ("customTable", "Stores"): "uuid-stores"}
NAMES = {(kind, table_id): name for (kind, name), table_id in IDS.items()}


def ids(kind: str, name: str) -> str:
    return IDS[(kind, name)]


def names(kind: str, table_id: str) -> str | None:
    return NAMES.get((kind, table_id))


def orders(**changes: Any) -> CustomTableSpec:
    doc: dict[str, Any] = {
        "name": "Orders",
        "type": "INTERACTIONS",
        "displayName": "Online orders",
        "primaryKey": "orderId",
        "creationTime": "moment",
        "attributes": [
            {"name": "orderId", "valueType": "STRING", "mandatory": True, "unique": True},
            {"name": "moment", "valueType": "TIMESTAMP", "mandatory": True},
            {"name": "customerId", "valueType": "LONG", "description": "Who ordered"},
            {"name": "storeId", "valueType": "LONG"},
            {"name": "status", "valueType": "STRING", "acceptedValues": ["NEW", "SHIPPED"]},
        ],
        "links": [
            {"name": "to-customer", "attribute": "customerId", "profileTable": "Customers"},
            {
                "name": "to-store",
                "attribute": "storeId",
                "customTable": "Stores",
                "onDelete": "SET_NULL",
            },
        ],
        "events": [
            {
                "name": "shipped",
                "rules": [
                    {
                        "operation": "UPDATE",
                        "anyAttribute": ["status"],
                        "after": [{"attribute": "status", "operator": "=", "value": "SHIPPED"}],
                    }
                ],
            }
        ],
        "cleaningRules": [{"attribute": "moment", "retentionDays": 365}],
    }
    doc.update(changes)
    return CustomTableSpec.model_validate(doc)


def test_links_are_written_with_ids_and_read_back_as_names() -> None:
    body = payload_from_spec(orders(), ids)
    references = {fk["name"]: fk["reference"] for fk in body["foreignKeys"]}
    assert references["to-customer"] == {
        "tableType": "PROFILE_TABLE",
        "tableId": "97",
        "attribute": "customerId",
    }
    assert references["to-store"]["tableId"] == "uuid-stores"
    back = spec_from_payload({"id": "x", **body}, names)
    assert KIND.canonical(back) == KIND.canonical(orders())


def test_events_cleaning_rules_and_display_texts_round_trip() -> None:
    body = payload_from_spec(orders(), ids)
    assert body["eventsToTrigger"][0]["triggerRules"][0]["matchingConditions"] == {
        "stateAfterOperation": [{"attribute": "status", "operator": "=", "value": "SHIPPED"}]
    }
    assert body["cleaningRules"] == [{"attribute": "moment", "retentionDays": 365}]
    assert body["displayOptions"]["displayName"] == "Online orders"
    assert {"name": "customerId", "description": "Who ordered"} in body["displayOptions"][
        "forAttributes"
    ]


def test_a_link_to_a_table_that_cannot_be_found_is_read_visibly() -> None:
    body = payload_from_spec(orders(), ids)
    back = spec_from_payload({"id": "x", **body}, lambda kind, table_id: None)
    assert back.links[0].profileTable == "(unknown id 97)"


def test_a_change_request_keeps_what_the_tool_does_not_manage() -> None:
    live = {"id": "x", **payload_from_spec(orders(), ids), "valueAttribute": "amount"}
    body = KIND.payload(orders(), ids, live)
    assert body["valueAttribute"] == "amount"
    assert "id" not in body


def test_technical_attributes_are_never_declared_read_or_sent_but_kept_live() -> None:
    """[DOC] ACTITO generates a table's id and moments: a create never carries them, a change
    request sends back what the live definition lists, reading leaves them out."""
    create = KIND.payload(orders(), ids, None)
    assert "id" not in create
    moment = {"name": "creationMoment", "valueType": "TIMESTAMP", "mandatory": True}
    live = {"id": "x", **payload_from_spec(orders(), ids)}
    live["attributes"] = [moment, *live["attributes"]]
    assert "creationMoment" not in KIND.canonical(spec_from_payload(live, names))["attributes"]
    change = KIND.payload(orders(), ids, live)
    assert change["attributes"][0] == moment
    assert [a["name"] for a in change["attributes"]].count("creationMoment") == 1
    declared = orders(
        attributes=[
            {"name": "orderId", "valueType": "STRING", "mandatory": True, "unique": True},
            {"name": "updateMoment", "valueType": "TIMESTAMP"},
        ],
        creationTime=None,
        links=[],
        events=[],
        cleaningRules=[],
    )
    assert [i.message for i in KIND.check(declared)] == [
        "'updateMoment' is a technical attribute: generated by ACTITO, never declared"
    ]


@pytest.mark.parametrize(
    ("path", "before", "after", "risk", "blocked"),
    [
        (("links", "to-store"), {"onDelete": "CASCADE"}, None, Risk.DESTRUCTIVE, False),
        (("links", "to-store"), {"onDelete": "SET_NULL"}, None, Risk.SAFE, False),
        (("links", "to-store"), None, {"onDelete": "CASCADE"}, Risk.MAY_FAIL_ON_DATA, False),
        (("cleaningRules", "moment"), None, 365, Risk.DESTRUCTIVE, False),
        (("cleaningRules", "moment"), 365, 100, Risk.DESTRUCTIVE, False),
        (("cleaningRules", "moment"), 100, 365, Risk.SAFE, False),
        (("events", "shipped"), None, {"rules": []}, Risk.SAFE, False),
        (("type",), "INTERACTIONS", "REPOSITORY", Risk.SAFE, True),
        (("attributes", "status", "minLength"), None, 2, Risk.SAFE, True),
    ],
)
def test_judged_changes(
    path: tuple[str, ...], before: Any, after: Any, risk: Risk, blocked: bool
) -> None:
    verdict = KIND.judge(path, before, after)
    assert verdict.risk is risk
    assert bool(verdict.blocked) is blocked


def desired(*specs: CustomTableSpec) -> Desired:
    where = SourceLocation("b2c.yaml", 2, 1)
    objects = tuple(DesiredObject(Address("B2C", "customTable", s.name), s, where) for s in specs)
    return Desired(objects, {"B2C": (where,)}, ("b2c.yaml",))


def test_a_link_to_a_table_that_exists_nowhere_fails_the_plan() -> None:
    with pytest.raises(LiveStateError) as missing:
        make_plan(desired(orders()), Actual(("B2C",), {}))
    text = str(missing.value)
    assert "profileTable 'Customers'" in text
    assert "customTable 'Stores'" in text
    assert "b2c.yaml:2" in text


def test_a_link_to_a_live_table_orders_nothing_and_plans_a_create() -> None:
    stores = {
        "id": "uuid-stores",
        "name": "Stores",
        "primaryKeyAttribute": "storeId",
        "attributes": [{"name": "storeId", "valueType": "LONG", "unique": True}],
    }
    customers = {
        "id": "97",
        "name": "Customers",
        "attributes": [
            {"type": "CUSTOM", "name": "customerId", "valueType": "LONG", "unique": True}
        ],
    }
    live = {
        Address("B2C", "customTable", "Stores"): LiveObject(
            "uuid-stores", spec_from_payload(stores, names), stores
        ),
        Address("B2C", "profileTable", "Customers"): LiveObject(
            "97", ProfileTableKind().spec_from_payload(customers, names), customers
        ),
    }
    plan = make_plan(desired(orders()), Actual(("B2C",), live))
    change = next(c for c in plan.changes if c.address.name == "Orders")
    assert change.depends_on == (
        Address("B2C", "customTable", "Stores"),
        Address("B2C", "profileTable", "Customers"),
    )


def test_a_self_reference_is_not_a_cycle_but_two_tables_linking_each_other_are() -> None:
    attrs = [{"name": "id", "valueType": "LONG", "mandatory": True, "unique": True}]
    parent = {"name": "up", "attribute": "id", "customTable": "Tree"}
    tree = CustomTableSpec.model_validate(
        {"name": "Tree", "primaryKey": "id", "attributes": attrs, "links": [parent]}
    )
    assert check_cycles(desired(tree)) == []
    a = CustomTableSpec.model_validate(
        {
            "name": "A",
            "primaryKey": "id",
            "attributes": attrs,
            "links": [{"name": "ab", "attribute": "id", "customTable": "B"}],
        }
    )
    b = CustomTableSpec.model_validate(
        {
            "name": "B",
            "primaryKey": "id",
            "attributes": attrs,
            "links": [{"name": "ba", "attribute": "id", "customTable": "A"}],
        }
    )
    [problem] = check_cycles(desired(a, b))
    assert "customTable 'A'" in problem.message
    assert "customTable 'B'" in problem.message


def test_each_link_relies_on_a_unique_target_attribute() -> None:
    uses = KIND.uses("B2C", orders())
    unique = (("unique", True),)
    assert [(u.target, u.path, u.requires) for u in uses] == [
        (Address("B2C", "profileTable", "Customers"), ("attributes", "customerId"), unique),
        (Address("B2C", "customTable", "Stores"), ("attributes", "storeId"), unique),
    ]
    assert uses[0].what == "links through 'to-customer' to attribute 'customerId'"


def test_a_profile_table_serves_its_technical_attributes_to_links() -> None:
    profile = ProfileTableKind()
    assert profile.used_field({"attributes": {}}, ("attributes", "profileId", "unique")) is True
    assert profile.used_field({"attributes": {}}, ("attributes", "nope")) is None
