"""What we believe of the ACTITO API, asserted against the emulator and, opt-in, a real licence.

`make test` runs these against the emulator. With ACTITO_LIVE_API_URL and ACTITO_LIVE_API_KEY
set they also run against that licence: read-only, unless ACTITO_LIVE_SANDBOX_ENTITY names an
entity they may create custom tables in (named ContractTest…; only the ACTITO UI deletes them)
and e-mail campaigns (named ContractTest…, deleted at the end while still in definition).
A failure on the live target means docs/api.md and the emulator are wrong there: fix both.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from actito_iac import archive
from actito_iac.api.client import ActitoClient, Upload
from actito_iac.api.errors import RequestRejected
from actito_iac.emulator.transport import in_process_transport
from actito_iac.secrets import Secret

pytestmark = pytest.mark.anyio

SANDBOX = "ContractSandbox"
CATEGORISED = "/custom-table-structure/v5/entities/{entity}/custom-tables"


@dataclass
class Target:
    name: str
    base_url: str
    key: str
    transport_factory: Any
    sandbox: str | None

    def raw(self) -> httpx.AsyncClient:
        transport = self.transport_factory() if self.transport_factory else None
        return httpx.AsyncClient(base_url=self.base_url, transport=transport, timeout=30)

    def client(self) -> ActitoClient:
        transport = self.transport_factory() if self.transport_factory else None
        return ActitoClient(self.base_url, Secret(self.key), transport=transport)


@pytest.fixture(params=["emulator", "live"])
def target(request: pytest.FixtureRequest, licence: Any) -> Target:
    if request.param == "live":
        url = os.environ.get("ACTITO_LIVE_API_URL")
        key = os.environ.get("ACTITO_LIVE_API_KEY")
        if not (url and key):
            pytest.skip("live contract: set ACTITO_LIVE_API_URL and ACTITO_LIVE_API_KEY to run")
        return Target("live", url, key, None, os.environ.get("ACTITO_LIVE_SANDBOX_ENTITY"))
    licence.store.insert_entity(SANDBOX)
    transport = lambda: in_process_transport(licence.app)  # noqa: E731
    return Target("emulator", "http://127.0.0.1", licence.api_key, transport, SANDBOX)


@pytest.fixture
async def client(target: Target) -> AsyncIterator[ActitoClient]:
    async with target.client() as api:
        yield api


def sandbox(target: Target) -> str:
    if not target.sandbox:
        pytest.skip("live contract: writes need ACTITO_LIVE_SANDBOX_ENTITY")
    return target.sandbox


def definition(name: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "type": "INTERACTIONS",
        "primaryKeyAttribute": "ref",
        "creationTimeAttribute": "moment",
        "bigTable": False,
        "attributes": [
            {
                "name": "ref",
                "valueType": "STRING",
                "mandatory": True,
                "unique": True,
                "indexed": True,
            },
            {"name": "moment", "valueType": "TIMESTAMP", "mandatory": True},
            {"name": "amount", "valueType": "NUMBER"},
        ],
    }
    body.update(changes)
    return body


def fresh_name() -> str:
    return "ContractTest" + uuid.uuid4().hex[:8]


async def test_token_exchange_answers_the_documented_body(target: Target) -> None:
    async with target.raw() as raw:
        answer = await raw.get(
            "/auth/token", headers={"Authorization": target.key, "Accept": "application/json"}
        )
    assert answer.status_code == 200
    body = answer.json()
    assert isinstance(body["accessToken"], str)
    assert body["accessToken"]
    assert body["tokenType"].lower() == "bearer"
    assert re.fullmatch(r"\d+s", body["expiresIn"])


async def test_an_unknown_key_is_refused_with_401(target: Target) -> None:
    async with target.raw() as raw:
        answer = await raw.get("/auth/token", headers={"Authorization": "not-a-key-" + "x" * 20})
    assert answer.status_code == 401


async def test_a_non_json_accept_header_gets_406(target: Target) -> None:
    async with target.raw() as raw:
        token = (await raw.get("/auth/token", headers={"Authorization": target.key})).json()
        answer = await raw.get(
            "/entities/v5/entities",
            headers={"Authorization": f"Bearer {token['accessToken']}", "Accept": "text/xml"},
        )
    assert answer.status_code == 406


async def test_entities_are_listed_with_numeric_ids_and_names(client: ActitoClient) -> None:
    body = await client.get("/entities/v5/entities")
    assert body["entities"]
    for entity in body["entities"]:
        assert isinstance(entity["id"], int)
        assert isinstance(entity["name"], str)


async def test_custom_tables_are_listed_under_a_named_property(
    client: ActitoClient, target: Target
) -> None:
    entities = (await client.get("/entities/v5/entities"))["entities"]
    entity = target.sandbox or entities[0]["name"]
    body = await client.get(CATEGORISED.format(entity=entity))
    assert isinstance(body["customTables"], list)


async def test_custom_table_structure_round_trip(client: ActitoClient, target: Target) -> None:
    base = CATEGORISED.format(entity=sandbox(target))
    name = fresh_name()
    created = await client.post(base, json=definition(name))
    assert re.fullmatch(r"[0-9a-f-]{36}", created["id"])
    read = await client.get(f"{base}/{created['id']}")
    assert read["name"] == name
    assert read["primaryKeyAttribute"] == "ref"
    amount = next(a for a in read["attributes"] if a["name"] == "amount")
    assert (amount["mandatory"], amount["unique"], amount["indexed"]) == (False, False, False)
    listed = (await client.get(base))["customTables"]
    assert name in {t["name"] for t in listed}

    wanted = definition(name)
    wanted["attributes"].append({"name": "channel", "valueType": "STRING"})
    changed = await client.post(f"{base}/{created['id']}/change-requests", json=wanted)
    assert "channel" in {a["name"] for a in changed["attributes"]}


async def test_a_duplicate_table_name_is_rejected(client: ActitoClient, target: Target) -> None:
    base = CATEGORISED.format(entity=sandbox(target))
    name = fresh_name()
    await client.post(base, json=definition(name))
    with pytest.raises(RequestRejected):
        await client.post(base, json=definition(name))


async def test_a_primary_key_that_is_not_unique_is_rejected(
    client: ActitoClient, target: Target
) -> None:
    base = CATEGORISED.format(entity=sandbox(target))
    body = definition(fresh_name())
    body["attributes"][0]["unique"] = False
    with pytest.raises(RequestRejected):
        await client.post(base, json=body)


async def test_an_attribute_type_cannot_change(client: ActitoClient, target: Target) -> None:
    base = CATEGORISED.format(entity=sandbox(target))
    name = fresh_name()
    created = await client.post(base, json=definition(name))
    wanted = definition(name)
    wanted["attributes"][2]["valueType"] = "STRING"
    with pytest.raises(RequestRejected) as rejected:
        await client.post(f"{base}/{created['id']}/change-requests", json=wanted)
    assert rejected.value.message


async def test_profile_tables_are_listed_under_a_named_property(
    client: ActitoClient, target: Target
) -> None:
    entities = (await client.get("/entities/v5/entities"))["entities"]
    entity = target.sandbox or entities[0]["name"]
    body = await client.get(f"/profile-table-structure/v5/entities/{entity}/profile-tables")
    assert isinstance(body["profileTables"], list)
    for table in body["profileTables"]:
        assert isinstance(table["id"], str)
        names = {a["name"] for a in table["attributes"]}
        assert {"profileId", "creationMoment", "updateMoment"} <= names


async def test_records_of_a_new_table_are_listed_with_a_limit(
    client: ActitoClient, target: Target
) -> None:
    entity = sandbox(target)
    name = fresh_name()
    await client.post(CATEGORISED.format(entity=entity), json=definition(name))
    records = f"/custom-data/v4/entity/{entity}/customTable/{name}/record"
    await client.post(
        records,
        json={
            "properties": [
                {"name": "ref", "value": "r-1"},
                {"name": "moment", "value": "2026-01-01 00:00:00"},
            ]
        },
    )
    body = await client.get(records, params={"number": "10"})
    [record] = body["records"]
    values = {p["name"]: p["value"] for p in record["properties"]}
    assert values["ref"] == "r-1"


async def test_a_table_read_alone_is_what_the_list_holds(
    client: ActitoClient, target: Target
) -> None:
    # apply re-reads each object before writing it and refuses it when it differs from what the
    # plan listed: if a GET of one table ever answered differently from its list item, every
    # update would be refused as "changed since the plan".
    entities = (await client.get("/entities/v5/entities"))["entities"]
    entity = target.sandbox or entities[0]["name"]
    if target.name == "emulator":
        await client.post(CATEGORISED.format(entity=entity), json=definition(fresh_name()))
    for base, key in (
        (CATEGORISED.format(entity=entity), "customTables"),
        (f"/profile-table-structure/v5/entities/{entity}/profile-tables", "profileTables"),
    ):
        for listed in (await client.get(base))[key][:3]:
            assert await client.get(f"{base}/{listed['id']}") == listed


async def test_profile_table_definitions_carry_subscriptions_or_say_nothing_of_them(
    client: ActitoClient, target: Target, record_property: Any
) -> None:
    # ACTITO's documented example carries neither; the tool reads their absence as "not known".
    # This records which is true on the target (pytest --junitxml keeps the property).
    entities = (await client.get("/entities/v5/entities"))["entities"]
    entity = target.sandbox or entities[0]["name"]
    tables = (await client.get(f"/profile-table-structure/v5/entities/{entity}/profile-tables"))[
        "profileTables"
    ]
    seen = set()
    for table in tables:
        for key in ("subscriptions", "segmentations"):
            value = table.get(key)
            assert value is None or isinstance(value, list), (table["name"], key, value)
            seen.add(f"{key}: {'absent' if value is None else 'present'}")
    record_property("profile_table_parts", ", ".join(sorted(seen)) or "no profile table")


MAIL = "/email-campaigns/v4/entity/{entity}/mail"


async def test_e_mail_campaigns_are_listed_under_a_named_property(
    client: ActitoClient, target: Target, record_property: Any
) -> None:
    # [INFER] the wrapper `mailCampaigns` and the `status` field; the states seen are recorded.
    entities = (await client.get("/entities/v5/entities"))["entities"]
    entity = target.sandbox or entities[0]["name"]
    body = await client.get(MAIL.format(entity=entity))
    assert isinstance(body["mailCampaigns"], list)
    states = set()
    for campaign in body["mailCampaigns"][:5]:
        read = await client.get(f"{MAIL.format(entity=entity)}/{campaign['id']}")
        assert isinstance(read["name"], str)
        states.add(str(read.get("status")))
    record_property("mail_campaign_states", ", ".join(sorted(states)) or "no campaign")


async def sandbox_table(client: ActitoClient, target: Target) -> tuple[str, str]:
    """(entity, a profile table of it) a campaign may target; the emulator's is made here."""
    entity = sandbox(target)
    base = f"/profile-table-structure/v5/entities/{entity}/profile-tables"
    if target.name == "emulator":
        table = {
            "name": "ContractCustomers",
            "attributes": [{"type": "EMAIL_ADDRESS", "name": "emailAddress", "unique": True}],
            "subscriptions": [{"name": "News", "channel": "EMAIL"}],
        }
        await client.post(base, json=table)
    tables = (await client.get(base))["profileTables"]
    if not tables:
        pytest.skip("live contract: the sandbox entity has no profile table to send to")
    return entity, str(tables[0]["name"])


