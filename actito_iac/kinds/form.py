"""Forms: what the licence collects from people, and which profile fields the answers enrich.

API (actito-api.md §6, §11): designing a form is not possible through the API [DOC]; the API
gives "the structure of a form" [DOC] — where, is [INFER]: `GET /v4/entity/{e}/form` lists
the forms, `GET …/form/{id}` gives one's structure (read for each form, `Endpoints.details`),
under an inferred `forms` category.

A form in a manifest states what the licence relies on: the form exists, linked to this
profile table, with these questions, each answer enriching this attribute or subscription. A
missing form, and every difference, is a `manual` step naming the place in the ACTITO UI;
apply never claims to have made one. What it enriches is declared (`uses`), so removing or
retyping an attribute a form fills is blocked while the form is there, naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from actito_iac.kinds.base import Kind, NameLookup
from actito_iac.kinds.common import PROFILE_TABLE
from actito_iac.kinds.endpoints import Endpoints
from actito_iac.kinds.form_spec import FormSpec, Question, check_form
from actito_iac.vocabulary import (
    JSON,
    Address,
    Capabilities,
    Issue,
    Path,
    Risk,
    Source,
    SpecModel,
    Use,
    Verdict,
    op,
)

FORMS = "In ACTITO: Catalog › Forms"
"""[INFER] where the UI manages forms (the documentation's screens were not readable)."""


class FormKind(Kind):
    name: ClassVar[str] = "form"
    noun: ClassVar[str] = "form"
    section: ClassVar[str] = "forms"
    spec_type: ClassVar[type[SpecModel]] = FormSpec
    capabilities: ClassVar[Capabilities] = Capabilities(
        list=op(Source.INFER, "GET …/form: path and answer inferred (a summary per form)"),
        get=op(
            Source.INFER,
            "the structure of a form is documented to be readable; path GET …/form/{id} "
            "inferred; read for each form",
        ),
        create=op(Source.NONE, "UI only: a missing form is a manual step"),
        update=op(Source.NONE, "UI only: each difference is a manual step"),
        delete=op(Source.NONE, "UI only: a form in no manifest is listed, never deleted"),
    )
    endpoints: ClassVar[Endpoints] = Endpoints(
        category="forms",  # [INFER] the category of the form endpoints was never seen
        version="v4",
        resource="form",  # [INFER]
        list_key="forms",  # [INFER]
        detail=True,
    )
    declared_only: ClassVar[frozenset[Path]] = frozenset({("displayName",)})

    def check(self, spec: SpecModel) -> list[Issue]:
        assert isinstance(spec, FormSpec)
        return check_form(spec)

    def canonical(self, spec: SpecModel) -> dict[str, JSON]:
        assert isinstance(spec, FormSpec)
        out: dict[str, JSON] = {}
        if spec.profileTable is not None:
            out["profileTable"] = spec.profileTable
        out["participation"] = spec.participation
        out["questions"] = {q.name: _canonical_question(q) for q in spec.questions}
        if spec.displayName:
            out["displayName"] = spec.displayName
        return out

    def judge(self, path: Path, before: JSON, after: JSON, name: str = "") -> Verdict:
        """Every difference is a step in the form editor, which this text spells out: forms
        are designed in the ACTITO UI only [DOC] (where in it is inferred)."""
        where = f'{FORMS} › open form "{name}"'
        head = path[0]
        if head == "questions":
            return _judge_question(where, path, before, after)
        if head == "profileTable":
            step = (
                "a form's profile table is chosen when it is created: "
                f'{FORMS} › create a form like "{name}" for '
                f"{_table(after)}, and declare it in this manifest instead"
            )
            return Verdict(Risk.SAFE, manual=step)  # [INFER]
        if head == "participation":
            step = f"{where} › Settings › participation: {after}"
        else:
            step = f"{where} › rename it: {after}"
        return Verdict(Risk.SAFE, manual=step, source=Source.DOC)

    def manual_create(self, spec: SpecModel) -> str:
        assert isinstance(spec, FormSpec)
        questions = "; ".join(
            f'"{q.name}" ({_described(_canonical_question(q))})' for q in spec.questions
        )
        return (
            f'{FORMS} › Create a form: technical name "{spec.name}", for '
            f"{_table(spec.profileTable)}, participation {spec.participation}; questions: "
            f"{questions}"
        )

    def references(self, entity: str, spec: SpecModel) -> list[Address]:
        assert isinstance(spec, FormSpec)
        if spec.profileTable is None:
            return []
        return [Address(entity, PROFILE_TABLE, spec.profileTable)]

    def uses(self, entity: str, spec: SpecModel) -> list[Use]:
        assert isinstance(spec, FormSpec)
        if spec.profileTable is None:
            return []
        table = Address(entity, PROFILE_TABLE, spec.profileTable)
        uses = [Use(table, (), "collects answers for its profiles", at=("profileTable",))]
        for index, question in enumerate(spec.questions):
            at = ("questions", index)
            if question.attribute is not None:
                what = f"enriches attribute {question.attribute!r} (question {question.name!r})"
                # An answer typed for the attribute no longer fits a retyped one.
                path = ("attributes", question.attribute)
                keeps = ("type", "valueType")
                uses.append(Use(table, path, what, at=(*at, "attribute"), keeps=keeps))
            if question.subscription is not None:
                what = f"subscribes to {question.subscription!r} (question {question.name!r})"
                path = ("subscriptions", question.subscription)
                uses.append(Use(table, path, what, at=(*at, "subscription")))
        return uses

    def spec_from_payload(self, payload: Mapping[str, JSON], names: NameLookup) -> SpecModel:
        """Built without validation: a question type this version does not know is kept as
        it is, visibly. A structure without its questions is not a form we can read."""
        table_id = payload.get("profileTableId")
        table = None
        if table_id is not None:
            table = names(PROFILE_TABLE, str(table_id)) or f"(unknown id {table_id})"
        return FormSpec.model_construct(
            name=str(payload["name"]),
            displayName=payload.get("displayName"),
            profileTable=table,
            participation=payload.get("participation") or "SINGLE",
            questions=[_question_from_payload(q) for q in payload["questions"]],
        )


def _canonical_question(question: Question) -> dict[str, JSON]:
    out: dict[str, JSON] = {"type": question.type, "mandatory": question.mandatory}
    if question.choices is not None:
        out["choices"] = sorted(question.choices)  # technical values: a set
    if question.attribute is not None:
        out["attribute"] = question.attribute
    if question.subscription is not None:
        out["subscription"] = question.subscription
    return out


def _judge_question(where: str, path: Path, before: JSON, after: JSON) -> Verdict:
    question = path[1]
    if len(path) == 2 and before is None:
        step = f'{where} › Questions › add question "{question}": {_described(after)}'
        return Verdict(Risk.SAFE, manual=step, source=Source.DOC)
    if len(path) == 2:
        step = f'{where} › Questions › delete question "{question}" (its answers are lost)'
        return Verdict(Risk.DESTRUCTIVE, manual=step, source=Source.DOC)
    field = path[2]
    if field == "type":
        step = (
            f"a question's type cannot be changed: {where} › Questions › delete "
            f'question "{question}" (its answers are lost) and add it again as {after}'
        )
        return Verdict(Risk.DESTRUCTIVE, manual=step)  # [INFER]
    if field in ("attribute", "subscription"):
        target = f"the {field} {after!r}" if after is not None else "nothing"
        step = f'{where} › question "{question}" › Enrichment › map the answer to {target}'
        return Verdict(Risk.SAFE, manual=step, source=Source.DOC)
    value = ", ".join(map(str, after)) if isinstance(after, list) else str(after).lower()
    step = f'{where} › question "{question}" › set {field}: {value}'
    return Verdict(Risk.SAFE, manual=step, source=Source.DOC)


def _described(question: Mapping[str, Any]) -> str:
    parts = [str(question.get("type"))]
    if question.get("mandatory"):
        parts.append("mandatory")
    if question.get("choices"):
        parts.append("choices " + ", ".join(str(c) for c in question["choices"]))
    if question.get("attribute"):
        parts.append(f"enriching attribute {question['attribute']!r}")
    if question.get("subscription"):
        parts.append(f"subscribing to {question['subscription']!r}")
    return ", ".join(parts)


def _table(name: JSON) -> str:
    return f'profile table "{name}"' if name else "no profile table"


def _question_from_payload(raw: Mapping[str, Any]) -> Question:
    enriches = raw.get("enrichment") or {}
    choices = raw.get("choices")
    return Question.model_construct(
        name=str(raw.get("name")),
        type=raw.get("type") or "TEXT",
        mandatory=bool(raw.get("mandatory", False)),
        choices=list(choices) if choices else None,
        attribute=enriches.get("attribute"),
        subscription=enriches.get("subscription"),
    )
