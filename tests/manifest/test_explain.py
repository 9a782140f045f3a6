"""pydantic errors of any model -> one readable diagnostic per problem, at its YAML place."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import Field, ValidationError
from ruamel.yaml import YAML

from actito_iac.manifest.explain import explain
from actito_iac.manifest.model import StrictModel
from actito_iac.manifest.plain import to_plain

from .conftest import place


class Size(StrictModel):
    width: int = Field(ge=1)
    unit: Literal["px", "em"] = "px"


class Colour(StrictModel):
    hue: int


class Doc(StrictModel):
    value: str | int | bool
    sizes: list[Size] = Field(default_factory=list)
    look: Size | Colour | None = None


def problems(text: str) -> list[str]:
    tree = YAML().load(text)
    plain, _ = to_plain(tree, "d.yaml", None)
    with pytest.raises(ValidationError) as info:
        Doc.model_validate(plain)
    return [str(d) for d in explain(info.value, tree, "d.yaml", Doc)]


def test_a_value_fitting_no_union_member_is_one_problem() -> None:
    text = "value: [1, 2]\n"

    assert problems(text) == [
        "d.yaml:1:8: error: value: expected text, a whole number or true or false, "
        "got a list of 2 item(s)"
    ]


def test_errors_inside_list_items_name_their_index_and_place() -> None:
    text = "value: x\nsizes:\n  - {width: 2}\n  - {width: 0, unit: pt, wdth: 3}\n"

    line, _ = place(text, "width: 0")
    assert problems(text) == [
        f"d.yaml:{line}:{place(text, '0,')[1]}: error: sizes[1].width: must be at least 1, "
        "got the number 0",
        f"d.yaml:{line}:{place(text, 'pt')[1]}: error: sizes[1].unit: 'pt' is not allowed; "
        "expected one of: px, em",
        f"d.yaml:{line}:{place(text, 'wdth')[1]}: error: sizes[1].wdth: unknown field 'wdth' "
        "(did you mean 'width'?)",
    ]


def test_union_member_tags_are_left_out_of_paths() -> None:
    text = "value: 1\nlook: {hue: x}\n"

    found = problems(text)

    assert all(".Size" not in p and ".Colour" not in p for p in found), found
    assert "d.yaml:2:13: error: look.hue: expected a whole number, got text 'x'" in found


def test_a_missing_field_is_placed_on_its_mapping() -> None:
    text = "value: 1\nsizes:\n  - unit: em\n"

    assert problems(text) == [
        "d.yaml:3:5: error: sizes[0].width: missing required field 'width'"
    ]
