"""Reading kinds listed per object of another (scenarios per profile table) and kinds whose list
gives summaries (forms): every list read in one round, each object under its own name."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from actito_iac.api.client import ActitoClient
from actito_iac.api.errors import UnexpectedResponse
from actito_iac.live import read_objects
from actito_iac.secrets import Secret
from actito_iac.vocabulary import Address

from ..conftest import empty_list

pytestmark = pytest.mark.anyio

PROFILE_TABLES = "/profile-table-structure/v5/entities/B2C/profile-tables"
SCENARIOS = "/scenarios/v4/entity/B2C/table/{}/scenario"
FORMS = "/forms/v4/entity/B2C/form"


def table(table_id: str, name: str) -> dict[str, Any]:
    attribute = {"type": "EMAIL_ADDRESS", "name": "emailAddress", "mandatory": True}
    return {"id": table_id, "name": name, "attributes": [attribute]}


def started(name: str) -> dict[str, Any]:
    return {"id": name, "name": name, "state": "ACTIVE", "start": {"type": "START_BLOCK"}}


def licence(answers: dict[str, Any], seen: list[str]) -> ActitoClient:
    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        seen.append(path)
        if path == "/auth/token":
            return httpx.Response(200, json={"accessToken": "t", "tokenType": "bearer"})
        if path == "/entities/v5/entities":
            return httpx.Response(200, json={"entities": [{"id": 1, "name": "B2C"}]})
        if path in answers:
            return httpx.Response(200, json=answers[path])
        return httpx.Response(200, json=empty_list(path) or {})

    transport = httpx.MockTransport(handle)
    return ActitoClient("http://127.0.0.1", Secret("key-123456"), transport=transport)


async def test_scenarios_are_read_under_each_profile_table_and_named_by_it() -> None:
    seen: list[str] = []
    answers = {
        PROFILE_TABLES: {"profileTables": [table("1", "Customers"), table("2", "Leads")]},
        SCENARIOS.format("Customers"): {"scenarios": [started("welcome")]},
        SCENARIOS.format("Leads"): {"scenarios": [started("nurture")]},
    }
    async with licence(answers, seen) as client:
        objects = await read_objects(client, ["B2C"])
    welcome = objects[Address("B2C", "scenario", "welcome")]
    nurture = objects[Address("B2C", "scenario", "nurture")]
    assert (welcome.spec.profileTable, nurture.spec.profileTable) == ("Customers", "Leads")
    assert seen.count(SCENARIOS.format("Customers")) == seen.count(SCENARIOS.format("Leads")) == 1


async def test_forms_are_listed_then_each_read_whole() -> None:
    seen: list[str] = []
    structure = {
        "id": 7,
        "name": "signup",
        "profileTableId": "1",
        "questions": [
            {"name": "email", "type": "EMAIL", "enrichment": {"attribute": "emailAddress"}}
        ],
    }
    answers = {
        PROFILE_TABLES: {"profileTables": [table("1", "Customers")]},
        FORMS: {"forms": [{"id": 7, "name": "signup"}]},
        f"{FORMS}/7": structure,
    }
    async with licence(answers, seen) as client:
        objects = await read_objects(client, ["B2C"])
    form = objects[Address("B2C", "form", "signup")]
    assert form.spec.profileTable == "Customers"
    assert f"{FORMS}/7" in seen


async def test_a_scenario_list_that_cannot_be_read_names_its_call() -> None:
    answers = {
        PROFILE_TABLES: {"profileTables": [table("1", "Customers")]},
        SCENARIOS.format("Customers"): {"items": []},
    }
    async with licence(answers, []) as client:
        with pytest.raises(UnexpectedResponse) as failure:
            await read_objects(client, ["B2C"])
    assert f"GET {SCENARIOS.format('Customers')}" in str(failure.value)
    assert "expected a list under 'scenarios'" in str(failure.value)
