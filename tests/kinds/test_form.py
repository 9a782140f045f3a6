"""Forms: what a manifest may declare, the form they are compared in, and what each difference
asks a person to do in ACTITO's form editor."""

from __future__ import annotations

from typing import Any

import pytest

from actito_iac.api.answer import reading
from actito_iac.api.errors import UnexpectedResponse
from actito_iac.kinds.form import FormKind
from actito_iac.kinds.form_spec import FormSpec
from actito_iac.vocabulary import Risk

KIND = FormKind()


def spec(*questions: dict[str, Any], **fields: Any) -> FormSpec:
    return FormSpec.model_validate(
        {"name": "signup", "profileTable": "Customers", **fields, "questions": list(questions)}
    )


def messages(form: FormSpec) -> list[str]:
    return [f"{'.'.join(map(str, i.loc))}: {i.message}" for i in KIND.check(form)]


def test_questions_are_checked_for_what_the_model_cannot_say() -> None:
    assert messages(spec({"name": "a", "type": "SINGLE_CHOICE"})) == [
        "questions.0: a SINGLE_CHOICE question needs choices"
    ]
    assert messages(spec({"name": "a", "choices": ["X"]})) == [
        "questions.0.choices: only a choice question takes choices"
    ]
    assert messages(spec({"name": "a", "subscription": "News"})) == [
        "questions.0.subscription: only a BOOLEAN answer subscribes"
    ]
    assert messages(spec({"name": "a", "attribute": "x"}, {"name": "b", "attribute": "x"})) == [
        "questions.1.attribute: question 'a' enriches attribute 'x' already"
    ]
    unlinked = FormSpec.model_validate(
        {"name": "poll", "questions": [{"name": "a", "attribute": "x"}]}
    )
    assert messages(unlinked) == [
        "questions.0.attribute: a form linked to no profile table enriches nothing: name its "
        "profileTable"
    ]


def test_the_canonical_form_keys_questions_by_name_and_sorts_choices() -> None:
    form = spec({"name": "tier", "type": "SINGLE_CHOICE", "choices": ["B", "A"], "attribute": "t"})
    assert KIND.canonical(form) == {
        "profileTable": "Customers",
        "participation": "SINGLE",
        "questions": {
            "tier": {
                "type": "SINGLE_CHOICE",
                "mandatory": False,
                "choices": ["A", "B"],
                "attribute": "t",
            }
        },
    }


def test_each_difference_is_a_step_in_the_form_editor() -> None:
    added = KIND.judge(("questions", "email"), None, {"type": "EMAIL", "mandatory": True}, "f")
    assert added.manual == (
        'In ACTITO: Catalog › Forms › open form "f" › Questions › add question "email": EMAIL, '
        "mandatory"
    )
    removed = KIND.judge(("questions", "email"), {"type": "EMAIL"}, None, "f")
    assert removed.risk is Risk.DESTRUCTIVE  # its answers are lost
    retyped = KIND.judge(("questions", "email", "type"), "TEXT", "EMAIL", "f")
    assert retyped.risk is Risk.DESTRUCTIVE
    assert 'delete question "email"' in retyped.manual
    mapped = KIND.judge(("questions", "tier", "attribute"), None, "loyaltyTier", "f")
    assert mapped.manual.endswith("› Enrichment › map the answer to the attribute 'loyaltyTier'")
    for verdict in (added, removed, retyped, mapped):
        assert verdict.manual
        assert (verdict.blocked, verdict.replace) == ("", "")


def test_a_missing_form_is_created_in_the_ui_with_every_question() -> None:
    form = spec(
        {"name": "email", "type": "EMAIL", "mandatory": True, "attribute": "emailAddress"},
        {"name": "optIn", "type": "BOOLEAN", "subscription": "Newsletter"},
    )
    assert KIND.manual_create(form) == (
        'In ACTITO: Catalog › Forms › Create a form: technical name "signup", for profile table '
        '"Customers", participation SINGLE; questions: "email" (EMAIL, mandatory, enriching '
        "attribute 'emailAddress'); \"optIn\" (BOOLEAN, subscribing to 'Newsletter')"
    )


def test_it_relies_on_what_its_answers_fill() -> None:
    form = spec(
        {"name": "tier", "attribute": "loyaltyTier"},
        {"name": "optIn", "type": "BOOLEAN", "subscription": "Newsletter"},
    )
    uses = KIND.uses("B2C", form)
    assert [(u.path, u.at, u.keeps) for u in uses] == [
        ((), ("profileTable",), ()),
        (("attributes", "loyaltyTier"), ("questions", 0, "attribute"), ("type", "valueType")),
        (("subscriptions", "Newsletter"), ("questions", 1, "subscription"), ()),
    ]
    assert (
        KIND.uses("B2C", FormSpec.model_validate({"name": "p", "questions": [{"name": "q"}]})) == []
    )


def test_reading_a_structure_names_its_table_and_keeps_unknown_types_visible() -> None:
    payload = {
        "id": 5,
        "name": "signup",
        "profileTableId": "1",
        "questions": [
            {"name": "email", "type": "EMAIL", "enrichment": {"attribute": "emailAddress"}},
            {"name": "photo", "type": "FILE_UPLOAD"},
        ],
    }
    live = KIND.spec_from_payload(
        payload, lambda kind, object_id: {"1": "Customers"}.get(object_id)
    )
    canonical = KIND.canonical(live)
    assert canonical["profileTable"] == "Customers"
    assert canonical["questions"]["photo"]["type"] == "FILE_UPLOAD"
    unknown = KIND.spec_from_payload({**payload, "profileTableId": "9"}, lambda k, i: None)
    assert KIND.canonical(unknown)["profileTable"] == "(unknown id 9)"


def test_a_structure_without_questions_is_not_read_as_a_form_with_none() -> None:
    with pytest.raises(UnexpectedResponse, match="the structure"), reading(None, "the structure"):
        KIND.spec_from_payload({"id": 5, "name": "signup"}, lambda k, i: None)
