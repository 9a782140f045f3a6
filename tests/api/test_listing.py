"""Lists are read whole or not at all; rows we cannot read are 'unknown', never 'empty'."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from actito_iac.api.client import ActitoClient
from actito_iac.api.errors import UnexpectedResponse
from actito_iac.api.listing import listed, says_more, whole_list
from actito_iac.errors import SourceLocation
from actito_iac.kinds.custom_table_spec import CustomTableSpec
from actito_iac.manifest.desired import Desired, DesiredObject
from actito_iac.secrets import Secret
from actito_iac.session import plan_against
from actito_iac.vocabulary import Address

from ..conftest import empty_list

TABLES = "/custom-table-structure/v5/entities/B2C/custom-tables"


def test_a_whole_list_is_returned() -> None:
    assert whole_list({"customTables": [{"id": "1"}]}, "customTables", path=TABLES) == [{"id": "1"}]


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ({"tables": []}, "expected a list under 'customTables', found: tables"),
        ([], "found: list"),
        ({"customTables": [{}], "totalCount": 3}, "3 in all"),
        ({"customTables": [], "_links": {"next": {"href": "?page=1"}}}, "a next page"),
    ],
)
def test_a_missing_or_partial_list_fails_the_read(answer: Any, words: str) -> None:
    with pytest.raises(UnexpectedResponse) as failure:
        whole_list(answer, "customTables", path=TABLES)
    assert words in str(failure.value)
    assert TABLES in str(failure.value)


def test_rows_read_with_a_limit_may_be_partial_but_must_be_readable() -> None:
    answer = {"records": [{}, {}], "totalCount": 10}
    assert len(listed(answer, "records", path="/r")) == 2
    assert says_more(answer, 2)
    assert not says_more({"records": []}, 0)
    with pytest.raises(UnexpectedResponse):
        listed({"items": []}, "records", path="/r")


ORDERS = {
    "id": "u-1",
    "name": "Orders",
    "type": "INTERACTIONS",
    "primaryKeyAttribute": "orderId",
    "attributes": [
        {"name": "orderId", "valueType": "STRING", "mandatory": True, "unique": True},
        {"name": "legacy", "valueType": "STRING"},
    ],
}


def handler(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path == "/auth/token":
        return httpx.Response(
            200, json={"accessToken": "t", "tokenType": "bearer", "expiresIn": "900s"}
        )
    if path == "/entities/v5/entities":
        return httpx.Response(200, json={"entities": [{"id": 1, "name": "B2C"}]})
    if path.endswith("/custom-tables"):
        return httpx.Response(200, json={"customTables": [ORDERS]})
    listed = empty_list(path)  # every other kind: none in the licence
    if listed is not None:
        return httpx.Response(200, json=listed)
    # Rows come back under a wrapper this version does not know.
    return httpx.Response(200, json={"items": []})


@pytest.mark.anyio
async def test_rows_in_an_unknown_shape_make_the_impact_unknown_not_empty() -> None:
    spec = CustomTableSpec.model_validate(
        {
            "name": "Orders",
            "primaryKey": "orderId",
            "attributes": [
                {"name": "orderId", "valueType": "STRING", "mandatory": True, "unique": True}
            ],
        }
    )
    where = SourceLocation("b2c.yaml", 1, 1)
    desired = Desired(
        (DesiredObject(Address("B2C", "customTable", "Orders"), spec, where),), {"B2C": (where,)}
    )
    client = ActitoClient(
        "http://127.0.0.1", Secret("key-123456"), transport=httpx.MockTransport(handler)
    )
    async with client:
        _, plan = await plan_against(client, desired)
    [change] = plan.pending
    assert change.impact.startswith("unknown: rows not readable")
    assert change.fields[0].impact == "unknown"
    assert "expected a list under 'records'" in change.impact
