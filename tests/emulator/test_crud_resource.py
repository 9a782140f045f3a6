"""The generic emulated resource, on a made-up kind: what ACTITO's protocol page says of every
resource (PUT replaces, PATCH keeps what it omits and clears `null`, DELETE), paged lists, and
each create answer a resource may give."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, Literal

import httpx
import pytest

from actito_iac.emulator.app import create_app
from actito_iac.emulator.problems import RuleError
from actito_iac.emulator.resources.crud import Resource
from actito_iac.emulator.seed import apply_seed
from actito_iac.emulator.store import Store
from actito_iac.emulator.transport import in_process_transport

pytestmark = pytest.mark.anyio

KEY = "crud-test-key"
THINGS = "/things/v5/entities/B2C/things"
TEMPLATE = "/things/v5/entities/{entity}/things"


class ThingRules:
    """A thing has a name and a colour; its name cannot change."""

    def create(self, store: Store, entity: str, body: object) -> dict[str, Any]:
        if not isinstance(body, Mapping) or not isinstance(body.get("name"), str):
            raise RuleError(["a thing needs a name"])
        return {"name": body["name"], "colour": body.get("colour"), "size": body.get("size")}

    def replace(
        self, store: Store, entity: str, stored: Mapping[str, Any], body: object
    ) -> dict[str, Any]:
        changed = self.create(store, entity, body)
        if changed["name"] != stored["name"]:
            raise RuleError(["the name cannot be changed"])
        return changed


def things(
    update: Literal["PUT", "PATCH"] = "PUT",
    answer: Literal["id", "object", "none"] = "object",
    **settings: Any,
) -> Resource:
    return Resource(
        kind="thing",
        title="thing",
        paths=settings.pop("paths", (TEMPLATE,)),
        wrapper="things",
        rules=ThingRules(),
        update=update,
        create_answer=answer,
        **settings,
    )


async def client_for(resource: Resource) -> AsyncIterator[httpx.AsyncClient]:
    store = Store()
    apply_seed(store, {"entities": [{"name": "B2C"}]})
    app = create_app(store, api_keys=[KEY], resources=[resource])
    async with httpx.AsyncClient(
        transport=in_process_transport(app), base_url="http://emulator"
    ) as raw:
        token = (await raw.get("/auth/token", headers={"Authorization": KEY})).json()
        raw.headers["Authorization"] = f"Bearer {token['accessToken']}"
        yield raw
    store.close()


@pytest.fixture
async def put_api() -> AsyncIterator[httpx.AsyncClient]:
    async for client in client_for(things()):
        yield client


@pytest.fixture
async def patch_api() -> AsyncIterator[httpx.AsyncClient]:
    resource = things("PATCH", "none", ids="uuid")
    async for client in client_for(resource):
        yield client


async def test_create_answers_the_object_with_a_location_and_numbers_its_ids(
    put_api: httpx.AsyncClient,
) -> None:
    first = await put_api.post(THINGS, json={"name": "a", "colour": "red"})
    second = await put_api.post(THINGS, json={"name": "b"})
    assert first.status_code == 201
    assert first.json() == {"id": 1, "name": "a", "colour": "red", "size": None}
    assert second.headers["location"].endswith(f"{THINGS}/2")
    assert (await put_api.post(THINGS, json={"name": "a"})).status_code == 400  # unique name
    refused = await put_api.post(THINGS, json={"colour": "red"})
    assert refused.json()["message"] == "a thing needs a name"


async def test_put_replaces_the_whole_object_through_its_rules(put_api: httpx.AsyncClient) -> None:
    await put_api.post(THINGS, json={"name": "a", "colour": "red", "size": 3})
    replaced = await put_api.put(f"{THINGS}/1", json={"name": "a", "colour": "blue"})
    assert replaced.json() == {"id": 1, "name": "a", "colour": "blue", "size": None}
    renamed = await put_api.put(f"{THINGS}/1", json={"name": "z"})
    assert renamed.json()["message"] == "the name cannot be changed"
    assert (await put_api.patch(f"{THINGS}/1", json={"colour": "x"})).status_code == 405


async def test_patch_keeps_omitted_fields_and_clears_nulls(patch_api: httpx.AsyncClient) -> None:
    created = await patch_api.post(THINGS, json={"name": "a", "colour": "red", "size": 3})
    assert (created.status_code, created.content) == (201, b"")
    item = created.headers["location"].rsplit("/", 1)[1]
    assert len(item) == 36  # a UUID
    changed = await patch_api.patch(f"{THINGS}/{item}", json={"colour": None, "size": 4})
    assert changed.json() == {"id": item, "name": "a", "colour": None, "size": 4}


async def test_delete_answers_204_and_the_object_is_gone(put_api: httpx.AsyncClient) -> None:
    await put_api.post(THINGS, json={"name": "a"})
    assert (await put_api.delete(f"{THINGS}/1")).status_code == 204
    assert (await put_api.get(f"{THINGS}/1")).status_code == 404
    assert (await put_api.get(THINGS)).json() == {"things": []}


async def test_a_paged_list_says_where_it_is_and_refuses_a_page_size_it_would_cut() -> None:
    resource = things(paged=True, page_size=2)
    async for api in client_for(resource):
        for name in "abcde":
            await api.post(THINGS, json={"name": name})
        page = (await api.get(THINGS, params={"page": 1})).json()
        assert [t["name"] for t in page["things"]] == ["c", "d"]
        assert {k: v for k, v in page.items() if k != "things"} == {
            "page": 1,
            "pageSize": 2,
            "totalElements": 5,
            "totalPages": 3,
        }
        assert (await api.get(THINGS, params={"pageSize": "1000"})).status_code == 400
        assert (await api.get(THINGS, params={"page": "-1"})).status_code == 400


async def test_both_url_forms_reach_the_same_objects() -> None:
    resource = things("PUT", "id", paths=(TEMPLATE, "/v5/entities/{entity}/things"))
    async for api in client_for(resource):
        created = await api.post("/v5/entities/B2C/things", json={"name": "a"})
        assert created.json() == {"id": 1}
        assert (await api.get(f"{THINGS}/1")).json()["name"] == "a"
        assert (await api.get("/v5/entities/NOPE/things")).status_code == 404
