"""Subscriptions and segmentations: compared only where both sides say something.

ACTITO's documented profile-table definition carries neither. An answer without them means
"not known from this answer" — never "none": no perpetual manual step, no export that fails
validation, no e-mail subscription required of what is read. A manifest without them leaves
the licence's as they are.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from actito_iac.emulator.seed import apply_seed
from actito_iac.export import export_files
from actito_iac.manifest.loader import load
from actito_iac.plan.model import Action
from actito_iac.plan.select import Selection
from actito_iac.render.human import render_plan
from actito_iac.render.json_plan import plan_document
from actito_iac.session import apply_against, plan_against

pytestmark = pytest.mark.anyio

EMAIL = {"name": "emailAddress", "type": "EMAIL_ADDRESS", "mandatory": True, "unique": True}
DEFINITION = {"name": "Profiles", "attributes": [EMAIL]}
DECLARED = """\
entity: B2C
profileTables:
  - name: Profiles
    attributes:
      - {name: emailAddress, type: EMAIL_ADDRESS, mandatory: true, unique: true}
    subscriptions: [{name: Newsletter}]
    segmentations: [{name: VIP}]
"""
UNDECLARED = """\
entity: B2C
profileTables:
  - name: Profiles
    attributes:
      - {name: emailAddress, type: EMAIL_ADDRESS, mandatory: true, unique: true}
      - {name: firstName, type: FIRSTNAME}
"""


def seed(licence: Any, parts: str, definition: dict[str, Any]) -> None:
    apply_seed(
        licence.store,
        {
            "settings": {"profileTableParts": parts},
            "entities": [{"name": "B2C"}],
            "profileTables": [{"entity": "B2C", "definition": definition}],
        },
    )


def write(folder: Path, text: str) -> list[Path]:
    folder.mkdir(exist_ok=True)
    (folder / "b2c.yaml").write_text(text, encoding="utf-8")
    return [folder]


def human(plan: Any) -> str:
    buffer = io.StringIO()
    render_plan(Console(file=buffer, no_color=True, width=200), plan)
    return buffer.getvalue()


async def test_an_answer_without_them_is_not_known_not_none(licence: Any, tmp_path: Path) -> None:
    seed(licence, "hidden", DEFINITION)
    async with licence.client() as client:
        _, plan = await plan_against(client, load(write(tmp_path, DECLARED), {}))
    (change,) = plan.changes
    assert change.action is Action.NO_OP
    assert change.not_compared == ("subscriptions", "segmentations")
    assert not plan.has_changes
    assert "? B2C/profileTable/Profiles: subscriptions, segmentations" in human(plan)
    document = plan_document(plan, environment="local", selection=Selection())
    assert document["changes"][0]["not_compared"] == ["subscriptions", "segmentations"]


async def test_export_of_such_a_licence_validates_and_plans_clean(
    licence: Any, tmp_path: Path
) -> None:
    seed(licence, "hidden", DEFINITION)
    async with licence.client() as client:
        actual, _ = await plan_against(client, load(write(tmp_path / "m", UNDECLARED), {}))
        (exported,) = export_files(actual.objects, "# exported")
        assert "subscriptions" not in exported.text
        folder = tmp_path / "exported"
        folder.mkdir()
        (folder / "profiles.yaml").write_text(exported.text, encoding="utf-8")
        _, again = await plan_against(client, load([folder], {}))
    assert not again.has_changes


async def test_a_manifest_without_them_keeps_the_licences(licence: Any, tmp_path: Path) -> None:
    shown = {**DEFINITION, "subscriptions": [{"name": "Newsletter", "channel": "EMAIL"}],
             "segmentations": [{"name": "VIP", "type": "SIMPLE"}]}  # fmt: skip
    seed(licence, "shown", shown)
    async with licence.client() as client:
        desired = load(write(tmp_path, UNDECLARED), {})
        actual, plan = await plan_against(client, desired)
        (change,) = plan.changes
        assert change.action is Action.UPDATE
        assert [f.dotted for f in change.fields] == ["attributes.firstName"]
        assert change.not_compared == ()
        assert (await apply_against(client, plan, actual, allow_destructive=False)).ok
        _, again = await plan_against(client, desired)
    assert not again.has_changes
    (stored,) = licence.store.dump()["objects"]["B2C"]["profileTable"]
    assert [s["name"] for s in stored["subscriptions"]] == ["Newsletter"]
    assert [s["name"] for s in stored["segmentations"]] == ["VIP"]


async def test_a_new_table_without_subscriptions_is_blocked_before_any_call(
    licence: Any, tmp_path: Path
) -> None:
    apply_seed(licence.store, {"entities": [{"name": "B2C"}]})
    async with licence.client() as client:
        _, plan = await plan_against(client, load(write(tmp_path, UNDECLARED), {}))
    (change,) = plan.changes
    assert change.action is Action.BLOCKED
    assert "declare `subscriptions`" in change.reason
