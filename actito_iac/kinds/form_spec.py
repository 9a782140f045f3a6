"""The manifest model of a form: its questions, and which answers enrich which profile fields.

ACTITO documents that forms are designed in its UI only, that the API gives a form's
structure, and that questions are addressed by technical name, with only the technical values
of multiple-choice answers exchanged (actito-api.md §6) [DOC]. The question types, the
participation modes and how enrichment is spelled are [INFER].
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field

from actito_iac.kinds.common import TECHNICAL_NAME, inferred_enum
from actito_iac.vocabulary import Issue, Model, NamedSpec

QuestionType = Literal[
    "TEXT", "EMAIL", "PHONE", "NUMBER", "DATE", "BOOLEAN", "SINGLE_CHOICE", "MULTIPLE_CHOICE"
]
"""[INFER] the kinds of answer a form question takes."""
CHOICE_TYPES = frozenset({"SINGLE_CHOICE", "MULTIPLE_CHOICE"})
Participation = Literal["SINGLE", "MULTIPLE"]
"""[INFER] SINGLE: one participation per profile (answering again updates it); MULTIPLE: each
submission is a new participation."""


class Question(Model):
    name: str = Field(pattern=TECHNICAL_NAME, description="Technical name of the question.")
    type: QuestionType = Field(
        default="TEXT", **inferred_enum("The kind of answer.", *get_args(QuestionType))
    )
    mandatory: bool = Field(default=False, description="The form cannot be sent without it.")
    choices: list[str] | None = Field(
        default=None,
        min_length=1,
        description="SINGLE_CHOICE / MULTIPLE_CHOICE: the technical values offered.",
    )
    attribute: str | None = Field(
        default=None, description="The profile attribute the answer enriches."
    )
    subscription: str | None = Field(
        default=None, description="BOOLEAN: the subscription a yes subscribes the profile to."
    )


class FormSpec(NamedSpec):
    """A form the licence relies on. Forms are designed in the ACTITO UI only: the plan checks
    the licence has it, as declared, and says what to do in the UI where it differs."""

    name: str = Field(pattern=TECHNICAL_NAME, description="Technical name; its identity.")
    displayName: str | None = Field(default=None, description="The name shown in the UI.")
    profileTable: str | None = Field(
        default=None,
        description="The profile table its answers enrich; left out: a form linked to none.",
    )
    participation: Participation = Field(
        default="SINGLE",
        **inferred_enum(
            "SINGLE: one participation per profile, updated by a new answer; MULTIPLE: each "
            "answer is a new participation.",
            *get_args(Participation),
        ),
    )
    questions: list[Question] = Field(min_length=1)


def check_form(spec: FormSpec) -> list[Issue]:
    issues: list[Issue] = []
    names: set[str] = set()
    enriched: dict[str, str] = {}
    for index, question in enumerate(spec.questions):
        where = ("questions", index)
        if question.name in names:
            issues.append(Issue((*where, "name"), f"duplicate question {question.name!r}"))
        names.add(question.name)
        issues += _check_question(where, question, spec.profileTable is not None)
        if question.attribute is not None:
            first = enriched.setdefault(question.attribute, question.name)
            if first != question.name:
                message = f"question {first!r} enriches attribute {question.attribute!r} already"
                issues.append(Issue((*where, "attribute"), message))
    return issues


def _check_question(where: tuple[str | int, ...], question: Question, linked: bool) -> list[Issue]:
    issues = []
    choices = question.choices
    if question.type in CHOICE_TYPES and choices is None:
        issues.append(Issue(where, f"a {question.type} question needs choices"))
    if choices is not None and question.type not in CHOICE_TYPES:
        issues.append(Issue((*where, "choices"), "only a choice question takes choices"))
    if choices is not None and len(set(choices)) != len(choices):
        issues.append(Issue((*where, "choices"), "a choice is listed twice"))
    for field in ("attribute", "subscription"):
        if getattr(question, field) is not None and not linked:
            message = "a form linked to no profile table enriches nothing: name its profileTable"
            issues.append(Issue((*where, field), message))
    if question.attribute is not None and question.subscription is not None:
        issues.append(Issue((*where, "subscription"), "an answer enriches one field only"))
    if question.subscription is not None and question.type != "BOOLEAN":
        issues.append(Issue((*where, "subscription"), "only a BOOLEAN answer subscribes"))
    return issues
