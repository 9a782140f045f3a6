"""Scenarios: what a manifest may declare, the form they are compared in, and what each
difference asks a person to do in the ACTITO UI."""

from __future__ import annotations

from typing import Any

import pytest

from actito_iac.kinds.endpoints import LISTED_UNDER
from actito_iac.kinds.scenario import ScenarioKind
from actito_iac.kinds.scenario_spec import ScenarioSpec
from actito_iac.vocabulary import UNREAD, Address

KIND = ScenarioKind()


def spec(**start: Any) -> ScenarioSpec:
    return ScenarioSpec.model_validate(
        {"name": "journey", "profileTable": "Customers", "start": start or {"type": "API"}}
    )


def issues(**start: Any) -> list[str]:
    return [f"{'.'.join(map(str, i.loc))}: {i.message}" for i in KIND.check(spec(**start))]


def test_each_start_takes_only_its_own_fields() -> None:
    assert issues(type="API") == []
    assert issues(type="API", event="x") == ["start.event: a start of type API takes no event"]
    assert issues(type="EVENT", customTable="Orders") == [
        "start: a start of type EVENT needs event"
    ]
    assert issues(type="SCHEDULE") == ["start: a start of type SCHEDULE needs frequency"]
    assert issues(type="PROFILE_EVENT") == ["start: a start of type PROFILE_EVENT needs operation"]
    assert issues(type="PROFILE_EVENT", operation="CREATE", attributes=["a"]) == [
        "start.attributes: only an UPDATE start takes attributes"
    ]
    assert issues(type="PROFILE_EVENT", operation="SUBSCRIBE") == [
        "start: a SUBSCRIBE start needs subscription"
    ]


@pytest.mark.parametrize(
    ("start", "text"),
    [
        ({"type": "API"}, "API (Start block)"),
        (
            {"type": "EVENT", "customTable": "Orders", "event": "order-shipped"},
            "event 'order-shipped' of customTable 'Orders'",
        ),
        (
            {"type": "PROFILE_EVENT", "operation": "UPDATE", "attributes": ["b", "a"]},
            "profile UPDATE of a, b",  # a set: the order written does not matter
        ),
        (
            {"type": "PROFILE_EVENT", "operation": "SUBSCRIBE", "subscription": "News"},
            "profile SUBSCRIBE to 'News'",
        ),
        (
            {"type": "SCHEDULE", "frequency": "YEARLY", "dateAttribute": "birthDate"},
            "schedule YEARLY on 'birthDate'",
        ),
    ],
)
def test_the_start_is_compared_as_one_line(start: dict[str, Any], text: str) -> None:
    assert KIND.canonical(spec(**start))["start"] == text


def test_activating_says_an_inactive_scenario_refuses_the_api() -> None:
    verdict = KIND.judge(("active",), False, True, "bonus")
    assert verdict.manual.startswith('In ACTITO: Campaigns › Scenarios › open scenario "bonus"')
    assert "API calls to start it are refused" in verdict.manual
    assert not verdict.blocked


def test_a_start_moved_to_api_says_the_start_block_and_the_copy_an_active_one_needs() -> None:
    verdict = KIND.judge(("start",), "profile CREATE", "API (Start block)", "bonus")
    assert "its start must be API (Start block)" in verdict.manual
    assert "once activated, a scenario cannot be modified" in verdict.manual
    assert "duplicate it" in verdict.manual
    assert "must use the Start block and be active" in verdict.manual


def test_a_missing_scenario_is_created_in_the_ui_step_by_step() -> None:
    step = KIND.manual_create(spec(type="EVENT", customTable="Orders", event="order-shipped"))
    assert step == (
        'In ACTITO: Campaigns › Scenarios › Create a scenario for profile table "Customers": '
        "technical name \"journey\", start: event 'order-shipped' of customTable 'Orders', "
        "then activate it"
    )


def test_it_relies_on_its_table_and_on_what_it_starts_on() -> None:
    event = spec(type="EVENT", customTable="Orders", event="order-shipped")
    assert [(str(u.target), u.path, u.at) for u in KIND.uses("B2C", event)] == [
        ("B2C/profileTable/Customers", (), ("profileTable",)),
        ("B2C/customTable/Orders", ("events", "order-shipped"), ("start", "event")),
    ]
    assert KIND.references("B2C", event) == [
        Address("B2C", "profileTable", "Customers"),
        Address("B2C", "customTable", "Orders"),
    ]
    birthday = spec(type="SCHEDULE", frequency="YEARLY", dateAttribute="birthDate")
    [_, date] = KIND.uses("B2C", birthday)
    assert date.path == ("attributes", "birthDate")
    assert date.keeps == ("type", "valueType")  # a retyped date would start nothing


def read(payload: dict[str, Any], names: dict[str, str] | None = None) -> ScenarioSpec:
    found = names or {}
    answer = {LISTED_UNDER: "Customers", **payload}
    live = KIND.spec_from_payload(answer, lambda kind, object_id: found.get(object_id))
    assert isinstance(live, ScenarioSpec)
    return live


def test_reading_names_its_table_and_the_event_tables_id() -> None:
    live = read(
        {
            "id": 3,
            "name": "shipping",
            "state": "ACTIVE",
            "start": {"type": "CUSTOM_TABLE_EVENT", "customTableId": "u-1", "eventName": "s"},
        },
        {"u-1": "Orders"},
    )
    assert KIND.canonical(live) == {
        "profileTable": "Customers",
        "active": True,
        "start": "event 's' of customTable 'Orders'",
    }
    assert KIND.status(live) == "active"


def test_what_the_answer_does_not_say_stays_visible_or_unknown() -> None:
    live = read({"id": 3, "name": "x", "start": {"type": "WEBHOOK", "customTableId": "gone"}})
    canonical = KIND.canonical(live)
    assert canonical["active"] == UNREAD  # no state in the answer: not known, not "inactive"
    assert canonical["start"] == "WEBHOOK (a start this version does not know)"
    assert live.start.customTable == "(unknown id gone)"
    assert KIND.status(live) == ""
