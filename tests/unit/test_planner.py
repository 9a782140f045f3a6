"""The planner on hand-built values: no HTTP, no files."""

from __future__ import annotations

from typing import Any

import pytest

from actito_iac.actual import Actual, LiveObject
from actito_iac.apply import check_applicable
from actito_iac.errors import ApplyRefused, SourceLocation
from actito_iac.kinds.custom_table import CustomTableSpec, payload_from_spec, spec_from_payload
from actito_iac.manifest.desired import Desired, DesiredObject
from actito_iac.plan.model import Action, Plan
from actito_iac.plan.planner import make_plan
from actito_iac.vocabulary import Address, Risk

HERE = SourceLocation("b2c.yaml", 3, 5)


def NO_IDS(kind: str, name: str) -> str:
    raise KeyError(name)


def NO_NAMES(kind: str, object_id: str) -> str | None:
    return None


def table(name: str = "Orders", **changes: Any) -> CustomTableSpec:
    doc: dict[str, Any] = {
        "name": name,
        "primaryKey": "orderId",
        "creationTime": "orderMoment",
        "attributes": [
            {"name": "orderId", "valueType": "STRING", "mandatory": True, "unique": True},
            {"name": "orderMoment", "valueType": "TIMESTAMP", "mandatory": True},
            {"name": "status", "valueType": "STRING", "acceptedValues": ["NEW", "SHIPPED"]},
        ],
    }
    doc.update(changes)
    return CustomTableSpec.model_validate(doc)


def with_attribute(spec: CustomTableSpec, name: str, **fields: Any) -> CustomTableSpec:
    attrs = [a.model_dump(exclude_none=True) for a in spec.attributes]
    for attr in attrs:
        if attr["name"] == name:
            attr.update(fields)
    return spec.model_copy(update={"attributes": [type(spec.attributes[0])(**a) for a in attrs]})


def desired(*specs: CustomTableSpec, entity: str = "B2C") -> Desired:
    objects = tuple(DesiredObject(Address(entity, "customTable", s.name), s, HERE) for s in specs)
    return Desired(objects, {entity: (HERE,)}, ("b2c.yaml",))


def actual(*specs: CustomTableSpec, entity: str = "B2C") -> Actual:
    objects = {}
    for i, spec in enumerate(specs):
        payload = {"id": f"uuid-{i}", **payload_from_spec(spec, NO_IDS)}
        objects[Address(entity, "customTable", spec.name)] = LiveObject(
            f"uuid-{i}", spec_from_payload(payload, NO_NAMES), payload
        )
    return Actual((entity,), objects)


def only(plan: Plan) -> Any:
    assert len(plan.changes) == 1
    return plan.changes[0]


def test_missing_table_is_created_with_its_canonical_spec() -> None:
    change = only(make_plan(desired(table()), actual()))
    assert change.action is Action.CREATE
    assert change.before is None
    assert change.after["attributes"]["status"]["acceptedValues"] == ["NEW", "SHIPPED"]
    assert change.spec == table()


def test_identical_live_table_is_a_no_op_and_the_plan_has_no_changes() -> None:
    plan = make_plan(desired(table()), actual(table()))
    assert only(plan).action is Action.NO_OP
    assert not plan.has_changes


def test_order_of_accepted_values_and_attributes_does_not_make_a_diff() -> None:
    live = table()
    reordered = table(attributes=list(reversed([a.model_dump() for a in live.attributes])))
    reordered = with_attribute(reordered, "status", acceptedValues=["SHIPPED", "NEW"])
    assert not make_plan(desired(reordered), actual(live)).has_changes


def test_added_attribute_is_one_safe_field_change() -> None:
    spec = table()
    attrs = [*(a.model_dump() for a in spec.attributes), {"name": "amount", "valueType": "NUMBER"}]
    change = only(make_plan(desired(table(attributes=attrs)), actual(spec)))
    assert change.action is Action.UPDATE
    assert [f.dotted for f in change.fields] == ["attributes.amount"]
    assert change.fields[0].before is None
    assert change.risk is Risk.SAFE


