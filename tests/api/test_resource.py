"""The generic endpoint executor: URL forms, paged lists read to the end or not at all,
created ids from the body or the Location header, one HTTP verb per update method."""

from __future__ import annotations

import json

import pytest

from actito_iac.api.errors import UnexpectedResponse
from actito_iac.api.resource import Resource
from actito_iac.kinds.endpoints import Endpoints, Paging, UpdateMethod, UrlForm

from .conftest import reply

pytestmark = pytest.mark.anyio

HOOKS = Endpoints(
    category="webhooks",
    version="v4",
    resource="webhookSubscription",
    list_key="items",
    paging=Paging.PAGES,
    page_size=2,
    update=UpdateMethod.PUT,
    delete=True,
)
HOOKS_PATH = "/webhooks/v4/entity/B2C/webhookSubscription"
ACTIONS = Endpoints(
    category="scenarios",
    version="v5",
    resource="custom-actions",
    list_key="customActions",
    update=UpdateMethod.PATCH,
    delete=True,
)


def items(*ids: int) -> list[dict[str, int]]:
    return [{"id": i} for i in ids]


def pages(fake, *answers: dict[str, object]) -> None:
    fake.script("GET", HOOKS_PATH, *(reply(200, json=a) for a in answers))


def test_both_url_forms_come_from_the_same_data() -> None:
    assert HOOKS.collection("B2C") == HOOKS_PATH
    assert HOOKS.collection("B2C", UrlForm.LEGACY) == "/v4/entity/B2C/webhookSubscription"
    assert ACTIONS.item("B2C", "7") == "/scenarios/v5/entities/B2C/custom-actions/7"
    assert ACTIONS.item("B2C", "7", UrlForm.LEGACY) == "/v5/entities/B2C/custom-actions/7"
    changes = Endpoints("c", "v5", "tables", "t", update=UpdateMethod.CHANGE_REQUEST)
    assert changes.update_path("A B", "x/y") == "/c/v5/entities/A%20B/tables/x%2Fy/change-requests"


async def test_a_paged_list_is_read_to_the_end(fake, make_client) -> None:
    pages(fake, {"items": items(1, 2)}, {"items": items(3, 4)}, {"items": []})
    async with make_client() as client:
        found = await Resource(client, HOOKS).list_all("B2C")
    assert [i["id"] for i in found] == [1, 2, 3, 4]
    asked = [r.url.params for r in fake.requests if r.url.path == HOOKS_PATH]
    assert [(p["page"], p["pageSize"]) for p in asked] == [("0", "2"), ("1", "2"), ("2", "2")]


async def test_a_short_page_of_a_stated_size_or_the_stated_total_ends_the_list(
    fake, make_client
) -> None:
    pages(fake, {"items": items(1, 2), "pageSize": 2}, {"items": items(3), "pageSize": 2})
    pages(fake, {"items": items(1, 2), "totalElements": 3}, {"items": items(3)})
    async with make_client() as client:
        assert len(await Resource(client, HOOKS).list_all("B2C")) == 3
        assert len(await Resource(client, HOOKS).list_all("B2C")) == 3
    assert fake.calls_to("GET", HOOKS_PATH) == 4  # no page asked beyond the end


async def test_a_server_that_caps_the_page_size_is_read_to_the_end(fake, make_client) -> None:
    # Asked for 2 per page, answered 1 without saying so: only an empty page ends the list.
    pages(fake, {"items": items(1)}, {"items": items(2)}, {"items": []})
    async with make_client() as client:
        assert len(await Resource(client, HOOKS).list_all("B2C")) == 2


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([{"items": items(1, 2)}, {"items": items(1, 2)}], "repeats items"),
        ([{"items": items(1, 2), "totalElements": 5}, {"items": []}], "read 2 item"),
        ([{"items": items(1), "nextPageToken": "abc"}], "does not understand"),
        ([{"items": items(1), "cursor": {"after": 3}}], "does not understand"),
        ([{"items": items(1), "_links": {"nextCursor": {}}}], "does not understand"),
        ([{"items": [1, 2]}], "item 1 of the list 'items' is int"),
        ([{"items": items(1), "page": 3}], "asked for page 0"),
        ([{"webhooks": items(1)}], "expected a list under 'items'"),
    ],
)
async def test_a_paged_list_that_cannot_be_read_whole_fails(
    fake, make_client, raises, answers, message
) -> None:
    pages(fake, *answers)
    async with make_client() as client:
        with raises(UnexpectedResponse, match=message):
            await Resource(client, HOOKS).list_all("B2C")


