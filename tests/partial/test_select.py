"""--target / --exclude on a plan: dependency closure, unknown names, excluded dependencies."""

from __future__ import annotations

import re

import pytest

from actito_iac.plan.model import Action, Change, Plan
from actito_iac.plan.select import Selection, SelectionError, matches, select
from actito_iac.vocabulary import Address


def table(name: str, entity: str = "B2C") -> Address:
    return Address(entity, "customTable", name)


def change(name: str, action: Action = Action.CREATE, *deps: str, entity: str = "B2C") -> Change:
    after = None if action is Action.UNMANAGED else {"type": "INTERACTIONS"}
    return Change(
        table(name, entity), action, None, after, depends_on=tuple(table(d, entity) for d in deps)
    )


# Lines -> Orders -> Stores; Events -> Stores; Legacy unmanaged; B2B/Orders another entity.
PLAN = Plan(
    (
        change("Stores"),
        change("Orders", Action.CREATE, "Stores"),
        change("Events", Action.UPDATE, "Stores"),
        change("Lines", Action.CREATE, "Orders"),
        change("Legacy", Action.UNMANAGED),
        change("Orders", Action.NO_OP, entity="B2B"),
    )
)


def names(plan: Plan) -> list[str]:
    return [str(c.address) for c in plan.changes]


def test_no_selection_is_the_whole_plan() -> None:
    assert select(PLAN, Selection()) is PLAN


def test_a_target_brings_what_it_depends_on_transitively_in_plan_order() -> None:
    selected = select(PLAN, Selection(targets=("B2C/customTable/Lines",)))

    assert names(selected) == [
        "B2C/customTable/Stores",
        "B2C/customTable/Orders",
        "B2C/customTable/Lines",
    ]


def test_kind_and_name_match_in_every_entity() -> None:
    selected = select(PLAN, Selection(targets=("customTable/Orders",)))

    assert names(selected) == [
        "B2C/customTable/Stores",
        "B2C/customTable/Orders",
        "B2B/customTable/Orders",
    ]


def test_exclude_alone_drops_only_what_it_names() -> None:
    selected = select(PLAN, Selection(excludes=("customTable/Legacy", "customTable/Lines")))

    assert "B2C/customTable/Legacy" not in names(selected)
    assert "B2C/customTable/Lines" not in names(selected)
    assert len(selected.changes) == len(PLAN.changes) - 2


def test_an_existing_dependency_may_be_excluded() -> None:
    plan = Plan((change("Stores", Action.UPDATE), change("Orders", Action.CREATE, "Stores")))

    selected = select(
        plan, Selection(targets=("customTable/Orders",), excludes=("customTable/Stores",))
    )

    assert names(selected) == ["B2C/customTable/Orders"]


def test_excluding_a_dependency_that_must_be_created_is_refused() -> None:
    with pytest.raises(SelectionError) as refused:
        select(PLAN, Selection(targets=("customTable/Lines",), excludes=("customTable/Orders",)))

    message = str(refused.value)
    assert "--exclude customTable/Orders: customTable/Lines depends on it" in message
    assert "does not exist yet" in message


@pytest.mark.parametrize(
    ("selection", "words"),
    [
        (Selection(targets=("customTable/Nope",)), "--target customTable/Nope: no such object"),
        (Selection(excludes=("B2B/customTable/Lines",)), "--exclude B2B/customTable/Lines"),
        (Selection(targets=("Orders",)), "write KIND/NAME or ENTITY/KIND/NAME"),
    ],
)
def test_names_that_match_nothing_are_errors(selection: Selection, words: str) -> None:
    with pytest.raises(SelectionError, match=re.escape(words)):
        select(PLAN, selection)


def test_a_misspelt_name_is_told_the_closest_as_it_was_written() -> None:
    with pytest.raises(SelectionError, match=re.escape("did you mean 'customTable/Orders'?")):
        select(PLAN, Selection(targets=("customTable/Order",)))
    with pytest.raises(SelectionError, match=re.escape("did you mean 'B2B/customTable/Orders'?")):
        select(PLAN, Selection(excludes=("B2B/customTable/Ordres",)))


def test_addresses_round_trip_with_slashes_and_without_an_entity() -> None:
    from actito_iac.vocabulary import LICENCE

    hook = Address("B2C", "webhookSubscription", "profileTable:C:CREATE:https://h.example/a/b")
    assert Address.parse(str(hook)) == hook
    assert matches("webhookSubscription/profileTable:C:CREATE:https://h.example/a/b", hook)
    assert matches(str(hook), hook)
    assert not matches("webhookSubscription/profileTable:C:CREATE:https://h.example/a", hook)
    wide = Address(LICENCE, "someKind", "Thing")
    assert (str(wide), wide.licence_level, hook.licence_level) == ("-/someKind/Thing", True, False)
    assert Address.parse(str(wide)) == wide
    assert matches("someKind/Thing", wide)
