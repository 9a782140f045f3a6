"""The executor's deletes and replaces: each re-reads the object first and refuses one that
moved; a replace runs in the order its kind allows; a change that waits for a failed one is
skipped."""

from __future__ import annotations

import json
from typing import Any, ClassVar

import httpx
import pytest

from actito_iac.actual import Actual, LiveObject
from actito_iac.api.client import ActitoClient
from actito_iac.apply import apply_plan
from actito_iac.apply_result import Status
from actito_iac.plan.model import Action, Change, Plan
from actito_iac.secrets import Secret
from actito_iac.vocabulary import Address, Risk

from ..unit.test_prune_and_replace import NoteKind, NoteSpec

pytestmark = pytest.mark.anyio

BASE = "/notes/v5/entities/B2C/notes"


class Notes:
    """A licence holding notes by id; every API call is recorded as (method, path)."""

    def __init__(self, **objects: dict[str, Any]) -> None:
        self.objects = dict(objects)
        self.calls: list[tuple[str, str]] = []
        self.next_id = 100
        self.fail: set[tuple[str, str]] = set()

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/auth/token":
            return httpx.Response(200, json={"accessToken": "t", "expiresIn": "900s"})
        method, path = request.method, request.url.path
        self.calls.append((method, path))
        if (method, path) in self.fail:
            return httpx.Response(400, json={"message": "refused"})
        key = path.removeprefix(BASE).strip("/")
        if method == "POST":
            self.next_id += 1
            self.objects[str(self.next_id)] = json.loads(request.content)
            return httpx.Response(201, json={"id": self.next_id})
        if key not in self.objects:
            return httpx.Response(404, json={"message": "no such note"})
        if method == "GET":
            return httpx.Response(200, json={"id": int(key), **self.objects[key]})
        if method == "DELETE":
            del self.objects[key]
            return httpx.Response(204)
        self.objects[key] = json.loads(request.content)
        return httpx.Response(200, json={"id": int(key), **self.objects[key]})


def live(number: int, spec: NoteSpec) -> LiveObject:
    return LiveObject(str(number), spec, {"id": number, **spec.model_dump()})


def change(action: Action, spec: NoteSpec, **more: Any) -> Change:
    address = Address("B2C", "note", spec.name)
    after = None if action is Action.DELETE else {"mode": spec.mode}
    return Change(address, action, {}, after, risk=Risk.DESTRUCTIVE, spec=spec, **more)


async def run(notes: Notes, plan: Plan, objects: dict[Address, LiveObject], kind: Any) -> Any:
    client = ActitoClient(
        "http://127.0.0.1", Secret("k"), transport=httpx.MockTransport(notes.handler)
    )
    async with client:
        return await apply_plan(
            plan, Actual(("B2C",), objects), client, allow_destructive=True, kinds=(kind,)
        )


async def test_a_delete_re_reads_the_object_then_deletes_it() -> None:
    old = NoteSpec(name="Old", table="Orders")
    notes = Notes(**{"7": old.model_dump()})
    result = await run(notes, Plan((change(Action.DELETE, old),)), {}, NoteKind())
    # Not in `objects`: the executor has no live id for it, so it cannot delete it.
    assert result.outcomes[0].status is Status.SKIPPED

    objects = {Address("B2C", "note", "Old"): live(7, old)}
    result = await run(notes, Plan((change(Action.DELETE, old),)), objects, NoteKind())
    assert result.ok
    assert notes.calls[-2:] == [("GET", f"{BASE}/7"), ("DELETE", f"{BASE}/7")]
    assert "7" not in notes.objects


async def test_a_delete_of_an_object_that_moved_since_the_plan_is_refused() -> None:
    old = NoteSpec(name="Old", table="Orders")
    notes = Notes(**{"7": {**old.model_dump(), "mode": "edited in the UI"}})
    objects = {Address("B2C", "note", "Old"): live(7, old)}
    result = await run(notes, Plan((change(Action.DELETE, old),)), objects, NoteKind())
    (outcome,) = result.outcomes
    assert outcome.status is Status.FAILED
    assert "it changed since the plan; nothing of it was written" in outcome.message
    assert ("DELETE", f"{BASE}/7") not in notes.calls


class CreateFirst(NoteKind):
    replace_creates_first: ClassVar[bool] = True


@pytest.mark.parametrize(
    ("kind", "order"),
    [(NoteKind(), ["GET", "DELETE", "POST"]), (CreateFirst(), ["GET", "POST", "DELETE"])],
)
async def test_a_replace_runs_in_the_order_its_kind_allows(kind: Any, order: list[str]) -> None:
    before, after = NoteSpec(name="N", table="Orders"), NoteSpec(name="N", table="Orders", mode="B")
    notes = Notes(**{"7": before.model_dump()})
    objects = {Address("B2C", "note", "N"): live(7, before)}
    result = await run(notes, Plan((change(Action.REPLACE, after),)), objects, kind)
    (outcome,) = result.outcomes
    assert outcome.status is Status.DONE
    assert outcome.message == "id 7 → id 101"
    assert [method for method, _ in notes.calls] == order
    assert notes.objects == {"101": after.model_dump()}


async def test_a_replace_stopped_half_way_says_which_half_is_done() -> None:
    before, after = NoteSpec(name="N", table="Orders"), NoteSpec(name="N", table="Orders", mode="B")
    notes = Notes(**{"7": before.model_dump()})
    notes.fail.add(("POST", BASE))
    objects = {Address("B2C", "note", "N"): live(7, before)}
    result = await run(notes, Plan((change(Action.REPLACE, after),)), objects, NoteKind())
    (outcome,) = result.outcomes
    assert outcome.status is Status.FAILED
    assert outcome.message.startswith("deleted id 7, but the new one was not created")


async def test_a_change_that_waits_for_a_failed_one_is_skipped() -> None:
    hook, other = NoteSpec(name="Hook", table="Orders"), NoteSpec(name="Other", table="Orders")
    notes = Notes(**{"7": hook.model_dump(), "8": other.model_dump()})
    notes.fail.add(("DELETE", f"{BASE}/7"))
    objects = {
        Address("B2C", "note", "Hook"): live(7, hook),
        Address("B2C", "note", "Other"): live(8, other),
    }
    waiting = change(Action.UPDATE, other, runs_after=(Address("B2C", "note", "Hook"),))
    result = await run(notes, Plan((change(Action.DELETE, hook), waiting)), objects, NoteKind())
    assert [o.status for o in result.outcomes] == [Status.FAILED, Status.SKIPPED]
    assert "needs B2C/note/Hook, whose change was not applied" in result.outcomes[1].message
    assert ("PUT", f"{BASE}/8") not in notes.calls
