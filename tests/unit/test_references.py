"""What objects rely on, checked by one mechanism: offline, against the licence, and against
every change — with real kinds (forms, scenarios, triggers, webhooks, tables)."""

from __future__ import annotations

from pathlib import Path

import pytest

from actito_iac.actual import Actual, LiveObject
from actito_iac.errors import Diagnostic, LiveStateError, ManifestError
from actito_iac.manifest.desired import Desired
from actito_iac.manifest.loader import load
from actito_iac.plan.model import Action, Change, Plan
from actito_iac.plan.planner import make_plan
from actito_iac.session import Inputs, load_desired

CUSTOMERS = """
profileTables:
  - name: Customers
    attributes:
      - {name: emailAddress, type: EMAIL_ADDRESS, mandatory: true, unique: true}
      - {name: loyaltyTier, valueType: STRING}
    subscriptions: [{name: Newsletter}]
"""
ORDERS = """
customTables:
  - name: Orders
    primaryKey: orderId
    attributes:
      - {name: orderId, valueType: STRING, mandatory: true, unique: true}
      - {name: status, valueType: STRING}
    events:
      - name: order-shipped
        rules: [{operation: UPDATE, anyAttribute: [status]}]
"""
SIGNUP = """
forms:
  - name: signup
    profileTable: Customers
    questions:
      - {name: email, type: EMAIL, attribute: emailAddress}
      - {name: tier, attribute: loyaltyTier}
      - {name: optIn, type: BOOLEAN, subscription: Newsletter}
"""


def manifests(tmp_path: Path, *parts: str, name: str = "b2c.yaml") -> Path:
    path = tmp_path / name
    path.write_text("entity: B2C\n" + "".join(parts), encoding="utf-8")
    return path


def desired(tmp_path: Path, *parts: str) -> Desired:
    """The manifests, loaded and checked as `validate` does."""
    return load_desired(Inputs(None, (manifests(tmp_path, *parts),)), {})


def problems(tmp_path: Path, *parts: str) -> list[Diagnostic]:
    with pytest.raises(ManifestError) as failure:
        desired(tmp_path, *parts)
    return failure.value.diagnostics


def licence(tmp_path: Path, *parts: str) -> Actual:
    """A licence holding these objects (loaded without the cross-object checks)."""
    held = load([manifests(tmp_path, *parts, name="live.yaml")], {})
    objects = {o.address: LiveObject(str(i), o.spec, {}) for i, o in enumerate(held.objects)}
    return Actual(("B2C",), objects)


def changes(plan: Plan) -> dict[str, Change]:
    return {str(c.address): c for c in plan.changes if c.action is not Action.UNMANAGED}


# -- offline ---------------------------------------------------------------------------------


def test_a_form_enriching_an_undeclared_attribute_names_the_closest_and_its_line(
    tmp_path: Path,
) -> None:
    form = SIGNUP.replace("attribute: loyaltyTier", "attribute: loyaltyTeir")
    [problem] = problems(tmp_path, CUSTOMERS, form)
    assert problem.message == (
        "form 'signup' enriches attribute 'loyaltyTeir' (question 'tier') of profileTable "
        "'Customers', but the manifests do not declare it; did you mean 'loyaltyTier'? "
        "(attributes: emailAddress, loyaltyTier)"
    )
    assert problem.location is not None
    assert problem.location.line == 15  # the attribute's own line, not the form's


def test_a_trigger_names_a_declared_scenario_that_starts_on_its_event(tmp_path: Path) -> None:
    trigger = ORDERS.replace(
        "- name: order-shipped\n", "- name: order-shipped\n        scenario: shipping\n"
    )
    [undeclared] = problems(tmp_path, CUSTOMERS, trigger)
    assert (
        "says its event 'order-shipped' is the start of scenario 'shipping'" in undeclared.message
    )
    assert "which the manifests do not declare (there are no scenarios in entity 'B2C')" in (
        undeclared.message
    )

    api = "scenarios:\n  - {name: shipping, profileTable: Customers, start: {type: API}}\n"
    [elsewhere] = problems(tmp_path, CUSTOMERS, trigger, api)
    assert elsewhere.message.endswith("but in the manifests start is 'API (Start block)'")

    right = api.replace("{type: API}", "{type: EVENT, customTable: Orders, event: order-shipped}")
    assert desired(tmp_path, CUSTOMERS, trigger, right).objects  # consistent: valid


def test_a_part_the_manifest_leaves_unmanaged_is_checked_against_the_licence(
    tmp_path: Path,
) -> None:
    unmanaged = CUSTOMERS.replace("    subscriptions: [{name: Newsletter}]\n", "")
    wanted = desired(tmp_path, unmanaged, SIGNUP)  # offline: not known, so not an error
    with pytest.raises(LiveStateError) as failure:
        make_plan(wanted, licence(tmp_path, CUSTOMERS.replace("Newsletter", "Promotions")))
    [problem] = failure.value.diagnostics
    assert "subscribes to 'Newsletter' (question 'optIn') of profileTable 'Customers'" in (
        problem.message
    )
    assert "but the licence does not have it (subscriptions: Promotions)" in problem.message
    assert make_plan(wanted, licence(tmp_path, CUSTOMERS))  # the licence has it: fine


