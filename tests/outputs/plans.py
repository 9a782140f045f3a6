"""Small hand-made plans for the renderer tests."""

from __future__ import annotations

from actito_iac.plan.model import Action, Change, FieldChange, Plan
from actito_iac.vocabulary import Address, Risk


def table(name: str) -> Address:
    return Address("B2C", "customTable", name)


def create(name: str, *, attributes: int = 1) -> Change:
    after = {
        "type": "INTERACTIONS",
        "attributes": {f"a{i}": {"valueType": "STRING"} for i in range(attributes)},
    }
    return Change(table(name), Action.CREATE, None, after)


def drop(name: str) -> Change:
    before = {"attributes": {"gone": {"valueType": "STRING"}, "kept": {"valueType": "LONG"}}}
    after = {"attributes": {"kept": {"valueType": "LONG"}}}
    field = FieldChange(
        ("attributes", "gone"),
        {"valueType": "STRING"},
        None,
        Risk.DESTRUCTIVE,
        impact="3 of 9 rows hold a value that would be lost",
    )
    return Change(table(name), Action.UPDATE, before, after, (field,), Risk.DESTRUCTIVE)


def blocked(name: str) -> Change:
    field = FieldChange(("type",), "INTERACTIONS", "REPOSITORY", blocked="type is immutable")
    return Change(
        table(name),
        Action.BLOCKED,
        {"type": "INTERACTIONS"},
        {"type": "REPOSITORY"},
        (field,),
        reason="a table's type cannot be changed; create a new table",
    )


def unmanaged(name: str) -> Change:
    return Change(
        table(name), Action.UNMANAGED, {"type": "INTERACTIONS"}, None, reason="no manifest"
    )


def plan(*changes: Change) -> Plan:
    return Plan(tuple(changes))
