"""ACTITO's documented table definitions, as fixtures: each goes emulator → export → validate →
plan, which must find nothing to change.

The fixtures (`tests/fixtures/documented/`) hold the definitions as ACTITO's pages print them
(actito-api.md §3.2, §4.2), with their source URL beside them; what the pages cut off and had
to be filled in is listed in each file's `filledIn`. They are seeded as they are — `id`,
technical attributes and all, as an answer pasted into a seed would be.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from actito_iac.emulator.seed import apply_seed
from actito_iac.export import export_files
from actito_iac.live import read_objects
from actito_iac.session import Inputs, load_desired, plan_against
from actito_iac.vocabulary import Address

pytestmark = pytest.mark.anyio

FIXTURES = Path(__file__).parents[1] / "fixtures" / "documented"
ENTITY = "Docs"


def fixture(name: str) -> dict[str, Any]:
    document = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    assert document["source"].startswith("https://developers.actito.com/docs/use-cases/")
    assert document["filledIn"], "say what was filled in, even when nothing was"
    assert isinstance(document, dict)
    return document


def seed_of(document: dict[str, Any], family: str) -> dict[str, Any]:
    supporting = document.get("supporting", {})
    tables = {key: [{"entity": ENTITY, "definition": d} for d in supporting.get(key, [])]
              for key in ("profileTables", "customTables")}  # fmt: skip
    tables[family].append({"entity": ENTITY, "definition": document["definition"]})
    # ACTITO's documented profile table carries no subscriptions: the licence answers so.
    return {"entities": [{"name": ENTITY}], "settings": {"profileTableParts": "hidden"}, **tables}


async def round_trip(licence: Any, tmp_path: Path, seed: dict[str, Any]) -> tuple[Any, Path]:
    apply_seed(licence.store, seed)
    async with licence.client() as client:
        objects = await read_objects(client, [ENTITY])
        folder = tmp_path / "manifests"
        for exported in export_files(objects, "Exported from the documented payloads."):
            target = folder / exported.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(exported.text, encoding="utf-8")
        desired = load_desired(Inputs(None, (folder,)), {})  # validate, offline
        _, plan = await plan_against(client, desired)
    return plan, folder


async def test_the_documented_profile_table_plans_to_nothing(
    licence: Any, tmp_path: Path
) -> None:
    document = fixture("profile-table.json")
    plan, folder = await round_trip(licence, tmp_path, seed_of(document, "profileTables"))

    assert not plan.has_changes, plan.pending
    (change,) = plan.changes
    assert change.address == Address(ENTITY, "profileTable", "Profiles")
    written = (folder / ENTITY / "profileTables" / "Profiles.yaml").read_text(encoding="utf-8")
    for technical in ("profileId", "creationMoment", "updateMoment"):
        assert technical not in written  # ACTITO's: never declared
    assert "{name: shop, valueType: STRING, minLength: 0, maxLength: 255}" in written
    assert "{name: customerId, valueType: STRING, unique: true, maxLength: 255" in written
    assert "subscriptions" not in written  # not in ACTITO's answer: not known, not exported
    stored = licence.store.get_profile_table(ENTITY, "16")
    assert stored is not None  # the documented id is kept by the seed


async def test_the_documented_custom_table_plans_to_nothing(
    licence: Any, tmp_path: Path
) -> None:
    document = fixture("custom-table.json")
    plan, folder = await round_trip(licence, tmp_path, seed_of(document, "customTables"))

    assert not plan.has_changes, plan.pending
    assert Address(ENTITY, "customTable", "OnlineOrders") in {c.address for c in plan.changes}
    written = (folder / ENTITY / "customTables" / "OnlineOrders.yaml").read_text(encoding="utf-8")
    # Links by table name, resolved from the documented ids.
    assert "{name: link-to-customer, attribute: customerId, profileTable: Customers}" in written
    assert "{name: link-to-store, attribute: storeId, customTable: Stores}" in written
    assert "operator: '!='" in written
    assert "retentionDays: 730" in written
    stored = licence.store.get_custom_table(ENTITY, "a4aa57cd-64c4-49bc-a17b-34ac8dfa76f8")
    assert stored is not None
    assert stored["foreignKeys"] == document["definition"]["foreignKeys"]
