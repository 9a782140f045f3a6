"""Applying campaigns against the emulator: only what changed is written (general data, the
subject, the content — each its own call), a name taken since the plan is a clear error naming
the campaign, and a create that stops half-way is finished by the next apply."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from actito_iac.emulator.campaigns.resources import EMAIL_CAMPAIGNS
from actito_iac.emulator.faults import Fault
from actito_iac.emulator.resources.crud import Objects
from actito_iac.plan.model import Action
from actito_iac.session import Inputs, apply_against, load_desired, plan_against

pytestmark = pytest.mark.anyio

SEED = Path(__file__).parents[1] / "scenarios" / "029-email-campaign-create" / "seed.yaml"
MAIL = "/email-campaigns/v4/entity/B2C/mail"
MANIFEST = """\
entity: B2C
emailCampaigns:
  - name: welcome
    targetTable: Customers
    from: {sender}
    languages: [EN]
    subject: {subject}
    content: {{html: index.html}}
"""


def write(folder: Path, sender: str = "Acme", subject: str = "Hi", html: str = "<p>1</p>") -> Any:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(html, encoding="utf-8")
    (folder / "c.yaml").write_text(MANIFEST.format(sender=sender, subject=subject))
    return load_desired(Inputs(None, (folder,)), {})


def writes(licence: Any) -> list[str]:
    """The calls that wrote, in order, as `METHOD path-after-the-collection`."""
    calls = licence.app.state.emulator.log.entries()
    licence.app.state.emulator.log.clear()
    return [
        f"{c['method']} {c['path'].removeprefix(MAIL)}"
        for c in calls
        if c["method"] != "GET" and c["path"].startswith(MAIL)
    ]


async def converge(client: Any, desired: Any) -> list[Action]:
    actual, plan = await plan_against(client, desired)
    result = await apply_against(client, plan, actual, allow_destructive=False)
    assert result.ok, result.failed
    return [c.action for c in plan.executable]


async def test_each_change_writes_only_its_own_part(licence: Any, tmp_path: Path) -> None:
    licence.seed(SEED)
    async with licence.client() as client:
        assert await converge(client, write(tmp_path / "0")) == [Action.CREATE]
        assert writes(licence) == ["POST ", "PUT /1/content/subject", "POST /1/content/body"]
        await converge(client, write(tmp_path / "1", subject="Hello"))
        assert writes(licence) == ["PUT /1/content/subject"]
        await converge(client, write(tmp_path / "2", subject="Hello", html="<p>2</p>"))
        assert writes(licence) == ["POST /1/content/body"]
        await converge(client, write(tmp_path / "3", "Acme Shop", "Hello", "<p>2</p>"))
        assert writes(licence) == ["PUT /1"]
        again = await converge(client, write(tmp_path / "3", "Acme Shop", "Hello", "<p>2</p>"))
        assert again == []
        assert writes(licence) == []


async def test_a_name_taken_since_the_plan_is_an_error_naming_the_campaign(
    licence: Any, tmp_path: Path
) -> None:
    licence.seed(SEED)
    desired = write(tmp_path)
    async with licence.client() as client:
        actual, plan = await plan_against(client, desired)
        body = {"name": "welcome", "entityOfTarget": "B2C", "targetTable": "Customers"}
        body |= {"from": "Someone else", "encoding": "UTF-8", "supportedLanguages": ["EN"]}
        Objects(licence.store, EMAIL_CAMPAIGNS).create("B2C", body)  # in the UI, meanwhile
        result = await apply_against(client, plan, actual, allow_destructive=False)
    (failed,) = result.failed
    assert failed.message.startswith(
        "ACTITO refuses to create e-mail campaign 'welcome': the name is already used in "
        "entity 'B2C' (409 Conflict: ALREADY_USED_MAIL_NAME: emailCampaign 'welcome' already "
        "exists in entity 'B2C'). Another e-mail campaign took it since the plan"
    )


async def test_a_create_stopped_after_its_subject_is_finished_by_the_next_apply(
    licence: Any, tmp_path: Path
) -> None:
    licence.seed(SEED)
    desired = write(tmp_path)
    faults = licence.app.state.emulator.faults
    faults.add(Fault.from_json({"method": "POST", "path": "/content/body$", "status": 502}))
    async with licence.client() as client:
        actual, plan = await plan_against(client, desired)
        result = await apply_against(client, plan, actual, allow_destructive=False)
        (failed,) = result.failed
        assert failed.message.startswith(
            "created (id 1) and its subject, but its content was not written: POST "
            f"{MAIL}/1/content/body -> 502 Bad Gateway"
        )
        assert failed.message.endswith(
            "The object exists, unfinished: plan again — it is found by its name and the plan "
            "shows what is left (nothing is created twice)"
        )
        _, resumed = await plan_against(client, desired)
        (update,) = resumed.executable
        assert (update.action, [f.path for f in update.fields]) == (Action.UPDATE, [("content",)])
        assert await converge(client, desired) == [Action.UPDATE]
    assert [c["name"] for c in licence.store.dump()["objects"]["B2C"]["emailCampaign"]] == [
        "welcome"
    ]
