"""Webhook subscriptions: identity, secret headers, checks, live reading and payloads."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from actito_iac.actual import Actual, LiveObject
from actito_iac.errors import ManifestError
from actito_iac.kinds.profile_table import ProfileTableKind
from actito_iac.kinds.webhook_subscription import (
    WebhookSubscriptionKind,
    WebhookSubscriptionSpec,
)
from actito_iac.live import _Item, _to_live
from actito_iac.manifest.desired import Desired, DesiredObject
from actito_iac.manifest.loader import load
from actito_iac.plan.model import Action, Plan
from actito_iac.plan.planner import make_plan
from actito_iac.render.human import render_plan
from actito_iac.render.markdown import render_markdown
from actito_iac.vocabulary import UNREAD, Address

KIND = WebhookSubscriptionKind()
SECRET = "s3cret-header-value-41"


def spec(**fields: Any) -> WebhookSubscriptionSpec:
    base = {
        "profileTable": "Customers",
        "eventType": "CREATE",
        "targetUrl": "https://crm.example.com/new",
        "headers": {"X-Token": SECRET},
    }
    return WebhookSubscriptionSpec.model_validate(base | fields)


def live_payload(**fields: Any) -> dict[str, Any]:
    base = {
        "id": 7,
        "on": "PROFILE_TABLE",
        "onElementId": "16",
        "eventType": "CREATE",
        "onFields": [],
        "targetUrl": "https://crm.example.com/new",
        "headers": {"X-Token": SECRET},
        "isActive": True,
        "webhookPushType": "ONE_BY_ONE",
        "maxBlockSize": None,
    }
    return base | fields


def names(kind: str, object_id: str) -> str | None:
    return {("profileTable", "16"): "Customers"}.get((kind, object_id))


def test_the_key_is_table_event_and_target_url() -> None:
    assert KIND.key(spec()) == "profileTable:Customers:CREATE:https://crm.example.com/new"
    assert KIND.identify(live_payload(), names) == (
        "7",
        "profileTable:Customers:CREATE:https://crm.example.com/new",
    )
    other = spec(customTable="Orders", profileTable=None, eventType="UPDATE")
    assert KIND.key(other) == "customTable:Orders:UPDATE:https://crm.example.com/new"


def test_the_canonical_form_holds_a_digest_of_each_header_never_its_value() -> None:
    canonical = KIND.canonical(spec())
    assert SECRET not in repr(canonical)
    assert canonical["headers"]["X-Token"].startswith("*** (sha256:")
    rotated = KIND.canonical(spec(headers={"X-Token": "another-value"}))
    assert rotated["headers"] != canonical["headers"]


def plan_with_unread_headers() -> Plan:
    """The plan of a subscription whose live answer gives its header names but no values."""
    read = KIND.spec_from_payload(live_payload(headers={"X-Token": None}), names)
    assert isinstance(read, WebhookSubscriptionSpec)
    assert read.headers == {"X-Token": UNREAD}
    address = Address("B2C", KIND.name, KIND.key(spec()))
    live = LiveObject("7", read, live_payload(headers={"X-Token": None}))
    desired = Desired((DesiredObject(address, spec(), None),), {"B2C": ()})  # type: ignore[arg-type]
    table = Address("B2C", "profileTable", "Customers")
    table_payload = {"id": "16", "name": "Customers", "attributes": []}
    customers = LiveObject(
        "16", ProfileTableKind().spec_from_payload(table_payload, names), table_payload
    )
    return make_plan(desired, Actual(("B2C",), {address: live, table: customers}))


def test_a_live_answer_without_header_values_is_not_compared() -> None:
    (change, _) = plan_with_unread_headers().changes
    assert change.action is Action.NO_OP
    assert change.not_compared == ("headers.X-Token",)


def test_the_plan_says_which_values_it_could_not_compare() -> None:
    plan = plan_with_unread_headers()
    address = "B2C/webhookSubscription/profileTable:Customers:CREATE:https://crm.example.com/new"
    console = Console(record=True, width=200, color_system=None)
    render_plan(console, plan)
    human = console.export_text().splitlines()
    heading = human.index("Not compared, as ACTITO's answers do not carry them:")
    assert human[heading + 1] == f"  ? {address}: headers.X-Token"
    markdown = render_markdown(plan, environment="B2C").splitlines()
    heading = markdown.index("Not compared, as ACTITO's answers do not carry them:")
    assert markdown[heading + 2] == f"- `{address}`: headers.X-Token"
    for text in (*human, *markdown):
        assert SECRET not in text


@pytest.mark.parametrize(
    ("fields", "path", "message"),
    [
        ({"customTable": "Orders"}, ("profileTable",), "exactly one of"),
        (
            {"profileTable": None, "customTable": "Orders", "eventType": "UPDATED_SEGMENT"},
            ("eventType",),
            "profile tables only",
        ),
        ({"maxBlockSize": 50}, ("maxBlockSize",), "only a BULK subscription"),
        ({"onFields": ["a", "a"]}, ("onFields",), "listed twice"),
        ({"headers": {"content-type": SECRET}}, ("headers", "content-type"), "ignores"),
    ],
)
def test_checks_the_model_cannot_express(
    fields: dict[str, Any], path: tuple[str, ...], message: str
) -> None:
    (issue,) = KIND.check(spec(**fields))
    assert issue.loc == path
    assert message in issue.message


def write(folder: Path, text: str) -> Path:
    path = folder / "hooks.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_literal_header_value_is_refused_at_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        entity: B2C
        webhooks:
          - profileTable: Customers
            eventType: CREATE
            targetUrl: https://crm.example.com/new
            headers:
              X-Origin: '${secret:ORIGIN}'
              X-Token: literal-token-value
        """,
    )
    with pytest.raises(ManifestError) as refused:
        load([path], {"ORIGIN": "o-value"})
    (problem,) = refused.value.diagnostics
    assert (problem.location.line, problem.field) == (8, "webhooks[0].headers.X-Token")
    assert "${secret:NAME} reference" in problem.message
    assert "literal-token-value" not in str(problem)