async def test_the_id_of_a_created_object_comes_from_the_body_or_the_location(
    fake, make_client, raises
) -> None:
    path = "/scenarios/v5/entities/B2C/custom-actions"
    fake.script(
        "POST",
        path,
        reply(201, json={"id": 12}),
        reply(201, headers={"Location": f"https://api.test{path}/13"}),
        reply(201, json={"name": "x"}),
    )
    async with make_client() as client:
        actions = Resource(client, ACTIONS)
        assert await actions.create("B2C", {"name": "a"}) == "12"
        assert await actions.create("B2C", {"name": "b"}) == "13"
        with raises(UnexpectedResponse, match="no id"):
            await actions.create("B2C", {"name": "c"})


@pytest.mark.parametrize(
    ("endpoints", "method", "path"),
    [
        (HOOKS, "PUT", f"{HOOKS_PATH}/5"),
        (ACTIONS, "PATCH", "/scenarios/v5/entities/B2C/custom-actions/5"),
        (
            Endpoints("t", "v5", "tables", "x", update=UpdateMethod.CHANGE_REQUEST),
            "POST",
            "/t/v5/entities/B2C/tables/5/change-requests",
        ),
    ],
)
async def test_each_update_method_is_its_verb(fake, make_client, endpoints, method, path) -> None:
    async with make_client() as client:
        await Resource(client, endpoints).update("B2C", "5", {"isActive": None})
    sent = [r for r in fake.requests if r.url.path == path]
    assert [r.method for r in sent] == [method]
    assert json.loads(sent[0].content) == {"isActive": None}  # null is sent: it clears


async def test_delete_and_a_re_read_of_an_object_that_is_gone(fake, make_client) -> None:
    fake.script("GET", f"{HOOKS_PATH}/5", reply(404, json={"message": "no such subscription"}))
    async with make_client() as client:
        hooks = Resource(client, HOOKS)
        await hooks.delete("B2C", "6")
        assert await hooks.get("B2C", "5") is None
    assert ("DELETE", f"{HOOKS_PATH}/6") in fake.calls


async def test_a_kind_without_a_get_endpoint_is_re_read_from_its_list(fake, make_client) -> None:
    listed = Endpoints("c", "v5", "things", "things", get=False)
    path = "/c/v5/entities/B2C/things"
    fake.script("GET", path, reply(200, json={"things": [{"id": 1}, {"id": 2}]}))
    fake.script("GET", path, reply(200, json={"things": [{"id": 1}]}))
    async with make_client() as client:
        things = Resource(client, listed)
        assert await things.get("B2C", "2") == {"id": 2}
        assert await things.get("B2C", "2") is None


async def test_a_kind_listed_per_object_of_another_cannot_be_read_alone(
    fake, make_client
) -> None:
    per_table = Endpoints("c", "v5", "table/{within}/things", "things", get=False, within="x")
    async with make_client() as client:
        with pytest.raises(UnexpectedResponse, match="cannot be read alone"):
            await Resource(client, per_table).get("B2C", "1")
    assert not fake.calls


async def test_a_kind_that_cannot_delete_refuses_before_any_call(fake, make_client) -> None:
    async with make_client() as client:
        with pytest.raises(UnexpectedResponse, match="cannot be deleted"):
            await Resource(client, Endpoints("c", "v5", "r", "r")).delete("B2C", "1")
    assert not [c for c in fake.calls if c[0] == "DELETE"]
