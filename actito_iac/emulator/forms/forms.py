"""Forms: designed in ACTITO's UI only; the API gives their structure (actito-api.md §6).

[DOC] designing a form is not possible through the API; "obtain the structure of a form" is;
questions are addressed by their technical names, and only the technical values of
multiple-choice answers are exchanged. So the API here only reads; forms come from seeds and
from the UI surface (`/__emulator__/ui/…`), both through these rules.

[INFER] everything else: the paths (`…/form` lists summaries, `…/form/{id}` gives the
structure), the `forms` category, the question types, participation modes, how enrichment
is spelled, and that a form's profile table is fixed once it is created.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from actito_iac.emulator.problems import Report, RuleError, fixed_changes, object_body, unknown_keys
from actito_iac.emulator.resources.crud import Resource, id_by_name
from actito_iac.emulator.store import PROFILE_TABLE, Store
from actito_iac.emulator.structures.attribute_rules import check_name, is_technical_name

KIND = "form"
TYPES = (
    "TEXT",
    "EMAIL",
    "PHONE",
    "NUMBER",
    "DATE",
    "BOOLEAN",
    "SINGLE_CHOICE",
    "MULTIPLE_CHOICE",
)
CHOICES = frozenset({"SINGLE_CHOICE", "MULTIPLE_CHOICE"})
PARTICIPATIONS = ("SINGLE", "MULTIPLE")
TABLE_KEY = "profileTableId"
_KEYS = ("name", "displayName", TABLE_KEY, "participation", "questions")
_QUESTION_KEYS = ("name", "type", "mandatory", "choices", "enrichment")


class FormRules:
    def create(self, store: Store, entity: str, body: object) -> dict[str, Any]:
        return _checked(store, entity, body)

    def replace(
        self, store: Store, entity: str, stored: Mapping[str, Any], body: object
    ) -> dict[str, Any]:
        changed = _checked(store, entity, body)
        fixed = fixed_changes(stored, changed, ("name", TABLE_KEY))
        if fixed:
            raise RuleError(fixed)
        return changed


def _checked(store: Store, entity: str, body: object) -> dict[str, Any]:
    body, problems, bad = object_body(body, "a form", _KEYS)
    name = body.get("name")
    check_name(name, bad)
    participation = body.get("participation", "SINGLE")
    if participation not in PARTICIPATIONS:
        bad(f"participation {participation!r} is not one of {', '.join(PARTICIPATIONS)}")
    table = None
    if body.get(TABLE_KEY) is not None:
        table = store.get_object(entity, PROFILE_TABLE, str(body[TABLE_KEY]))
        if table is None:
            bad(f"{TABLE_KEY} {body[TABLE_KEY]!r}: no such profile table in {entity!r}")
    questions = _questions(body.get("questions"), table, body.get(TABLE_KEY) is None, bad)
    if problems:
        raise RuleError(problems)
    out: dict[str, Any] = {
        "name": name,
        TABLE_KEY: str(table["id"]) if table is not None else None,
        "participation": participation,
        "questions": questions,
    }
    if body.get("displayName") is not None:
        out["displayName"] = str(body["displayName"])
    return out


def _questions(
    raw: object, table: Mapping[str, Any] | None, unlinked: bool, bad: Report
) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        bad("questions must be a non-empty list")
        return []
    out = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where = f"questions[{index}]"
        if not isinstance(item, Mapping):
            bad(f"{where} must be an object")
            continue
        unknown_keys(where, item, _QUESTION_KEYS, bad)
        name, kind = item.get("name"), item.get("type", "TEXT")
        if not is_technical_name(name) or name in seen:
            bad(f"{where}: name {name!r} is not a technical name, or is used twice")
        seen.add(str(name))
        if kind not in TYPES:
            bad(f"{where}: type {kind!r} is not one of {', '.join(TYPES)}")
        choices = item.get("choices")
        if (kind in CHOICES) != isinstance(choices, list):
            bad(f"{where}: a choice question, and only one, takes a list of choices")
        enrichment = _enrichment(where, item.get("enrichment"), table, unlinked, bad)
        question = {"name": name, "type": kind, "mandatory": bool(item.get("mandatory", False))}
        if isinstance(choices, list):
            question["choices"] = list(choices)
        question["enrichment"] = enrichment
        out.append(question)
    return out


def _enrichment(
    where: str, raw: object, table: Mapping[str, Any] | None, unlinked: bool, bad: Report
) -> dict[str, str] | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or len(raw) != 1 or set(raw) - {"attribute", "subscription"}:
        bad(f"{where}: enrichment names one attribute or one subscription")
        return None
    if unlinked:
        bad(f"{where}: a form linked to no profile table enriches nothing")
        return None
    field, name = next(iter(raw.items()))
    if table is not None:
        part = "attributes" if field == "attribute" else "subscriptions"
        known = {x.get("name") for x in table.get(part) or []}
        if name not in known:
            bad(f"{where}: profile table {table['name']!r} has no {field} {name!r}")
    return {str(field): str(name)}


def seed_definition(store: Store, entity: str, definition: object) -> object:
    """A seed (or a person in the UI) names the profile table; the API stores its id."""
    if not isinstance(definition, Mapping) or "profileTable" not in definition:
        return definition
    out = dict(definition)
    name = str(out.pop("profileTable"))
    missing = f"profileTable {name!r}: no such profile table in entity {entity!r}"
    out[TABLE_KEY] = id_by_name(store, entity, PROFILE_TABLE, name, missing)
    return out


RESOURCE = Resource(
    kind=KIND,
    title="form",
    paths=("/forms/v4/entity/{entity}/form", "/v4/entity/{entity}/form"),  # [INFER]
    wrapper="forms",  # [INFER]
    rules=FormRules(),
    update="PUT",  # never served: api_writes is False
    seed_key="forms",
    seed_resolve=seed_definition,
    api_writes=False,  # [DOC] designed in the UI only
    summary_keys=("id", "name", "displayName"),  # [INFER] the list names the forms
)
