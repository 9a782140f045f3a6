"""A manifest naming an entity the licence lacks: an error at its `entity:` line, with the
closest existing name when there is one, and the existing ones."""

from __future__ import annotations

from actito_iac.errors import SourceLocation
from actito_iac.kinds.entity import missing_entities

HERE = SourceLocation("b2c.yaml", 1, 9)


def test_a_misspelt_entity_is_told_the_closest_existing_one() -> None:
    [problem] = missing_entities({"B2c": [HERE], "B2B": [HERE]}, ["B2B", "B2C"])
    assert problem.message == (
        "entity 'B2c' does not exist in the licence; did you mean 'B2C'? "
        "(existing entities: B2B, B2C)"
    )
    assert problem.location == HERE


def test_an_entity_like_none_of_them_lists_them_and_an_empty_licence_says_so() -> None:
    [far] = missing_entities({"Retail": [HERE]}, ["B2B", "B2C"])
    assert far.message.endswith("(existing entities: B2B, B2C)")
    assert "did you mean" not in far.message
    [empty] = missing_entities({"Retail": [HERE]}, [])
    assert empty.message.endswith("(there are no existing entities)")
