"""Deletes (opt-in, gated, ordered, refused when something relies on the object), replaces, and
values the API does not return — planned for a small kind defined here, as any kind would be."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import pytest
from pydantic import Field

from actito_iac.actual import Actual, LiveObject
from actito_iac.apply import check_applicable
from actito_iac.errors import ApplyRefused, ConfigError, LiveStateError, SourceLocation
from actito_iac.kinds.base import IdLookup, Kind, NameLookup
from actito_iac.kinds.custom_table import CustomTableKind
from actito_iac.kinds.custom_table_payload import payload_from_spec, spec_from_payload
from actito_iac.kinds.custom_table_spec import CustomTableSpec
from actito_iac.kinds.endpoints import Endpoints, UpdateMethod
from actito_iac.manifest.desired import Desired, DesiredObject
from actito_iac.plan.model import Action, Plan
from actito_iac.plan.planner import check_manifests, make_plan
from actito_iac.plan.prune import Prune, prune_of
from actito_iac.plan.select import Selection, SelectionError, select
from actito_iac.vocabulary import (
    JSON,
    UNREAD,
    Address,
    Capabilities,
    NamedSpec,
    Path,
    Risk,
    Source,
    SpecModel,
    Use,
    Verdict,
    op,
)

HERE = SourceLocation("b2c.yaml", 7, 5)


class NoteSpec(NamedSpec):
    table: str
    watches: list[str] = Field(default_factory=list)
    parent: str | None = None
    mode: str = "A"
    token: str = ""


class NoteKind(Kind):
    """A made-up kind: on a custom table, watching some of its attributes, maybe under
    another note; its mode can only change by a replace."""

    name: ClassVar[str] = "note"
    section: ClassVar[str] = "notes"
    spec_type: ClassVar[type[SpecModel]] = NoteSpec
    capabilities: ClassVar[Capabilities] = Capabilities(
        op(Source.INFER), op(Source.INFER), op(Source.INFER), op(Source.INFER), op(Source.INFER)
    )
    endpoints: ClassVar[Endpoints] = Endpoints(
        "notes", "v5", "notes", "notes", update=UpdateMethod.PUT, delete=True
    )

    def canonical(self, spec: SpecModel) -> dict[str, JSON]:
        assert isinstance(spec, NoteSpec)
        out: dict[str, JSON] = {"table": spec.table, "watches": sorted(spec.watches)}
        out.update({"mode": spec.mode, "parent": spec.parent, "token": spec.token})
        return out

    def judge(self, path: Path, before: JSON, after: JSON, name: str = "") -> Verdict:
        if path == ("mode",):
            return Verdict(Risk.DESTRUCTIVE, replace="a note's mode is set at creation")
        return Verdict(Risk.SAFE)

    def references(self, entity: str, spec: SpecModel) -> list[Address]:
        assert isinstance(spec, NoteSpec)
        out = [Address(entity, "customTable", spec.table)]
        return out + ([Address(entity, "note", spec.parent)] if spec.parent else [])

    def uses(self, entity: str, spec: SpecModel) -> list[Use]:
        assert isinstance(spec, NoteSpec)
        table = Address(entity, "customTable", spec.table)
        return [Use(table, ("attributes", w), f"watches attribute {w!r}") for w in spec.watches]

    def spec_from_payload(self, payload: Mapping[str, JSON], names: NameLookup) -> SpecModel:
        return NoteSpec.model_construct(**payload)

    def payload(
        self, spec: SpecModel, ids: IdLookup, live: Mapping[str, JSON] | None
    ) -> dict[str, JSON]:
        return spec.model_dump()


KINDS = (CustomTableKind(), NoteKind())
ORDERS = Address("B2C", "customTable", "Orders")


def orders(*attributes: str) -> CustomTableSpec:
    return CustomTableSpec.model_validate(
        {
            "name": "Orders",
            "primaryKey": "orderId",
            "attributes": [
                {"name": "orderId", "valueType": "STRING", "mandatory": True, "unique": True},
                *({"name": a, "valueType": "STRING"} for a in attributes),
            ],
        }
    )


def note(name: str = "N", **fields: Any) -> NoteSpec:
    return NoteSpec(name=name, table=fields.pop("table", "Orders"), **fields)


def address(spec: SpecModel) -> Address:
    if isinstance(spec, NoteSpec):
        return Address("B2C", "note", spec.name)
    assert isinstance(spec, CustomTableSpec)
    return Address("B2C", "customTable", spec.name)


def desired(*specs: SpecModel) -> Desired:
    return Desired(tuple(DesiredObject(address(s), s, HERE) for s in specs), {"B2C": (HERE,)})


def live_object(spec: SpecModel, number: int) -> LiveObject:
    if isinstance(spec, CustomTableSpec):
        payload = {"id": f"t{number}", **payload_from_spec(spec, lambda k, n: "x")}
        return LiveObject(f"t{number}", spec_from_payload(payload, lambda k, i: None), payload)
    return LiveObject(str(number), spec, {"id": number, **spec.model_dump()})


def actual(*specs: SpecModel) -> Actual:
    return Actual(("B2C",), {address(s): live_object(s, i) for i, s in enumerate(specs)})


def plan(want: Desired, have: Actual, prune: Prune | None = None) -> Plan:
    return make_plan(want, have, KINDS, prune)


def by_address(result: Plan) -> dict[str, Any]:
    return {str(c.address): c for c in result.changes}


def test_without_prune_a_live_object_in_no_manifest_is_listed_never_deleted() -> None:
    result = plan(desired(orders()), actual(orders(), note("Old")))
    old = by_address(result)["B2C/note/Old"]
    assert old.action is Action.UNMANAGED
    assert "plan --prune note would delete it" in old.reason
    assert not result.executable


def test_prune_turns_it_into_a_destructive_delete_that_apply_asks_twice_for() -> None:
    result = plan(desired(orders()), actual(orders(), note("Old")), Prune(every=True))
    old = by_address(result)["B2C/note/Old"]
    assert (old.action, old.risk, old.after) == (Action.DELETE, Risk.DESTRUCTIVE, None)
    assert old.before == {
        "table": "Orders",
        "watches": [],
        "mode": "A",
        "parent": None,
        "token": "",
    }
    with pytest.raises(ApplyRefused) as refused:
        check_applicable(result, allow_destructive=False)
    assert refused.value.destructive
    check_applicable(result, allow_destructive=True)


def test_prune_names_a_kind_the_api_can_delete_or_is_refused() -> None:
    assert prune_of(["*"], KINDS) == Prune(every=True)
    assert prune_of(["note", "note"], KINDS) == Prune(frozenset({"note"}))
    with pytest.raises(ConfigError, match="a custom table cannot be deleted"):
        prune_of(["customTable"], KINDS)
    with pytest.raises(ConfigError, match=r"no such kind.*manifest paths before it"):
        prune_of(["manifests/"], KINDS)
    with pytest.raises(ConfigError, match=r"no such kind \(did you mean 'note'\?"):
        prune_of(["notes"], KINDS)


def test_pruning_every_kind_leaves_the_kinds_that_cannot_be_deleted_listed() -> None:
    other = orders().model_copy(update={"name": "Legacy"})
    result = plan(desired(orders()), actual(orders(), other), Prune(every=True))
    legacy = by_address(result)["B2C/customTable/Legacy"]
    assert legacy.action is Action.UNMANAGED
    assert "cannot be deleted through the API" in legacy.reason


def test_removing_an_attribute_a_live_only_object_watches_is_blocked_naming_it() -> None:
    result = plan(desired(orders()), actual(orders("status"), note("Hook", watches=["status"])))
    change = by_address(result)["B2C/customTable/Orders"]
    assert change.action is Action.BLOCKED
    assert "removing attributes.status would break note 'Hook'" in change.reason
    assert "--prune note" in change.reason


def test_pruned_it_goes_first_and_the_table_change_waits_for_it() -> None:
    have = actual(orders("status"), note("Hook", watches=["status"]))
    result = plan(desired(orders()), have, Prune(frozenset({"note"})))
    assert [(str(c.address), c.action) for c in result.executable] == [
        ("B2C/note/Hook", Action.DELETE),
        ("B2C/customTable/Orders", Action.UPDATE),
    ]
    assert result.executable[1].runs_after == (Address("B2C", "note", "Hook"),)
    # Excluding the delete would leave the table change to break the subscription: refused.
    with pytest.raises(SelectionError, match="--exclude note/Hook: it relies on"):
        select(result, Selection(excludes=("note/Hook",)))
    # Targeting the table brings the delete along.
    kept = select(result, Selection(targets=("customTable/Orders",)))
    assert [c.action for c in kept.executable] == [Action.DELETE, Action.UPDATE]


def test_an_object_that_stops_relying_on_a_pruned_one_is_changed_first_and_listed_first() -> None:
    """The plan lists changes in the order apply makes them: the child no longer under its
    parent is updated, then the parent is deleted (the unchanged table they both rely on
    orders nothing)."""
    have = actual(orders(), note("Parent"), note("Child", parent="Parent"))
    result = plan(desired(orders(), note("Child")), have, Prune(every=True))
    assert [(str(c.address), c.action) for c in result.executable] == [
        ("B2C/note/Child", Action.UPDATE),
        ("B2C/note/Parent", Action.DELETE),
    ]
    assert result.executable[1].runs_after == (Address("B2C", "note", "Child"),)


def test_deleting_an_object_the_manifests_still_refer_to_is_blocked() -> None:
    want = desired(orders(), note("Child", parent="Parent"))
    result = plan(
        want, actual(orders(), note("Parent"), note("Child", parent="Parent")), Prune(every=True)
    )
    parent = by_address(result)["B2C/note/Parent"]
    assert parent.action is Action.BLOCKED
    assert parent.after is None
    assert "deleting it would break note 'Child' (in the manifests)" in parent.reason


def test_a_field_that_needs_a_new_object_is_one_replace_with_the_kinds_risk() -> None:
    result = plan(desired(orders(), note(mode="B")), actual(orders(), note(mode="A")))
    (change,) = result.executable
    assert change.action is Action.REPLACE
    assert change.risk is Risk.DESTRUCTIVE
    assert [(f.path, f.replace) for f in change.fields] == [
        (("mode",), "a note's mode is set at creation")
    ]
    assert result.count()[Action.REPLACE] == 1
    assert result.count()[Action.DELETE] == 0


def test_replacing_an_object_others_refer_to_is_blocked() -> None:
    want = desired(orders(), note("Parent", mode="B"), note("Child", parent="Parent"))
    have = actual(orders(), note("Parent"), note("Child", parent="Parent"))
    parent = by_address(plan(want, have))["B2C/note/Parent"]
    assert parent.action is Action.BLOCKED
    assert "replacing it (a new object, a new id) would break note 'Child'" in parent.reason


def test_watching_an_attribute_the_manifests_do_not_declare_fails_validation() -> None:
    [problem] = check_manifests(desired(orders("status"), note(watches=["status", "gone"])), KINDS)
    assert problem.location == HERE
    assert "note 'N' watches attribute 'gone' of customTable 'Orders'" in problem.message
    assert "the manifests do not declare it" in problem.message


def test_watching_an_attribute_the_live_table_lacks_fails_the_plan() -> None:
    with pytest.raises(LiveStateError, match="the licence does not have it"):
        plan(desired(note(watches=["status"])), actual(orders()))


def test_a_value_the_api_does_not_return_is_not_compared_and_the_plan_says_so() -> None:
    have = actual(orders(), note(token=UNREAD))
    result = plan(desired(orders(), note(token="s3cret")), have)
    change = by_address(result)["B2C/note/N"]
    assert change.action is Action.NO_OP
    assert not result.has_changes
    assert change.not_compared == ("token",)


def test_a_saved_plan_whose_replace_or_delete_changed_is_stale() -> None:
    from actito_iac.plan.saved import SavedPlan, plan_changes
    from actito_iac.render.json_plan import plan_document

    def document(mode: str, pruned: bool) -> dict[str, Any]:
        have = actual(orders(), note(), note("Old"))
        result = plan(desired(orders(), note(mode=mode)), have, Prune(every=pruned))
        return plan_document(result, environment="e", selection=Selection())

    saved = SavedPlan(document("B", True), "e", "u", "h", {}, {}, None, ())
    assert plan_changes(saved, document("B", True)) == []
    (replaced,) = plan_changes(saved, document("C", True))
    assert "B2C/note/N: the replace now differs" in replaced
    (gone,) = plan_changes(saved, document("B", False))
    assert "B2C/note/Old would no longer delete" in gone


def test_removing_an_attribute_named_like_a_display_text_is_planned_with_its_risk() -> None:
    result = plan(desired(orders("price")), actual(orders("description", "price")))
    (change,) = result.executable
    assert change.action is Action.UPDATE
    assert [(f.path, f.risk) for f in change.fields] == [
        (("attributes", "description"), Risk.DESTRUCTIVE)
    ]