def test_an_object_nowhere_is_named_with_the_closest_existing_one(tmp_path: Path) -> None:
    scenario = "scenarios:\n  - name: welcome\n    profileTable: Custmers\n    start: {type: API}\n"
    wanted = desired(tmp_path, scenario)
    with pytest.raises(LiveStateError) as failure:
        make_plan(wanted, licence(tmp_path, CUSTOMERS))
    [problem] = failure.value.diagnostics
    assert problem.message == (
        "scenario 'welcome' refers to profileTable 'Custmers', which is neither in the "
        "manifests nor in the licence; did you mean 'Customers'? (profile tables in entity "
        "'B2C': Customers)"
    )
    assert problem.location is not None
    assert problem.location.line == 4  # `profileTable: Custmers`


def test_an_object_in_an_entity_no_manifest_names_is_not_known_missing(tmp_path: Path) -> None:
    """Only the entities the manifests name are read: a campaign aimed at a table of another
    entity is not reported missing from what was never read."""
    campaign = (
        "emailCampaigns:\n  - {name: welcome, targetTable: Members, targetEntity: B2B, "
        "from: Shop, languages: [EN]}\n"
    )
    plan = make_plan(desired(tmp_path, CUSTOMERS, campaign), licence(tmp_path, CUSTOMERS))
    assert [str(c.address) for c in plan.executable] == ["B2C/emailCampaign/welcome"]


# -- against the changes ---------------------------------------------------------------------


def test_removing_an_attribute_a_live_form_enriches_is_blocked_naming_the_form(
    tmp_path: Path,
) -> None:
    wanted = desired(
        tmp_path, CUSTOMERS.replace("      - {name: loyaltyTier, valueType: STRING}\n", "")
    )
    plan = make_plan(wanted, licence(tmp_path, CUSTOMERS, SIGNUP))
    table = changes(plan)["B2C/profileTable/Customers"]
    assert table.action is Action.BLOCKED
    assert table.reason == (
        "removing attributes.loyaltyTier would break form 'signup' (in the licence, in no "
        "manifest), which enriches attribute 'loyaltyTier' (question 'tier'): change or delete "
        "that form in the ACTITO UI first, then plan again (inferred)"
    )


def test_retyping_an_attribute_a_form_fills_adds_the_form_to_actitos_refusal(
    tmp_path: Path,
) -> None:
    wanted = desired(
        tmp_path,
        CUSTOMERS.replace("loyaltyTier, valueType: STRING", "loyaltyTier, valueType: LONG"),
    )
    table = changes(make_plan(wanted, licence(tmp_path, CUSTOMERS, SIGNUP)))[
        "B2C/profileTable/Customers"
    ]
    assert table.action is Action.BLOCKED
    first, second = table.reason.split("; changing ")
    assert first.startswith("the valueType of attribute 'loyaltyTier' cannot be changed")
    assert second.startswith("attributes.loyaltyTier.valueType would break form 'signup'")


def test_a_use_waiting_for_its_manual_step_still_holds_what_it_uses_live(
    tmp_path: Path,
) -> None:
    moved = SIGNUP.replace("{name: tier, attribute: loyaltyTier}", "{name: tier}")
    gone = CUSTOMERS.replace("      - {name: loyaltyTier, valueType: STRING}\n", "")
    plan = make_plan(desired(tmp_path, gone, moved), licence(tmp_path, CUSTOMERS, SIGNUP))
    found = changes(plan)
    assert found["B2C/form/signup"].action is Action.MANUAL  # the person has not done it yet
    table = found["B2C/profileTable/Customers"]
    assert table.action is Action.BLOCKED
    assert "would break form 'signup' (in the licence, until its manual step is done)" in (
        table.reason
    )
    assert "make its manual step in the ACTITO UI first (this plan lists it)" in table.reason


def test_a_manual_step_that_would_break_something_is_blocked_too(tmp_path: Path) -> None:
    wanted = desired(tmp_path, CUSTOMERS.replace("[{name: Newsletter}]", "[{name: Promotions}]"))
    plan = make_plan(wanted, licence(tmp_path, CUSTOMERS, SIGNUP))
    [table] = [c for c in plan.changes if c.address.name == "Customers"]
    assert table.action is Action.BLOCKED  # was a manual step (subscriptions are UI-only)
    assert all(f.manual for f in table.fields)
    assert "removing subscriptions.Newsletter would break form 'signup'" in table.reason


def test_removing_an_event_a_live_scenario_starts_on_is_blocked(tmp_path: Path) -> None:
    scenario = (
        "scenarios:\n  - {name: shipping, profileTable: Customers, start: "
        "{type: EVENT, customTable: Orders, event: order-shipped}}\n"
    )
    no_event = ORDERS.split("    events:")[0]
    plan = make_plan(desired(tmp_path, no_event), licence(tmp_path, CUSTOMERS, ORDERS, scenario))
    orders = changes(plan)["B2C/customTable/Orders"]
    assert orders.action is Action.BLOCKED
    assert "removing events.order-shipped would break scenario 'shipping'" in orders.reason


def test_a_change_that_keeps_what_users_rely_on_is_not_blocked(tmp_path: Path) -> None:
    extra = CUSTOMERS.replace(
        "      - {name: loyaltyTier, valueType: STRING}\n",
        "      - {name: loyaltyTier, valueType: STRING}\n      - {name: city, valueType: STRING}\n",
    )
    plan = make_plan(desired(tmp_path, extra), licence(tmp_path, CUSTOMERS, SIGNUP))
    assert changes(plan)["B2C/profileTable/Customers"].action is Action.UPDATE
