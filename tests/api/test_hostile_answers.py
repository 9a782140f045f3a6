"""Hostile answers from the server: every malformed answer is a clean API error naming the
endpoint, never a traceback; a list that may be partial is never planned on."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from rich.console import Console

from actito_iac.api.client import ActitoClient
from actito_iac.api.errors import ApiError, UnexpectedResponse
from actito_iac.api.listing import says_more
from actito_iac.errors import SourceLocation
from actito_iac.kinds.custom_table_spec import CustomTableSpec
from actito_iac.manifest.desired import Desired, DesiredObject
from actito_iac.plan.model import Plan
from actito_iac.render import human
from actito_iac.secrets import Secret
from actito_iac.session import plan_against
from actito_iac.vocabulary import Address

from ..conftest import empty_list

ENTITIES = "/entities/v5/entities"
TABLES = "/custom-table-structure/v5/entities/B2C/custom-tables"
PROFILES = "/profile-table-structure/v5/entities/B2C/profile-tables"

ORDERS: dict[str, Any] = {
    "id": "u-1",
    "name": "Orders",
    "type": "INTERACTIONS",
    "primaryKeyAttribute": "orderId",
    "attributes": [
        {"name": "orderId", "valueType": "STRING", "mandatory": True, "unique": True},
        {"name": "status", "valueType": "STRING"},
    ],
}

Answer = Callable[[], httpx.Response]
DEEP = "[" * 100_000 + "]" * 100_000


def json_answer(document: Any) -> Answer:
    return lambda: httpx.Response(200, json=document)


def text_answer(text: str, content_type: str = "application/json") -> Answer:
    return lambda: httpx.Response(200, text=text, headers={"Content-Type": content_type})


def licence(answers: dict[str, Answer]) -> httpx.MockTransport:
    """A licence with entity B2C and no tables, except where `answers` say otherwise."""
    defaults: dict[str, Answer] = {}  # every registered kind: none in the licence
    defaults[ENTITIES] = json_answer({"entities": [{"id": 1, "name": "B2C"}]})
    defaults[TABLES] = json_answer({"customTables": [ORDERS]})

    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/auth/token":
            return httpx.Response(
                200, json={"accessToken": "t0k3n-abcdef", "tokenType": "bearer", "expiresIn": 900}
            )
        answer = answers.get(path) or defaults.get(path)
        if answer is not None:
            return answer()
        return httpx.Response(200, json=empty_list(path) or {"records": []})

    return httpx.MockTransport(handle)


def desired() -> Desired:
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
    return Desired(
        (DesiredObject(Address("B2C", "customTable", "Orders"), spec, where),), {"B2C": (where,)}
    )


async def plan_with(answers: dict[str, Answer]) -> Plan:
    client = ActitoClient("http://127.0.0.1", Secret("key-123456"), transport=licence(answers))
    async with client:
        _, plan = await plan_against(client, desired())
    # The plan must also print: a value that survives reading but not printing is a crash too.
    out = io.StringIO()
    human.render_plan(Console(file=out), plan, title="t")
    out.getvalue().encode("utf-8")
    return plan


def nested(depth: int) -> dict[str, Any]:
    """A mapping `depth` levels deep: parseable, but no ACTITO definition is that deep."""
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"x": value}
    return value


def table(**changes: Any) -> Answer:
    return json_answer({"customTables": [{**ORDERS, **changes}]})


def without(key: str) -> Answer:
    return json_answer({"customTables": [{k: v for k, v in ORDERS.items() if k != key}]})


MALFORMED: dict[str, tuple[str, Answer]] = {
    "table without name": (TABLES, without("name")),
    "table without id": (TABLES, without("id")),
    "table without attributes": (TABLES, without("attributes")),
    "name that is a number": (TABLES, table(name=5)),
    "name that is null": (TABLES, table(name=None)),
    "name that is a list": (TABLES, table(name=["Orders"])),
    "name with an escape sequence": (TABLES, table(name="Orders\x1b]0;owned\x07")),
    "name reversing the text": (TABLES, table(name="Orders\u202e")),
    "entity name with a line break": (ENTITIES, json_answer({"entities": [{"name": "B\n2C"}]})),
    "a key with a line break": (TABLES, json_answer({"\n": None})),
    "item that is text": (TABLES, json_answer({"customTables": ["Orders"]})),
    "item that is a list": (TABLES, json_answer({"customTables": [[1, 2]]})),
    "item that is null": (TABLES, json_answer({"customTables": [None]})),
    "attributes null": (TABLES, table(attributes=None)),
    "attributes text": (TABLES, table(attributes="junk")),
    "attributes mapping": (TABLES, table(attributes={"orderId": {}})),
    "attribute that is a number": (TABLES, table(attributes=[1, "x"])),
    "attribute name a number": (TABLES, table(attributes=[{"name": 5, "valueType": "STRING"}])),
    "attribute name null": (TABLES, table(attributes=[{"name": None, "valueType": "STRING"}])),
    "attribute without name": (TABLES, table(attributes=[{"valueType": "STRING"}])),
    "restriction junk": (
        TABLES,
        table(attributes=[{"name": "a", "valueType": "STRING", "valueRestriction": "x"}]),
    ),
    "links junk": (TABLES, table(foreignKeys="x")),
    "events junk": (TABLES, table(eventsToTrigger=[1])),
    "display options junk": (TABLES, table(displayOptions="x")),
    "entity without name": (ENTITIES, json_answer({"entities": [{"id": 1}]})),
    "entity that is text": (ENTITIES, json_answer({"entities": ["B2C"]})),
    "entities null": (ENTITIES, json_answer({"entities": None})),
    "profile table junk": (PROFILES, json_answer({"profileTables": [{"id": 1, "name": 7}]})),
    "profile attributes null": (
        PROFILES,
        json_answer({"profileTables": [{"id": 1, "name": "C", "attributes": None}]}),
    ),
    "deeply nested": (TABLES, text_answer('{"customTables": ' + DEEP + "}")),
    "nested beyond reason": (TABLES, table(displayOptions=nested(200))),
    "HTML with status 200": (TABLES, text_answer("<html><body>Sign in</body></html>", "text/html")),
    "NaN": (TABLES, text_answer('{"customTables": [{"id": NaN, "name": "Orders"}]}')),
    "Infinity": (TABLES, text_answer('{"customTables": [], "total": Infinity}')),
    "lone surrogate": (TABLES, text_answer('{"customTables": [{"id": "1", "name": "O\\ud800"}]}')),
    "not UTF-8": (TABLES, lambda: httpx.Response(200, content=b'{"customTables": ["\xff"]}')),
    "empty body": (TABLES, text_answer("")),
    "a bare list": (TABLES, json_answer([ORDERS])),
}


@pytest.mark.anyio
@pytest.mark.parametrize(("path", "answer"), MALFORMED.values(), ids=MALFORMED.keys())
async def test_a_malformed_answer_is_an_api_error_naming_the_endpoint(
    path: str, answer: Answer
) -> None:
    with pytest.raises(UnexpectedResponse) as failure:
        await plan_with({path: answer})

    error = failure.value
    assert f"GET {path}" in str(error)
    assert "\n" not in str(error)
    assert len(str(error)) < 600


@pytest.mark.anyio
async def test_a_well_formed_answer_still_plans() -> None:
    plan = await plan_with({})

    assert [c.action.value for c in plan.changes] == ["update"]


@pytest.mark.anyio
async def test_a_surrogate_pair_in_an_answer_is_one_character() -> None:
    pair = text_answer(json.dumps({"customTables": [{**ORDERS, "name": "Orders😀"}]}))

    plan = await plan_with({TABLES: pair})

    assert "Orders😀" in {c.address.name for c in plan.changes}


PAGING = {
    "totalElements as text": {"totalElements": "5"},
    "totalCount as a float": {"totalCount": 5.0},
    "total as a boolean": {"total": True},
    "a page object": {"page": {"number": 0, "totalPages": 2}},
    "hasMore": {"hasMore": True},
    "hasMore false": {"hasMore": False},
    "nextPageToken": {"nextPageToken": "abc"},
    "next": {"next": "https://api/x?page=2"},
    "a cursor": {"cursor": "c2"},
    "a page size": {"pageSize": 1},
    "a previous link": {"_links": {"prev": {"href": "?page=0"}}},
    "links that are not a mapping": {"_links": ["next"]},
}


@pytest.mark.anyio
@pytest.mark.parametrize("markers", PAGING.values(), ids=PAGING.keys())
async def test_a_paging_marker_not_understood_fails_the_read(markers: dict[str, Any]) -> None:
    answer = json_answer({"customTables": [ORDERS], **markers})

    with pytest.raises(UnexpectedResponse) as failure:
        await plan_with({TABLES: answer})

    message = str(failure.value)
    assert f"GET {TABLES}" in message
    assert "partial" in message
    assert next(iter(markers)) in message


@pytest.mark.anyio
@pytest.mark.parametrize(
    "markers",
    [{"totalCount": 1}, {"total": 1, "_links": {"self": {"href": "/x"}}}, {"entity": "B2C"}],
    ids=["exact total", "self link", "unrelated key"],
)
async def test_markers_that_say_the_list_is_whole_are_accepted(markers: dict[str, Any]) -> None:
    plan = await plan_with({TABLES: json_answer({"customTables": [ORDERS], **markers})})

    assert len(plan.changes) == 1


def test_rows_with_a_marker_not_understood_are_a_lower_bound() -> None:
    assert says_more({"records": [{}], "hasMore": False}, 1)
    assert says_more({"records": [{}], "totalCount": "1"}, 1)
    assert not says_more({"records": [{}], "totalCount": 1}, 1)


@pytest.mark.anyio
async def test_a_deeply_nested_error_body_is_a_clean_error() -> None:
    deep = "[" * 100_000 + "]" * 100_000

    def fail() -> httpx.Response:
        return httpx.Response(400, text=deep, headers={"Content-Type": "application/json"})

    with pytest.raises(ApiError) as failure:
        await plan_with({TABLES: fail})
    assert f"GET {TABLES} -> 400" in str(failure.value)


@pytest.mark.anyio
async def test_rows_in_a_broken_shape_make_the_impact_unknown() -> None:
    records = "/custom-data/v4/entity/B2C/customTable/Orders/record"
    broken = json_answer({"records": [{"properties": "junk"}]})

    plan = await plan_with({records: broken})

    [change] = plan.pending
    assert change.impact.startswith("unknown")
