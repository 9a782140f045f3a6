"""What a plan leaves to a person: one step per UI-only difference, in plan order, each said
once; and a trigger, which ACTITO keeps on the scenario, never sent with its custom table."""

from __future__ import annotations

import io

from rich.console import Console

from actito_iac.apply_result import ApplyResult, Outcome, Status
from actito_iac.kinds.custom_table import CustomTableKind
from actito_iac.kinds.custom_table_spec import CustomTableSpec
from actito_iac.plan.model import Action, Change, FieldChange, ManualStep, Plan, manual_steps
from actito_iac.render.human import render_manual_steps
from actito_iac.render.json_apply import apply_document
from actito_iac.vocabulary import Address, Risk

FORM = Address("B2C", "form", "signup")
SCENARIO = Address("B2C", "scenario", "welcome")


def manual(address: Address, *steps: str, reason: str = "") -> Change:
    fields = tuple(FieldChange((f"f{i}",), 1, 2, Risk.SAFE, manual=s) for i, s in enumerate(steps))
    return Change(address, Action.MANUAL, {}, {}, fields, reason=reason or "; ".join(steps))


def test_each_ui_only_difference_is_one_step_said_once_in_plan_order() -> None:
    plan = Plan(
        (
            manual(FORM, "open the form › add question", "open the form › add question"),
            Change(Address("B2C", "customTable", "Orders"), Action.UPDATE, {}, {}),
            manual(SCENARIO, reason="create it in the UI"),  # a missing object: its reason
        )
    )
    assert manual_steps(plan) == (
        ManualStep(FORM, "open the form › add question"),
        ManualStep(SCENARIO, "create it in the UI"),
    )


def test_the_steps_are_printed_one_per_line_after_the_apply() -> None:
    buffer = io.StringIO()
    steps = (ManualStep(FORM, "In ACTITO: Catalog › Forms › open form"),)
    render_manual_steps(Console(file=buffer, no_color=True, width=200), steps)
    assert buffer.getvalue().splitlines() == [
        "Manual steps still to do (1): the API cannot make them, and apply did not.",
        "  » B2C/form/signup: In ACTITO: Catalog › Forms › open form",
        "Once they are done, run plan: it no longer lists them.",
    ]
    nothing = io.StringIO()
    render_manual_steps(Console(file=nothing), ())
    assert nothing.getvalue() == ""


def test_the_json_result_lists_outcomes_and_steps() -> None:
    result = ApplyResult(
        (
            Outcome(FORM, Action.CREATE, Status.DONE, "id 1"),
            Outcome(SCENARIO, Action.UPDATE, Status.FAILED, "400"),
        )
    )
    document = apply_document(
        result, (ManualStep(FORM, "do it"),), environment="local", exit_code=1
    )
    assert document["ok"] is False
    assert document["summary"] == {"done": 1, "failed": 1, "skipped": 0, "manual_steps": 1}
    assert document["manual_steps"] == [
        {
            "address": {"entity": "B2C", "kind": "form", "name": "signup"},
            "address_text": "B2C/form/signup",
            "step": "do it",
        }
    ]


def test_a_trigger_is_not_compared_nor_sent_with_its_custom_table() -> None:
    kind = CustomTableKind()
    spec = CustomTableSpec.model_validate(
        {
            "name": "Orders",
            "primaryKey": "orderId",
            "attributes": [
                {"name": "orderId", "valueType": "STRING", "mandatory": True, "unique": True}
            ],
            "events": [
                {"name": "shipped", "scenario": "shipping", "rules": [{"operation": "CREATE"}]}
            ],
        }
    )
    assert "scenario" not in str(kind.canonical(spec))
    body = kind.payload(spec, lambda kind, name: "1", None)
    assert body["eventsToTrigger"] == [
        {"name": "shipped", "triggerRules": [{"onOperation": "CREATE"}]}
    ]
    [trigger] = kind.uses("B2C", spec)
    assert trigger.target == Address("B2C", "scenario", "shipping")
    assert trigger.declared
    assert trigger.met_by({"start": "event 'shipped' of customTable 'Orders'"})
    assert not trigger.met_by({"start": "API (Start block)"})
