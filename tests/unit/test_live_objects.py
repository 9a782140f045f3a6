"""Live objects keep their payload packed, give it back equal to the answer, and the reader
lets go of each answer's dicts once its object is made (the memory of a large read)."""

from __future__ import annotations

import weakref
from typing import Any

import pytest

from actito_iac.actual import LiveObject
from actito_iac.kinds.custom_table import CustomTableKind
from actito_iac.live import _Item, _to_live
from actito_iac.plan.fingerprint import payload_fingerprint

KIND = CustomTableKind()


class Payload(dict[str, Any]):
    """A payload that can be watched with a weak reference (a plain dict cannot)."""


def table(name: str, **more: Any) -> Payload:
    return Payload(
        id=f"id-{name}",
        name=name,
        type="INTERACTIONS",
        primaryKeyAttribute="id",
        bigTable=False,
        attributes=[
            {"name": "id", "valueType": "STRING", "mandatory": True, "unique": True},
            {"name": "note", "valueType": "STRING", "valueRestriction": {"maxLength": 40}},
        ],
        **more,
    )


@pytest.mark.parametrize(
    "answer",
    [
        table("Orders", displayOptions={"description": "Commandes passées — été"}, score=1.5),
        table("Huge", counter=2**70, nested=[{"a": [None, True, -0.0, 1e-7]}]),
    ],
    ids=["json", "past-64-bits"],
)
def test_the_payload_comes_back_equal_with_the_same_fingerprint(answer: Payload) -> None:
    spec = KIND.spec_from_payload(answer, lambda kind, object_id: None)
    live = LiveObject("id", spec, answer)
    assert live.payload == answer
    assert payload_fingerprint(live.payload) == payload_fingerprint(answer)


def test_reading_lets_go_of_every_answer() -> None:
    answers = [table(f"T{n}") for n in range(3)]
    watched = [weakref.ref(a) for a in answers]
    items = [_Item(KIND, a, f"item {n}", None) for n, a in enumerate(answers, start=1)]
    del answers
    objects = _to_live("B2C", items)
    assert sorted(a.name for a in objects) == ["T0", "T1", "T2"]
    assert items == []
    assert [ref() for ref in watched] == [None, None, None]
    assert objects[next(iter(objects))].payload["attributes"][1]["valueRestriction"] == {
        "maxLength": 40
    }
