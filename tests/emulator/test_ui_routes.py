"""The emulator's stand-in for ACTITO's UI: editing subscriptions and segmentations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from actito_iac.manifest.loader import load
from actito_iac.plan.model import Action
from actito_iac.session import apply_against, plan_against

pytestmark = pytest.mark.anyio

SCENARIO = Path(__file__).parents[1] / "scenarios" / "013-profile-table-manual-steps"
UI = "/__emulator__/ui/entities/B2C/profile-tables/Customers"


async def put(licence: Any, path: str, body: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=licence.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as raw:
        return await raw.put(path, json=body)


async def test_a_manual_step_done_in_the_ui_leaves_nothing_pending(licence: Any) -> None:
    licence.seed(SCENARIO / "seed.yaml")
    desired = load([SCENARIO / "manifests"], {})
    async with licence.client() as client:
        actual, plan = await plan_against(client, desired)
        assert Action.MANUAL in {c.action for c in plan.pending}
        await apply_against(client, plan, actual, allow_destructive=True)
        answer = await put(
            licence,
            UI,
            {
                "subscriptions": [
                    {"name": "Newsletter", "channel": "EMAIL"},
                    {"name": "SmsAlerts", "channel": "SMS"},
                ],
                "segmentations": [
                    {"name": "VIP", "type": "SIMPLE", "history": False},
                    {
                        "name": "Tier",
                        "type": "EXCLUSIVE",
                        "segments": ["Bronze", "Silver", "Gold"],
                        "mandatory": True,
                        "defaultSegment": "Bronze",
                        "history": False,
                    },
                ],
            },
        )
        assert answer.status_code == 200, answer.text
        _, again = await plan_against(client, desired)
    assert not again.has_changes


async def test_the_ui_keeps_one_email_subscription(licence: Any) -> None:
    licence.seed(SCENARIO / "seed.yaml")
    answer = await put(licence, UI, {"subscriptions": [{"name": "Sms", "channel": "SMS"}]})
    assert answer.status_code == 400
    assert "EMAIL" in answer.json()["message"]


async def test_an_unknown_table_is_404(licence: Any) -> None:
    licence.seed(SCENARIO / "seed.yaml")
    answer = await put(licence, UI.replace("Customers", "Nope"), {"subscriptions": []})
    assert answer.status_code == 404