def test_an_http_target_and_a_second_subscription_for_one_intent_are_refused(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        """\
        entity: B2C
        webhooks:
          - {profileTable: Customers, eventType: CREATE, targetUrl: 'https://a.example/x'}
          - {profileTable: Customers, eventType: CREATE, targetUrl: 'https://a.example/x'}
          - {profileTable: Customers, eventType: CREATE, targetUrl: 'http://a.example/x'}
        """,
    )
    with pytest.raises(ManifestError) as refused:
        load([path], {})
    texts = [str(d) for d in refused.value.diagnostics]
    assert any("webhooks[2].targetUrl" in t for t in texts)
    assert any("hooks.yaml:4:5" in t and "is already defined at" in t for t in texts)
    assert any("expected an https:// URL" in t for t in texts)


def test_the_payload_resolves_the_table_and_keeps_what_it_does_not_manage() -> None:
    ids = {("profileTable", "Customers"): "16"}
    created = KIND.payload(spec(onFields=["tier"]), lambda k, n: ids[(k, n)], None)
    assert created == {
        "on": "PROFILE_TABLE",
        "onElementId": "16",
        "eventType": "CREATE",
        "onFields": ["tier"],
        "targetUrl": "https://crm.example.com/new",
        "headers": {"X-Token": SECRET},
        "isActive": True,
        "webhookPushType": "ONE_BY_ONE",
    }
    changed = KIND.payload(spec(active=False), lambda k, n: ids[(k, n)], live_payload(sort=3))
    assert (changed["isActive"], changed["sort"], "id" in changed) == (False, 3, False)


def test_two_live_subscriptions_for_one_intent_are_both_shown() -> None:
    table = {"id": "16", "name": "Customers", "attributes": []}
    items = [
        _Item(ProfileTableKind(), table, "item 1", None),
        _Item(KIND, live_payload(id=1), "item 1", None),
        _Item(KIND, live_payload(id=2), "item 2", None),
    ]
    found = _to_live("B2C", items)
    hooks = sorted(a.name for a in found if a.kind == KIND.name)
    key = "profileTable:Customers:CREATE:https://crm.example.com/new"
    assert hooks == [key, f"{key} #2"]
    assert found[Address("B2C", KIND.name, f"{key} #2")].id == "2"