async def test_an_e_mail_campaign_is_built_in_steps_and_deleted_in_definition(
    client: ActitoClient, target: Target, record_property: Any
) -> None:
    entity, table = await sandbox_table(client, target)
    base = MAIL.format(entity=entity)
    body = {
        "name": fresh_name(),
        "contentType": "HTML",
        "encoding": "utf-8",
        "entityOfTarget": entity,
        "targetTable": table,
        "from": "Contract test",
        "sendingMode": "MASS",
        "supportedLanguages": ["EN"],
    }
    created, _ = await client.create(base, json=body)
    item = f"{base}/{created['campaignId']}"  # [DOC]
    try:
        with pytest.raises(RequestRejected) as taken:
            await client.create(base, json=body)
        assert taken.value.status == 409  # [CODE] ALREADY_USED_MAIL_NAME
        await client.put(f"{item}/content/subject", json={"subject": "Contract ${firstName}"})
        assert (await client.get(f"{item}/content/subject"))["subject"] == "Contract ${firstName}"
        zipped = archive.pack({"index.html": b"<html><body>Contract</body></html>"})
        upload = Upload("inputFile", "content.zip", zipped)
        await client.upload(f"{item}/content/body", upload, params={"charset": "utf8"})
        back = await client.download(f"{item}/content/body")
        # [INFER] the zip as uploaded, or the HTML alone: either reads back the same page.
        files = archive.unpack(back)
        record_property("content_read_back", "zip" if archive.ONE_FILE not in files else "html")
        assert b"Contract" in b"".join(files.values())
        assert (await client.get(item)).get("status") == "IN_DEFINITION"  # [INFER]
    finally:
        await client.delete(item)  # [DOC] possible while in definition
