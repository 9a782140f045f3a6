"""Every write is built on the object as it is just before the write.

A change request carries the whole definition. Built on what the plan read, it would remove an
attribute someone added in the UI meanwhile — with its values — and report "done". The
executor re-reads each object before writing it and refuses the ones that moved, changing
nothing of them; the other changes go on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from actito_iac.api.client import ActitoClient
from actito_iac.apply_result import Status
from actito_iac.emulator.seed import apply_seed
from actito_iac.manifest.loader import load
from actito_iac.secrets import Secret
from actito_iac.session import apply_against, plan_against

from ..conftest import API_KEY

pytestmark = pytest.mark.anyio

UI = "/__emulator__/ui/entities/B2C"
EMAIL = {"name": "emailAddress", "type": "EMAIL_ADDRESS", "mandatory": True, "unique": True}
LOYALTY = {"name": "loyalty", "type": "CUSTOM", "valueType": "STRING"}
SEED = {
    "entities": [{"name": "B2C"}],
    "profileTables": [
        {
            "entity": "B2C",
            "definition": {
                "name": "Customers",
                "attributes": [EMAIL],
                "subscriptions": [{"name": "Newsletter", "channel": "EMAIL"}],
            },
        }
    ],
    "customTables": [
        {
            "entity": "B2C",
            "definition": {
                "name": name,
                "type": "INTERACTIONS",
                "primaryKeyAttribute": "code",
                "attributes": [
                    {"name": "code", "valueType": "STRING", "mandatory": True, "unique": True}
                ],
            },
        }
        for name in ("Orders", "Stores")
    ],
    "profiles": [{"entity": "B2C", "table": "Customers", "rows": [{"emailAddress": "a@x.be"}]}],
}
MANIFEST = """\
entity: B2C
profileTables:
  - name: Customers
    attributes:
      - {name: emailAddress, type: EMAIL_ADDRESS, mandatory: true, unique: true}
      - {name: firstName, type: FIRSTNAME}
    subscriptions: [{name: Newsletter}]
customTables:
"""
TABLE = """\
  - name: NAME
    primaryKey: code
    attributes:
      - {name: code, valueType: STRING, mandatory: true, unique: true}
      - {name: note, valueType: STRING}
