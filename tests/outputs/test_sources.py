"""A rule that is only inferred shows as inferred wherever a verdict is shown; a documented one
carries no mark. The source travels through the JSON plan, so `show` renders it the same."""

from __future__ import annotations

import html
import io
import json
from typing import Any

import pytest
from rich.console import Console

from actito_iac.kinds.custom_action import CustomActionKind
from actito_iac.kinds.custom_table import CustomTableKind
from actito_iac.kinds.profile_table import ProfileTableKind
from actito_iac.kinds.webhook_subscription import WebhookSubscriptionKind
from actito_iac.plan.model import Action, Change, FieldChange, Plan
from actito_iac.plan.select import Selection
from actito_iac.render.human import render_plan
from actito_iac.render.json_plan import FORMAT_VERSION, dumps, plan_document, plan_from_document
from actito_iac.render.markdown import render_markdown
from actito_iac.vocabulary import Risk, Source, source_mark, weakest

from .plans import table

INFERRED_WHY = "minLength of attribute 'code' cannot be changed"
DOCUMENTED_WHY = "a table's type cannot be changed"


def mixed_plan() -> Plan:
    """One blocked change judged by an inferred rule, one by a documented rule."""
    inferred = FieldChange(
        ("attributes", "code", "minLength"), 2, 3, blocked=INFERRED_WHY, source=Source.INFER
    )
    documented = FieldChange(
        ("type",), "INTERACTIONS", "REPOSITORY", blocked=DOCUMENTED_WHY, source=Source.DOC
    )
    before, after = {"type": "INTERACTIONS"}, {"type": "REPOSITORY"}
    return Plan(
        (
            Change(
                table("Guess"),
                Action.BLOCKED,
                before,
                after,
                (inferred,),
                reason=INFERRED_WHY,
                source=Source.INFER,
            ),
            Change(
                table("Fact"),
                Action.BLOCKED,
                before,
                after,
                (documented,),
                reason=DOCUMENTED_WHY,
                source=Source.DOC,
            ),
        )
    )


def human(plan: Plan) -> str:
    buffer = io.StringIO()
    render_plan(Console(file=buffer, no_color=True, width=300, soft_wrap=True), plan)
    return buffer.getvalue()


def line_of(text: str, needle: str) -> str:
    return next(line for line in text.splitlines() if needle in line)


def test_human_output_marks_the_inferred_verdict_only() -> None:
    text = human(mixed_plan())
    assert line_of(text, "attributes.code.minLength").endswith("blocked (inferred)")
    assert line_of(text, "type: INTERACTIONS").endswith("blocked")


def test_markdown_marks_the_inferred_verdict_and_its_way_around_only() -> None:
    text = render_markdown(mixed_plan(), environment="e")
    assert "attributes.code.minLength  (blocked, inferred)" in text
    assert f"- {html.escape(INFERRED_WHY)} (inferred)" in text
    assert "type  (blocked)" in text
    assert f"- {html.escape(DOCUMENTED_WHY)}\n" in text


def test_the_json_plan_records_each_source_and_show_renders_the_same() -> None:
    document = plan_document(mixed_plan(), environment="e", selection=Selection())
    assert FORMAT_VERSION == "1.4"
    guess, fact = document["changes"]
    assert (guess["source"], guess["fields"][0]["source"]) == ("inferred", "inferred")
    assert (fact["source"], fact["fields"][0]["source"]) == ("documented", "documented")
    again = plan_from_document(json.loads(dumps(document)))
    assert human(again) == human(mixed_plan())
    assert render_markdown(again, environment="e") == render_markdown(mixed_plan(), environment="e")


def test_a_plan_written_before_sources_reads_without_marks() -> None:
    document = plan_document(mixed_plan(), environment="e", selection=Selection())
    document["format_version"] = "1.3"
    for change in document["changes"]:
        del change["source"]
        for field in change["fields"]:
            del field["source"]
    old = plan_from_document(document)
    assert all(c.source is None and c.fields[0].source is None for c in old.changes)
    assert "(inferred)" not in human(old)


