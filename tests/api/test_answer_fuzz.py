"""Whatever the server answers, a plan is either made (and prints, and saves as JSON) or fails
with an API error naming the call: never another exception, never a hang."""

from __future__ import annotations

import asyncio
import copy
import io
import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from actito_iac.api.answer import Unreadable, decode
from actito_iac.api.client import ActitoClient
from actito_iac.api.errors import ApiError, describe_response
from actito_iac.api.listing import says_more, whole_list
from actito_iac.errors import LiveStateError
from actito_iac.plan.select import Selection
from actito_iac.render import human
from actito_iac.render.json_plan import dumps, plan_document
from actito_iac.secrets import Secret
from actito_iac.session import plan_against

from .test_hostile_answers import ENTITIES, ORDERS, PROFILES, TABLES, desired

EXAMPLES = settings(
    max_examples=120,
    deadline=None,  # bounded by max_examples; a loaded machine would make deadlines flaky
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

CUSTOMERS: dict[str, Any] = {
    "id": 1,
    "name": "Customers",
    "attributes": [
        {"name": "emailAddress", "type": "EMAIL_ADDRESS", "mandatory": True, "unique": True},
        {"name": "tier", "type": "CUSTOM", "valueType": "STRING"},
    ],
    "subscriptions": [{"name": "Newsletter", "channel": "EMAIL"}],
    "segmentations": [{"name": "VIP", "type": "SIMPLE"}],
}
FIELD_NAMES = [
    "id", "name", "type", "attributes", "valueType", "mandatory", "unique", "indexed",
    "valueRestriction", "acceptedValues", "minLength", "maxLength", "foreignKeys", "reference",
    "eventsToTrigger", "triggerRules", "cleaningRules", "displayOptions", "forAttributes",
    "subscriptions", "segmentations", "segments", "channel", "primaryKeyAttribute", "_links",
    "next", "totalCount", "records", "properties", "value", "customTables", "entities",
]  # fmt: skip
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**64), max_value=2**64)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", "Orders", "STRING", "EMAIL", "B2C", "1", "\u202e", "a\x00b", "é"])
    | st.text(max_size=10)
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=25,
)


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place inside a JSON value (for replacing what stands there)."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths_of(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths_of(item, (*prefix, index))
    return found


def replaced(document: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    document = copy.deepcopy(document)
    holder = document
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = new
    return document


@st.composite
def mutated(draw: st.DrawFn, document: Any) -> Any:
    """`document` with one to three places replaced by arbitrary JSON, or a key removed."""
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths_of(document)))
        if path and draw(st.booleans()) and isinstance(_at(document, path[:-1]), dict):
            document = copy.deepcopy(document)
            del _at(document, path[:-1])[path[-1]]
        else:
            document = replaced(document, path, draw(JSON_VALUES))
    return document


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


LIVE = {
    ENTITIES: {"entities": [{"id": 1, "name": "B2C"}]},
    PROFILES: {"profileTables": [CUSTOMERS]},
    TABLES: {"customTables": [ORDERS, {**ORDERS, "id": "u-2", "name": "Stores"}]},
}


def plan_or_api_error(answers: dict[str, bytes]) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/auth/token":
            return httpx.Response(200, json={"accessToken": "t0k3n-abcdef", "expiresIn": 900})
        if path in answers:
            return httpx.Response(200, content=answers[path])
        if path in LIVE:
            return httpx.Response(200, json=LIVE[path])
        return httpx.Response(200, json={"records": []})

    async def run() -> None:
        transport = httpx.MockTransport(handle)
        async with ActitoClient("http://127.0.0.1", Secret("key-123456"), transport=transport) as c:
            _, plan = await plan_against(c, desired())
        human.render_plan(Console(file=io.StringIO()), plan, title="t")
        dumps(plan_document(plan, environment="e", selection=Selection())).encode("utf-8")

    try:
        asyncio.run(asyncio.wait_for(run(), timeout=30))
        return
    except (ApiError, LiveStateError) as error:
        failure = error
    str(failure).encode("utf-8")
    if isinstance(failure, LiveStateError):  # an entity list without B2C: said as such
        assert "does not exist in the licence" in str(failure)
    else:
        assert failure.path.startswith("/"), failure
        assert "\n" not in str(failure)


ENDPOINTS = st.sampled_from(sorted(LIVE))


@EXAMPLES
@given(st.data())
def test_a_mutated_answer_plans_or_fails_cleanly(data: st.DataObject) -> None:
    path = data.draw(ENDPOINTS)
    answer = data.draw(mutated(LIVE[path]))
    plan_or_api_error({path: json.dumps(answer).encode()})


@EXAMPLES
@given(ENDPOINTS, JSON_VALUES)
def test_any_json_answer_plans_or_fails_cleanly(path: str, answer: Any) -> None:
    plan_or_api_error({path: json.dumps(answer).encode()})


@EXAMPLES
@given(ENDPOINTS, st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_plan_or_fail_cleanly(path: str, body: bytes) -> None:
    plan_or_api_error({path: body})


@EXAMPLES
@given(st.data())
def test_rows_in_any_shape_plan_or_fail_cleanly(data: st.DataObject) -> None:
    records = "/custom-data/v4/entity/B2C/customTable/Orders/record"
    good = {"records": [{"properties": [{"name": "orderId", "value": "a"}]}], "totalCount": 1}
    answer = data.draw(mutated(good) | JSON_VALUES)
    plan_or_api_error({records: json.dumps(answer).encode()})


def decoded(body: bytes, content_type: str) -> tuple[Any, str]:
    try:
        return decode(body, content_type), ""
    except Unreadable as refused:
        return None, str(refused)


@EXAMPLES
@given(st.binary(max_size=300), st.sampled_from(["", "application/json", "text/html"]))
def test_decoding_any_body_returns_json_or_says_why(body: bytes, content_type: str) -> None:
    value, why = decoded(body, content_type)
    if why:
        assert why.startswith("the answer")
    else:
        json.dumps(value, allow_nan=False).encode("utf-8")  # standard JSON, Unicode text
    describe_response(httpx.Response(500, content=body), ["key-123456"]).encode("utf-8")


@EXAMPLES
@given(JSON_VALUES, st.integers(0, 5))
def test_a_list_read_whole_is_whole_or_refused(answer: Any, count: int) -> None:
    try:
        items = whole_list(answer, "customTables", path=TABLES)
    except ApiError:
        return
    assert all(isinstance(item, dict) for item in items)
    assert not says_more(answer, len(items))
