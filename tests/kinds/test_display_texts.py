"""Display texts a manifest leaves out are not managed: no perpetual diff, never wiped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from actito_iac.manifest.loader import load
from actito_iac.plan.model import Action
from actito_iac.session import apply_against, plan_against

pytestmark = pytest.mark.anyio

SEED = """
entities: [{name: B2C}]
profileTables:
  - entity: B2C
    definition:
      name: Customers
      attributes:
        - {type: EMAIL_ADDRESS, name: emailAddress, unique: true, mandatory: true}
        - {type: LASTNAME, name: lastName}
      displayOptions:
        displayName: Clients
        forAttributes: [{name: lastName, description: Last name}]
      subscriptions: [{name: Newsletter, channel: EMAIL}]
"""

MANIFEST = """
entity: B2C
profileTables:
  - name: Customers
    attributes:
      - {name: emailAddress, type: EMAIL_ADDRESS, mandatory: true, unique: true}
      - {name: lastName, type: LASTNAME}
      - {name: nickname, valueType: STRING, displayName: Nickname}
    subscriptions: [{name: Newsletter}]
"""


async def test_texts_set_in_the_licence_survive_an_apply(licence: Any, tmp_path: Path) -> None:
    (tmp_path / "seed.yaml").write_text(SEED)
    (tmp_path / "customers.yaml").write_text(MANIFEST)
    licence.seed(tmp_path / "seed.yaml")
    desired = load([tmp_path / "customers.yaml"], {})
    async with licence.client() as client:
        actual, plan = await plan_against(client, desired)
        [change] = plan.pending
        assert change.action is Action.UPDATE
        assert [f.dotted for f in change.fields] == ["attributes.nickname"]
        assert (await apply_against(client, plan, actual, allow_destructive=False)).ok
        _, again = await plan_against(client, desired)
        assert not again.has_changes
    [table] = licence.store.list_profile_tables("B2C")
    options = table["displayOptions"]
    assert options["displayName"] == "Clients"
    assert {"name": "lastName", "description": "Last name"} in options["forAttributes"]
    assert {"name": "nickname", "displayName": "Nickname"} in options["forAttributes"]