"""


def manifests(folder: Path) -> Path:
    text = MANIFEST + TABLE.replace("NAME", "Orders") + TABLE.replace("NAME", "Stores")
    (folder / "b2c.yaml").write_text(text, encoding="utf-8")
    return folder


async def ui(licence: Any, path: str, body: Any) -> None:
    """What a person does in the ACTITO UI, through the emulator's admin surface."""
    transport = httpx.ASGITransport(app=licence.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as admin:
        answer = await admin.post(path, json=body)
        assert answer.status_code == 200, answer.text


def attribute_names(licence: Any, kind: str, name: str) -> list[str]:
    (table,) = [t for t in licence.store.dump()["objects"]["B2C"][kind] if t["name"] == name]
    return [a["name"] for a in table["attributes"]]


async def test_a_table_changed_in_the_ui_after_the_plan_is_refused_the_others_applied(
    licence: Any, tmp_path: Path
) -> None:
    apply_seed(licence.store, SEED)
    async with licence.client() as client:
        desired = load([manifests(tmp_path)], {})
        actual, plan = await plan_against(client, desired)
        assert plan.count()["update"] == 3
        assert not plan.risks()["destructive"]
        # While the apply waits at its prompt, someone adds an attribute in the UI and fills it.
        await ui(licence, f"{UI}/profile-tables/Customers/attributes", LOYALTY)
        result = await apply_against(client, plan, actual, allow_destructive=False)
    by_name = {o.address.name: o for o in result.outcomes}
    assert by_name["Customers"].status is Status.FAILED
    assert "changed since the plan" in by_name["Customers"].message
    assert "nothing of it was written" in by_name["Customers"].message
    assert by_name["Orders"].status is Status.DONE
    assert by_name["Stores"].status is Status.DONE
    assert attribute_names(licence, "profileTable", "Customers") == [
        "profileId", "creationMoment", "updateMoment", "emailAddress", "loyalty",
    ]  # fmt: skip


class ChangeAfterFirstWrite(httpx.AsyncBaseTransport):
    """The emulator; after the first change request, a UI edit lands on another table."""

    def __init__(self, licence: Any, path: str, body: Any) -> None:
        self.inner = httpx.ASGITransport(app=licence.app)
        self.licence, self.path, self.body = licence, path, body
        self.writes: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.url.path.endswith("/change-requests"):
            self.writes.append(request.url.path)
            if len(self.writes) == 1:
                await ui(self.licence, self.path, self.body)
        return response


async def test_an_object_changed_while_an_earlier_change_is_in_flight_is_refused(
    licence: Any, tmp_path: Path
) -> None:
    apply_seed(licence.store, SEED)
    extra = {"name": "region", "valueType": "STRING"}
    transport = ChangeAfterFirstWrite(licence, f"{UI}/custom-tables/Stores/attributes", extra)
    async with ActitoClient("http://127.0.0.1", Secret(API_KEY), transport=transport) as client:
        actual, plan = await plan_against(client, load([manifests(tmp_path)], {}))
        result = await apply_against(client, plan, actual, allow_destructive=False)
    statuses = {o.address.name: o.status for o in result.outcomes}
    assert statuses == {"Orders": "done", "Stores": "failed", "Customers": "done"}
    assert len(transport.writes) == 2
    assert "region" in attribute_names(licence, "customTable", "Stores")
    assert "note" not in attribute_names(licence, "customTable", "Stores")


async def test_an_object_deleted_since_the_plan_is_refused(licence: Any, tmp_path: Path) -> None:
    apply_seed(licence.store, SEED)
    async with licence.client() as client:
        actual, plan = await plan_against(client, load([manifests(tmp_path)], {}))
        stores = licence.store.find_object("B2C", "customTable", "Stores")
        licence.store.delete_object("B2C", "customTable", stores["id"])
        result = await apply_against(client, plan, actual, allow_destructive=False)
    (refused,) = result.failed
    assert refused.address.name == "Stores"
    assert "deleted since the plan" in refused.message


HOOKS = "/webhooks/v4/entity/B2C/webhookSubscription"
HOOK_URL = "https://crm.example.com/hooks/customers"
WEBHOOKS = f"""\
webhooks:
  - profileTable: Customers
    eventType: UPDATE
    targetUrl: {HOOK_URL}
    onFields: [emailAddress]
"""


async def switch_off(licence: Any, hook_id: str) -> None:
    """Another tool (or a person in the UI) switches the subscription off, through the API."""
    transport = httpx.ASGITransport(app=licence.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as api:
        token = (await api.get("/auth/token", headers={"Authorization": API_KEY})).json()
        api.headers["Authorization"] = f"Bearer {token['accessToken']}"
        live = (await api.get(f"{HOOKS}/{hook_id}")).json()
        body = {k: v for k, v in live.items() if k != "id"} | {"isActive": False}
        (await api.put(f"{HOOKS}/{hook_id}", json=body)).raise_for_status()


async def test_a_webhook_changed_live_after_the_plan_is_refused_and_not_written(
    licence: Any, tmp_path: Path
) -> None:
    hook = {"on": "PROFILE_TABLE", "table": "Customers", "eventType": "UPDATE"}
    hook |= {"onFields": [], "targetUrl": HOOK_URL, "isActive": True}
    seeded = [{"entity": "B2C", "definition": hook}]
    apply_seed(licence.store, SEED | {"webhookSubscriptions": seeded})
    manifest = manifests(tmp_path) / "b2c.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + WEBHOOKS, encoding="utf-8")
    async with licence.client() as client:
        actual, plan = await plan_against(client, load([tmp_path], {}))
        updates = {c.address.kind for c in plan.changes if c.action == "update"}
        assert updates == {"profileTable", "customTable", "webhookSubscription"}
        (stored,) = licence.store.dump()["objects"]["B2C"]["webhookSubscription"]
        await switch_off(licence, stored["id"])  # after the plan, before its write
        switched_off = licence.store.dump()["objects"]["B2C"]["webhookSubscription"]
        result = await apply_against(client, plan, actual, allow_destructive=False)
    (refused,) = result.failed
    assert refused.address.kind == "webhookSubscription"
    assert "changed since the plan" in refused.message
    assert "nothing of it was written" in refused.message
    assert licence.store.dump()["objects"]["B2C"]["webhookSubscription"] == switched_off
    assert switched_off[0]["isActive"] is False
    assert switched_off[0]["onFields"] == []  # the planned onFields were not written
    assert {o.address.name for o in result.outcomes if o.status is Status.DONE} == {
        "Customers", "Orders", "Stores",
    }  # fmt: skip
