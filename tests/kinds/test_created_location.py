"""A 201 "may or may not" carry a body; the new resource is named in `Location` [DOC].

Creates must work either way — also when a table created in the same apply is linked to by
the id that only its `Location` header gave.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from actito_iac.api.client import ActitoClient
from actito_iac.emulator.seed import apply_seed
from actito_iac.manifest.loader import load
from actito_iac.secrets import Secret
from actito_iac.session import apply_against, plan_against

from ..conftest import API_KEY

MANIFEST = """\
entity: B2C
profileTables:
  - name: Customers
    attributes:
      - {name: emailAddress, type: EMAIL_ADDRESS, mandatory: true, unique: true}
      - {name: customerId, valueType: LONG, unique: true}
    subscriptions: [{name: Newsletter}]
customTables:
  - name: Orders
    primaryKey: orderId
    attributes:
      - {name: orderId, valueType: STRING, mandatory: true, unique: true}
      - {name: customerId, valueType: LONG}
    links:
      - {name: order-customer, attribute: customerId, profileTable: Customers}
"""


class BodilessCreates(httpx.AsyncBaseTransport):
    """The emulator, except that a create answers 201 with `location` and no body."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, location: bool) -> None:
        self.inner, self.location = inner, location

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method != "POST" or response.status_code != 201:
            return response
        await response.aread()
        headers = {"Location": response.headers["location"]} if self.location else {}
        return httpx.Response(201, headers=headers)


async def run(licence: Any, tmp_path: Path, *, location: bool) -> Any:
    apply_seed(licence.store, {"entities": [{"name": "B2C"}]})
    (tmp_path / "b2c.yaml").write_text(MANIFEST, encoding="utf-8")
    transport = BodilessCreates(httpx.ASGITransport(app=licence.app), location=location)
    async with ActitoClient("http://127.0.0.1", Secret(API_KEY), transport=transport) as client:
        desired = load([tmp_path], {})
        actual, plan = await plan_against(client, desired)
        result = await apply_against(client, plan, actual, allow_destructive=False)
        _, again = await plan_against(client, desired)
    return result, again


@pytest.mark.anyio
async def test_ids_come_from_location_when_a_201_has_no_body(licence: Any, tmp_path: Path) -> None:
    result, again = await run(licence, tmp_path, location=True)
    assert result.ok, result.failed
    assert not again.has_changes
    stored = licence.store.dump()["objects"]["B2C"]
    (customers,) = stored["profileTable"]
    (orders,) = stored["customTable"]
    (link,) = orders["foreignKeys"]
    assert link["reference"]["tableId"] == customers["id"]


@pytest.mark.anyio
async def test_no_body_and_no_location_is_a_clear_error(licence: Any, tmp_path: Path) -> None:
    result, _ = await run(licence, tmp_path, location=False)
    first, second = result.outcomes
    assert "names no id of the new object" in first.message
    assert "POST /profile-table-structure/v5/entities/B2C/profile-tables" in first.message
    assert second.status == "skipped"
