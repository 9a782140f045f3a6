"""Rows are read in the shapes ACTITO answers, and any other shape makes the impact unknown.

v5 lists a profile's attributes as a mapping, v4 as `[{name, value}]` pairs (actito-api.md
§14). A reader that took pairs for "no values" would report a destructive change as harmless.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from actito_iac.api.client import ActitoClient
from actito_iac.emulator.seed import apply_seed
from actito_iac.kinds.rows import RowShapeError, row_values
from actito_iac.manifest.loader import load
from actito_iac.secrets import Secret
from actito_iac.session import plan_against

from ..conftest import API_KEY

SEED_ATTRIBUTES = [
    {"name": "emailAddress", "type": "EMAIL_ADDRESS", "mandatory": True, "unique": True},
    {"name": "shop", "type": "CUSTOM", "valueType": "STRING"},
]
ORDER_ATTRIBUTES = [
    {"name": "orderId", "valueType": "STRING", "mandatory": True, "unique": True},
    {"name": "status", "valueType": "STRING"},
]
WITHOUT_SHOP = """\
entity: B2C
profileTables:
  - name: Customers
    attributes:
      - {name: emailAddress, type: EMAIL_ADDRESS, mandatory: true, unique: true}
    subscriptions: [{name: Newsletter}]
"""
WITHOUT_STATUS = """\
entity: B2C
customTables:
  - name: Orders
    primaryKey: orderId
    attributes:
      - {name: orderId, valueType: STRING, mandatory: true, unique: true}
"""


class RowsAnswer(httpx.AsyncBaseTransport):
    """The emulator, except that row lists answer `rows` (as ACTITO might)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, key: str, rows: Any) -> None:
        self.inner, self.key, self.rows = inner, key, rows

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(("/profiles", "/record")):
            body = json.dumps({self.key: self.rows}).encode()
            return httpx.Response(200, content=body, headers={"content-type": "application/json"})
        return await self.inner.handle_async_request(request)


def seed(licence: Any) -> None:
    apply_seed(
        licence.store,
        {
            "entities": [{"name": "B2C"}],
            "profileTables": [
                {
                    "entity": "B2C",
                    "definition": {
                        "name": "Customers",
                        "attributes": SEED_ATTRIBUTES,
                        "subscriptions": [{"name": "Newsletter", "channel": "EMAIL"}],
                    },
                }
            ],
            "customTables": [
                {
                    "entity": "B2C",
                    "definition": {
                        "name": "Orders",
                        "type": "INTERACTIONS",
                        "primaryKeyAttribute": "orderId",
                        "attributes": ORDER_ATTRIBUTES,
                    },
                }
            ],
        },
    )


async def impact_of(licence: Any, tmp_path: Path, text: str, key: str, rows: Any) -> str:
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    transport = RowsAnswer(httpx.ASGITransport(app=licence.app), key, rows)
    client = ActitoClient("http://127.0.0.1", Secret(API_KEY), transport=transport)
    async with client:
        _, plan = await plan_against(client, load([tmp_path], {}))
    (change,) = plan.executable
    (field,) = change.fields
    return field.impact


V4_PROFILES = [
    {"attributes": [{"name": "emailAddress", "value": "a@x.be"}, {"name": "shop", "value": "A"}]},
    {"attributes": [{"name": "emailAddress", "value": "b@x.be"}, {"name": "shop", "value": "B"}]},
]
V5_PROFILES = [
    {"attributes": {"emailAddress": "a@x.be", "shop": "A"}},
    {"attributes": {"emailAddress": "b@x.be"}},
]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("rows", "impact"),
    [
        (V4_PROFILES, "2 of 2 rows hold a value that would be lost"),
        (V5_PROFILES, "1 of 2 rows hold a value that would be lost"),
        ([{"attributes": ["emailAddress", "shop"]}], "unknown"),
        ([{"attributes": [{"name": "shop"}]}], "unknown"),
        ([{"attributes": 3}], "unknown"),
        ([{"values": {"shop": "A"}}], "unknown"),
        (["a@x.be"], "unknown"),
    ],
)
async def test_profile_rows_in_either_documented_shape_or_unknown(
    licence: Any, tmp_path: Path, rows: Any, impact: str
) -> None:
    seed(licence)
    assert await impact_of(licence, tmp_path, WITHOUT_SHOP, "profiles", rows) == impact


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("records", "impact"),
    [
        ([{"properties": [{"name": "orderId", "value": "1"}, {"name": "status", "value": "NEW"}]}],
         "1 of 1 rows hold a value that would be lost"),
        ([{"properties": {"orderId": "1", "status": "NEW"}}],
         "1 of 1 rows hold a value that would be lost"),
        ([{"properties": None}], "unknown"),
        ([{"properties": [["status", "NEW"]]}], "unknown"),
    ],
)  # fmt: skip
async def test_record_rows_in_either_shape_or_unknown(
    licence: Any, tmp_path: Path, records: Any, impact: str
) -> None:
    seed(licence)
    assert await impact_of(licence, tmp_path, WITHOUT_STATUS, "records", records) == impact


def test_a_pair_without_a_value_is_not_read_as_no_value() -> None:
    with pytest.raises(RowShapeError, match="without a value"):
        row_values({"attributes": [{"name": "shop"}]}, "attributes")
    assert row_values({"attributes": [{"name": "shop", "value": None}]}, "attributes")
