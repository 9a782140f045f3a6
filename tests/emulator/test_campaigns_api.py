"""E-mail and SMS campaigns in the emulator: the create answer, 409 on a used name, the fixed
target, subject and zip content, what a campaign's state allows, the UI stand-in that moves
it, deletes, and seeding campaigns with their parts."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import httpx
import pytest

from actito_iac.emulator.seed import SeedError, apply_seed

from .conftest import Emulator

pytestmark = pytest.mark.anyio

MAIL = "/email-campaigns/v4/entity/B2C/mail"
LEGACY_MAIL = "/v4/entity/B2C/mail"
SMS = "/sms-campaigns/v4/entity/B2C/sms"
UI = "/__emulator__/ui/entities/B2C"
TABLES = {
    "profileTables": [
        {
            "entity": "B2C",
            "definition": {
                "name": "Customers",
                "attributes": [
                    {"type": "EMAIL_ADDRESS", "name": "emailAddress", "unique": True},
                    {"type": "GSM_NUMBER", "name": "mobile"},
                ],
                "subscriptions": [{"name": "Newsletter", "channel": "EMAIL"}],
            },
        },
        {
            "entity": "B2C",
            "definition": {
                "name": "Prospects",
                "attributes": [{"type": "EMAIL_ADDRESS", "name": "emailAddress"}],
                "subscriptions": [{"name": "Offers", "channel": "EMAIL"}],
            },
        },
    ]
}


@pytest.fixture(autouse=True)
def tables(emulator: Emulator) -> None:
    apply_seed(emulator.store, TABLES)


def campaign(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "welcome",
        "contentType": "HTML",
        "encoding": "UTF-8",
        "entityOfTarget": "B2C",
        "targetTable": "Customers",
        "from": "Acme",
        "sendingMode": "CONTINUOUS",
        "supportedLanguages": ["EN"],
    }
    body.update(changes)
    return body


def zipped(**files: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name.replace("__", "/"), data)
    return buffer.getvalue()


async def create(api: httpx.AsyncClient, **changes: Any) -> str:
    created = await api.post(MAIL, json=campaign(**changes))
    assert created.status_code == 201, created.text
    return str(created.json()["campaignId"])


async def upload(
    api: httpx.AsyncClient, item: str, data: bytes, charset: str | None = "utf8"
) -> httpx.Response:
    params = {"charset": charset} if charset else {}
    files = {"inputFile": ("content.zip", data, "application/zip")}
    return await api.post(f"{MAIL}/{item}/content/body", params=params, files=files)


async def complete(api: httpx.AsyncClient, item: str) -> None:
    assert (
        await api.put(f"{MAIL}/{item}/content/subject", json={"subject": "Hi"})
    ).status_code == 200
    assert (await upload(api, item, zipped(**{"index.html": b"<p>Hi</p>"}))).status_code == 200


async def test_a_campaign_is_created_in_definition_and_named_by_its_campaign_id(
    api: httpx.AsyncClient,
) -> None:
    created = await api.post(MAIL, json=campaign())
    assert created.status_code == 201
    assert set(created.json()) == {"campaignId"}
    item = created.json()["campaignId"]
    assert created.headers["location"].endswith(f"/mail/{item}")
    read = (await api.get(f"{LEGACY_MAIL}/{item}")).json()
    assert (read["name"], read["status"], read["from"]) == ("welcome", "IN_DEFINITION", "Acme")
    listed = (await api.get(MAIL)).json()
    assert [c["name"] for c in listed["mailCampaigns"]] == ["welcome"]


async def test_a_name_already_used_answers_409_naming_it(api: httpx.AsyncClient) -> None:
    await create(api)
    again = await api.post(MAIL, json=campaign(targetTable="Prospects"))
    assert again.status_code == 409
    message = again.json()["message"]
    assert "ALREADY_USED_MAIL_NAME" in message
    assert "'welcome'" in message


async def test_a_create_is_checked_against_the_licence(api: httpx.AsyncClient) -> None:
    refused = await api.post(
        MAIL,
        json=campaign(
            targetTable="Nobody", sendingMode="SOMETIMES", contentType="TEXT", status="SENT"
        ),
    )
    assert refused.status_code == 400
    message = refused.json()["message"]
    for expected in ("targetTable 'Nobody'", "sendingMode 'SOMETIMES'", "contentType", "status"):
        assert expected in message


async def test_the_target_is_fixed_the_rest_can_change_in_definition(
    api: httpx.AsyncClient,
) -> None:
    item = await create(api)
    moved = await api.put(f"{MAIL}/{item}", json=campaign(targetTable="Prospects"))
    assert moved.status_code == 400
    assert "targetTable cannot be changed" in moved.json()["message"]
    renamed = await api.put(f"{MAIL}/{item}", json=campaign(**{"from": "Acme Shop"}))
    assert renamed.status_code == 200
    assert renamed.json()["status"] == "IN_DEFINITION"  # kept: not the client's to set


async def test_subject_and_content_are_parts_set_after_the_create(api: httpx.AsyncClient) -> None:
    item = await create(api)
    assert (await api.get(f"{MAIL}/{item}/content/subject")).status_code == 404
    assert (
        await api.get(f"{MAIL}/{item}/content/body", headers={"Accept": "*/*"})
    ).status_code == 404
    subject = await api.put(f"{MAIL}/{item}/content/subject", json={"subject": "Hi ${firstName}"})
    assert subject.json() == {"campaignId": int(item)}
    assert (await api.get(f"{MAIL}/{item}/content/subject")).json() == {
        "subject": "Hi ${firstName}"
    }
    data = zipped(**{"index.html": b"<p>Hi</p>", "img__logo.png": b"PNG"})
    assert (await upload(api, item, data)).json() == {"campaignId": int(item)}
    back = await api.get(f"{MAIL}/{item}/content/body", headers={"Accept": "*/*"})
    assert back.headers["content-type"] == "application/zip"
    assert back.content == data  # [INFER] the zip as uploaded


@pytest.mark.parametrize(
    ("files", "charset", "language", "expected"),
    [
        ({"index.html": b"x"}, "latin1", ["EN"], "charset 'latin1' does not match"),
        ({"img__logo.png": b"PNG"}, "utf8", ["EN"], "no HTML file"),
        ({"index_en.html": b"x"}, "utf8", ["EN", "FR"], "no index_<language>.html for FR"),
        ({"index.html": b"\xff\xfe"}, None, ["EN"], "is not UTF-8 text"),
    ],
)
async def test_content_is_refused_when_actito_would_not_take_it(
    api: httpx.AsyncClient,
    files: dict[str, bytes],
    charset: str | None,
    language: list[str],
    expected: str,
) -> None:
    item = await create(api, supportedLanguages=language)
    refused = await upload(api, item, zipped(**files), charset)
    assert refused.status_code == 400
    assert expected in refused.json()["message"]


async def test_content_must_be_a_zip_in_the_input_file_part(api: httpx.AsyncClient) -> None:
    item = await create(api)
    not_zip = await upload(api, item, b"<html></html>")
    assert not_zip.status_code == 400
    assert "zip archive" in not_zip.json()["message"]
    files = {"inputForm": ("content.zip", zipped(**{"index.html": b"x"}), "application/zip")}
    wrong_part = await api.post(f"{MAIL}/{item}/content/body", files=files)
    assert wrong_part.status_code == 400
    assert "'inputFile'" in wrong_part.json()["message"]


async def test_an_active_campaign_takes_no_change_and_cannot_be_deleted(
    api: httpx.AsyncClient,
) -> None:
    item = await create(api)
    early = await api.post(f"{UI}/email-campaigns/welcome/state", json={"state": "ACTIVE"})
    assert early.status_code == 400
    assert "no subject, content yet" in early.json()["message"]
    await complete(api, item)
    active = await api.post(f"{UI}/email-campaigns/{item}/state", json={"state": "ACTIVE"})
    assert active.json()["status"] == "ACTIVE"
    for refused in (
        await api.put(f"{MAIL}/{item}", json=campaign(**{"from": "Other"})),
        await api.put(f"{MAIL}/{item}/content/subject", json={"subject": "New"}),
        await upload(api, item, zipped(**{"index.html": b"x"})),
        await api.delete(f"{MAIL}/{item}"),
    ):
        assert refused.status_code == 400
        assert "is ACTIVE" in refused.json()["message"]
    back = await api.post(f"{UI}/email-campaigns/welcome/state", json={"state": "IN_DEFINITION"})
    assert back.json()["status"] == "IN_DEFINITION"  # [INFER] deactivating


async def test_a_mass_campaign_is_sent_once_and_stays_sent(api: httpx.AsyncClient) -> None:
    item = await create(api, sendingMode="MASS")
    await complete(api, item)
    activate = await api.post(f"{UI}/email-campaigns/welcome/state", json={"state": "ACTIVE"})
    assert "a MASS one is sent" in activate.json()["message"]
    sent = await api.post(f"{UI}/email-campaigns/welcome/state", json={"state": "SENT"})
    assert sent.json()["status"] == "SENT"
    undo = await api.post(f"{UI}/email-campaigns/welcome/state", json={"state": "IN_DEFINITION"})
    assert "stays sent" in undo.json()["message"]
    deleted = await api.delete(f"{MAIL}/{item}")
    assert "only a campaign in definition can be deleted" in deleted.json()["message"]


async def test_a_campaign_in_definition_is_deleted_with_its_parts(
    api: httpx.AsyncClient, emulator: Emulator
) -> None:
    item = await create(api)
    await complete(api, item)
    assert (await api.delete(f"{MAIL}/{item}")).status_code == 204
    assert (await api.get(f"{MAIL}/{item}")).status_code == 404
    held = emulator.store.dump()["objects"]["B2C"]
    assert not [kind for kind in held if kind.startswith("emailCampaign")]


async def test_an_sms_campaign_needs_a_mobile_number_and_takes_texts_per_language(
    api: httpx.AsyncClient,
) -> None:
    body = {
        "name": "shipped",
        "entityOfTarget": "B2C",
        "targetTable": "Prospects",
        "sendingMode": "CONTINUOUS",
        "supportedLanguages": ["EN", "FR"],
    }
    refused = await api.post(SMS, json=body)
    assert "has no gsmNumber attribute" in refused.json()["message"]
    created = await api.post(SMS, json={**body, "targetTable": "Customers"})
    item = created.json()["campaignId"]
    wrong = await api.put(
        f"{SMS}/{item}/content", json={"messages": [{"language": "DE", "text": "Hallo"}]}
    )
    assert "'DE' is not a language of the campaign" in wrong.json()["message"]
    texts = {
        "messages": [{"language": "EN", "text": "Shipped"}, {"language": "FR", "text": "Parti"}]
    }
    assert (await api.put(f"{SMS}/{item}/content", json=texts)).status_code == 200
    assert (await api.get(f"{SMS}/{item}/content")).json() == texts


def test_a_seed_holds_campaigns_with_their_parts_and_state(emulator: Emulator) -> None:
    apply_seed(
        emulator.store,
        {
            "emailCampaigns": [
                {
                    "entity": "B2C",
                    "definition": {
                        **{k: v for k, v in campaign().items() if k != "entityOfTarget"},
                        "subject": "Hello",
                        "content": {"index.html": "<p>Hé</p>", "logo.png": {"base64": "UE5H"}},
                        "status": "ACTIVE",
                    },
                }
            ]
        },
    )
    held = emulator.store.dump()["objects"]["B2C"]
    assert held["emailCampaign"][0]["status"] == "ACTIVE"
    assert held["emailCampaign"][0]["entityOfTarget"] == "B2C"  # the seed's entity
    assert held["emailCampaign:subject"][0]["value"] == "Hello"
    with pytest.raises(SeedError, match="status must be one of"):
        apply_seed(
            emulator.store,
            {
                "emailCampaigns": [
                    {"entity": "B2C", "definition": {**campaign(name="other"), "status": "GONE"}}
                ]
            },
        )
