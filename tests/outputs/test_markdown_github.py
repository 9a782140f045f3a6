"""The pull-request comment as GitHub renders it: parsed as GitHub-flavoured Markdown (tables,
strikethrough), no table cell or code line wider than `LINE`, changes in ```diff blocks so
additions and removals are coloured. Real plans (the examples and the golden scenarios) are
rendered and kept as golden files: set UPDATE_GOLDEN=1 to rewrite them, then review the diff."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from ruamel.yaml import YAML

from actito_iac.plan.model import Action, Change, Plan
from actito_iac.plan.select import Selection
from actito_iac.render.markdown import LINE, render_markdown
from actito_iac.session import Inputs, load_desired, plan_against
from actito_iac.vocabulary import Address

from ..conftest import EXAMPLE_SECRETS

ROOT = Path(__file__).parents[2]
GOLDEN = Path(__file__).parent / "golden"
SCENARIOS = ROOT / "tests" / "scenarios"
PLANS = {
    # golden name: (seed, manifests)
    "examples": (ROOT / "examples" / "emulator-seed.yaml", ROOT / "examples" / "manifests"),
    **{
        name: (SCENARIOS / name / "seed.yaml", SCENARIOS / name / "manifests")
        for name in (
            "002-add-attribute",
            "003-type-change-blocked",
            "011-remove-attribute-with-data",
            "013-profile-table-manual-steps",
            "017-webhook-replace",
            "019-webhook-prune-gated",
            "031-email-campaign-content-change",
            "033-email-campaign-active-edit-manual",
            "046-form-drift-manual-steps",
            "051-attribute-removal-blocked-by-its-users",
        )
    },
}

GFM = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def tokens(text: str) -> list[Token]:
    return GFM.parse(text)


def table_cells(parsed: list[Token]) -> list[str]:
    cells, inside = [], False
    for token in parsed:
        if token.type in ("th_open", "td_open"):
            inside = True
        elif token.type in ("th_close", "td_close"):
            inside = False
        elif inside and token.type == "inline":
            cells.append(token.content)
    return cells


def check_renders_well(text: str) -> list[Token]:
    """What a reviewer sees is readable without scrolling, and coloured."""
    parsed = tokens(text)
    fences = [t for t in parsed if t.type == "fence"]
    for fence in fences:
        assert fence.info == "diff", fence.content
        for line in fence.content.splitlines():
            assert len(line) <= LINE, line
            # every line is coloured or context; `@@` starts a hunk of a long text's diff
            assert line[:1] in ("+", "-", " ") or line.startswith("@@ "), line
    cells = table_cells(parsed)
    assert cells, "the summary table is a GFM table"
    assert all(len(cell) <= LINE for cell in cells)
    return parsed


async def plan_of(licence: Any, seed: Path, manifests: Path) -> Plan:
    """The plan of a seed and manifests, with the scenario's variables and prune if any."""
    licence.seed(seed)
    scenario = seed.parent / "scenario.yaml"
    config = YAML(typ="safe").load(scenario.read_text()) if scenario.exists() else {}
    environ = {str(k): str(v) for k, v in (config.get("environment") or EXAMPLE_SECRETS).items()}
    desired = load_desired(Inputs(None, (manifests,)), environ)
    selection = Selection(prune=tuple(config.get("prune") or ()))
    async with licence.client() as client:
        return (await plan_against(client, desired, selection=selection))[1]


@pytest.mark.anyio
@pytest.mark.parametrize("name", sorted(PLANS))
async def test_real_plans_render_well_and_match_their_golden(licence: Any, name: str) -> None:
    plan = await plan_of(licence, *PLANS[name])
    text = render_markdown(plan, environment="production", full_plan="`plan.json`")
    check_renders_well(text)
    golden = GOLDEN / f"{name}.md"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"{golden} missing: run with UPDATE_GOLDEN=1 and review it"
    assert text == golden.read_text(encoding="utf-8")


def fences_of(text: str) -> list[str]:
    return [t.content for t in tokens(text) if t.type == "fence"]


def test_a_long_attribute_is_broken_one_property_a_line() -> None:
    attribute = {
        "valueType": "STRING",
        "mandatory": True,
        "unique": True,
        "indexed": True,
        "minLength": 20,
        "maxLength": 20,
        "acceptedValues": ["NEW", "SHIPPED", "CANCELED", "RETURNED", "LOST_IN_TRANSIT"],
    }
    after = {"type": "INTERACTIONS", "attributes": {"orderIdentifierFromTheWebShop": attribute}}
    change = Change(Address("B2C", "customTable", "Orders"), Action.CREATE, None, after)
    text = render_markdown(Plan((change,)), environment="e")
    check_renders_well(text)
    [fence] = fences_of(text)
    assert fence.splitlines() == [
        "+ type: INTERACTIONS",
        "+ attributes.orderIdentifierFromTheWebShop:",
        "+   valueType: STRING",
        "+   mandatory: true",
        "+   unique: true",
        "+   indexed: true",
        "+   minLength: 20",
        "+   maxLength: 20",
        "+   acceptedValues: [NEW, SHIPPED, CANCELED, RETURNED, LOST_IN_TRANSIT]",
    ]


def test_a_long_text_is_folded_and_changes_are_removed_then_added() -> None:
    from actito_iac.plan.model import FieldChange

    before, after = "Orders of the web shop.", "Orders of the web shop and of the stores, " * 4
    field = FieldChange(("description",), before, after.strip())
    change = Change(
        Address("B2C", "customTable", "Orders"),
        Action.UPDATE,
        {"description": before},
        {"description": after.strip()},
        (field,),
    )
    text = render_markdown(Plan((change,)), environment="e")
    check_renders_well(text)
    [fence] = fences_of(text)
    lines = fence.splitlines()
    assert lines[0] == "  description  (safe)"
    assert lines[1] == "-   Orders of the web shop."
    added = lines[2:]
    assert len(added) > 1  # folded over several lines
    assert all(line.startswith("+   ") for line in added)
    assert " ".join(line[4:] for line in added) == after.strip()