def test_removed_attribute_is_destructive_and_refused_without_the_flag() -> None:
    spec = table()
    fewer = table(attributes=[a.model_dump() for a in spec.attributes if a.name != "status"])
    plan = make_plan(desired(fewer), actual(spec))
    assert only(plan).risk is Risk.DESTRUCTIVE
    with pytest.raises(ApplyRefused) as refused:
        check_applicable(plan, allow_destructive=False)
    assert refused.value.destructive
    check_applicable(plan, allow_destructive=True)


def test_making_an_attribute_mandatory_may_fail_on_data() -> None:
    change = only(
        make_plan(desired(with_attribute(table(), "status", mandatory=True)), actual(table()))
    )
    assert change.action is Action.UPDATE
    assert change.risk is Risk.MAY_FAIL_ON_DATA
    assert (change.fields[0].before, change.fields[0].after) == (False, True)


def test_adding_accepted_values_is_allowed_removing_them_is_blocked() -> None:
    more = with_attribute(table(), "status", acceptedValues=["NEW", "SHIPPED", "CANCELED"])
    assert only(make_plan(desired(more), actual(table()))).action is Action.UPDATE
    fewer = with_attribute(table(), "status", acceptedValues=["NEW"])
    change = only(make_plan(desired(fewer), actual(table())))
    assert change.action is Action.BLOCKED
    assert "can only be added" in change.reason


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (
            lambda s: with_attribute(s, "status", valueType="LONG", acceptedValues=None),
            "valueType of attribute",
        ),
        (lambda s: with_attribute(s, "orderId", maxLength=30), "maxLength"),
        (lambda s: s.model_copy(update={"primaryKey": "orderMoment"}), "primary key"),
    ],
)
def test_changes_actito_forbids_are_blocked_with_the_way_around(mutate: Any, words: str) -> None:
    change = only(make_plan(desired(mutate(table())), actual(table())))
    assert change.action is Action.BLOCKED
    assert words in change.reason
    with pytest.raises(ApplyRefused):
        check_applicable(
            make_plan(desired(mutate(table())), actual(table())), allow_destructive=True
        )


def test_one_forbidden_field_blocks_the_whole_table() -> None:
    spec = with_attribute(table(), "status", valueType="LONG", acceptedValues=None)
    spec = with_attribute(spec, "orderMoment", mandatory=False)
    change = only(make_plan(desired(spec), actual(table())))
    assert change.action is Action.BLOCKED
    assert {f.dotted for f in change.fields if not f.blocked} == {
        "attributes.orderMoment.mandatory"
    }


def test_live_table_missing_from_manifests_is_unmanaged_never_deleted() -> None:
    plan = make_plan(desired(table()), actual(table(), table("Legacy")))
    legacy = next(c for c in plan.changes if c.address.name == "Legacy")
    assert legacy.action is Action.UNMANAGED
    assert legacy.after is None
    assert legacy.before is not None
    assert "cannot be deleted" in legacy.reason
    assert not plan.executable
    assert not plan.has_changes


def test_unmanaged_is_only_reported_for_entities_the_manifests_name() -> None:
    plan = make_plan(desired(table()), actual(table("Elsewhere"), entity="B2B"))
    assert [c.action for c in plan.changes] == [Action.CREATE]


def test_plan_is_deterministic_and_sorted() -> None:
    specs = [table(n) for n in ("Stores", "Orders", "Loyalty")]
    first = make_plan(desired(*specs), actual())
    second = make_plan(desired(*reversed(specs)), actual())
    assert [c.address.name for c in first.changes] == ["Loyalty", "Orders", "Stores"]
    assert first == second


def test_live_values_unknown_to_this_version_are_compared_not_rejected() -> None:
    payload = {"id": "u", **payload_from_spec(table(), NO_IDS), "type": "SOMETHING_NEW"}
    live = Actual(
        ("B2C",),
        {
            Address("B2C", "customTable", "Orders"): LiveObject(
                "u", spec_from_payload(payload, NO_NAMES), payload
            )
        },
    )
    change = only(make_plan(desired(table()), live))
    assert change.action is Action.BLOCKED
    assert change.fields[0].dotted == "type"