def test_a_blocking_reliance_says_how_sure_it_is() -> None:
    """Each object a change would break is a clause of the reason, marked by its own use."""
    from actito_iac.kinds.registry import BY_NAME
    from actito_iac.plan.references import _explain, _Holder
    from actito_iac.vocabulary import Address, Use

    hook = Address("B2C", "webhookSubscription", "w")
    table = Address("B2C", "profileTable", "T")
    guess = _Holder(hook, Use(table, ("attributes", "x"), "watches attribute 'x'"), True)
    fact = _Holder(hook, Use(table, ("attributes", "x"), "watches it", source=Source.DOC), True)
    assert _explain(guess, "removing attributes.x", BY_NAME).endswith("first (inferred)")
    assert _explain(fact, "removing attributes.x", BY_NAME).endswith("first")


def test_the_weakest_source_decides_and_marks_are_short() -> None:
    assert weakest([Source.DOC, Source.CODE]) is Source.CODE
    assert weakest([Source.DOC, None, Source.INFER, Source.CODE]) is Source.INFER
    assert weakest([]) is None
    assert [source_mark(s) for s in (Source.DOC, Source.CODE, Source.INFER, None)] == [
        "",
        "client code",
        "inferred",
        "",
    ]


CUSTOM, PROFILE = CustomTableKind(), ProfileTableKind()
WEBHOOK, ACTION = WebhookSubscriptionKind(), CustomActionKind()


@pytest.mark.parametrize(
    ("kind", "path", "before", "after", "source"),
    [
        (CUSTOM, ("type",), "INTERACTIONS", "REPOSITORY", Source.DOC),
        (CUSTOM, ("primaryKey",), "a", "b", Source.INFER),
        (CUSTOM, ("attributes", "x", "valueType"), "STRING", "LONG", Source.DOC),
        (CUSTOM, ("attributes", "x", "unique"), False, True, Source.DOC),
        (CUSTOM, ("attributes", "x", "minLength"), 1, 2, Source.INFER),
        (CUSTOM, ("attributes", "x", "acceptedValues"), ["A"], ["A", "B"], Source.DOC),
        (CUSTOM, ("attributes", "x", "acceptedValues"), ["A", "B"], ["A"], Source.INFER),
        (CUSTOM, ("attributes", "x"), None, {"mandatory": True}, Source.INFER),
        (CUSTOM, ("attributes", "x"), {"mandatory": False}, None, Source.DOC),
        (CUSTOM, ("links", "l"), {"onDelete": "CASCADE"}, None, Source.DOC),
        (CUSTOM, ("links", "l", "onDelete"), "CASCADE", "SET_NULL", Source.INFER),
        (CUSTOM, ("cleaningRules", "moment"), 30, 10, Source.INFER),
        (CUSTOM, ("bigTable",), False, True, Source.DOC),
        (PROFILE, ("attributes", "emailAddress"), {"type": "EMAIL_ADDRESS"}, None, Source.INFER),
        (PROFILE, ("subscriptions", "News"), None, {"channel": "EMAIL"}, Source.DOC),
        (PROFILE, ("subscriptions", "News", "channel"), "EMAIL", "SMS", Source.INFER),
        (WEBHOOK, ("pushMode",), "ONE_BY_ONE", "BULK", Source.INFER),
        (WEBHOOK, ("targetUrl",), "https://a", "https://b", Source.DOC),
        (ACTION, ("label",), "a", "b", Source.INFER),
    ],
)
def test_each_verdict_states_its_source(
    kind: Any, path: tuple[str, ...], before: Any, after: Any, source: Source
) -> None:
    assert kind.judge(path, before, after, "T").source is source


def test_a_rename_is_blocked_by_a_documented_rule_for_tables_only() -> None:
    assert CUSTOM.rename_source is Source.DOC
    assert PROFILE.rename_source is Source.DOC
    assert ACTION.rename_source is Source.INFER


def test_the_risk_of_a_verdict_is_unchanged_by_its_source() -> None:
    verdict = CUSTOM.judge(("cleaningRules", "moment"), 30, 10, "T")
    assert (verdict.risk, verdict.source) == (Risk.DESTRUCTIVE, Source.INFER)
