"""How reading and checking scenarios and forms scale, against the emulator on loopback.

Not a test: it prints timings and request counts. Run with
`.venv/bin/python benchmarks/scenarios_and_forms.py [TABLES] [SCENARIOS]` (default 100
profile tables, 5 scenarios each). It seeds the tables, their scenarios and one form per
table, declares them all in manifests, then times a `plan` with nothing to change (the
scenario lists are read once per profile table, each form's structure once) and a `plan`
removing from every table an attribute a form enriches and a scenario starts on (every table
blocked, naming both users).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from actito_iac.api.client import ActitoClient
from actito_iac.emulator.app import create_app
from actito_iac.emulator.seed import apply_seed
from actito_iac.emulator.server import running_server
from actito_iac.emulator.store import Store
from actito_iac.plan.model import Action
from actito_iac.secrets import Secret
from actito_iac.session import Inputs, load_desired, plan_against

KEY = "benchmark-key"


def seed(tables: int, scenarios: int) -> dict[str, Any]:
    attributes = [
        {"type": "EMAIL_ADDRESS", "name": "emailAddress", "mandatory": True, "unique": True},
        {"type": "CUSTOM", "name": "tier", "valueType": "STRING"},
    ]
    document: dict[str, Any] = {"entities": [{"name": "B2C"}], "scenarios": [], "forms": []}
    document["profileTables"] = [
        {
            "entity": "B2C",
            "definition": {
                "name": f"P{t:03d}",
                "attributes": attributes,
                "subscriptions": [{"name": "Newsletter", "channel": "EMAIL"}],
            },
        }
        for t in range(tables)
    ]
    for t in range(tables):
        start = {"type": "PROFILE_EVENT", "operation": "UPDATE", "attributes": ["tier"]}
        document["scenarios"] += [
            {
                "entity": "B2C",
                "definition": {
                    "name": f"S{t:03d}_{s}",
                    "profileTable": f"P{t:03d}",
                    "state": "ACTIVE",
                    "start": start,
                },
            }
            for s in range(scenarios)
        ]
        question = {"name": "tier", "type": "TEXT", "enrichment": {"attribute": "tier"}}
        form = {"name": f"F{t:03d}", "profileTable": f"P{t:03d}", "questions": [question]}
        document["forms"].append({"entity": "B2C", "definition": form})
    return document


def write_manifests(folder: Path, tables: int, scenarios: int, tier: bool) -> None:
    lines = ["entity: B2C", "profileTables:"]
    for t in range(tables):
        lines += [
            f"  - name: P{t:03d}",
            "    attributes:",
            "      - {name: emailAddress, type: EMAIL_ADDRESS, mandatory: true, unique: true}",
        ]
        if tier:
            lines.append("      - {name: tier, valueType: STRING}")
    used = "tier" if tier else "emailAddress"  # without tier: every user moved elsewhere
    start = f"{{type: PROFILE_EVENT, operation: UPDATE, attributes: [{used}]}}"
    lines.append("scenarios:")
    for t in range(tables):
        for s in range(scenarios):
            lines.append(f"  - {{name: S{t:03d}_{s}, profileTable: P{t:03d}, start: {start}}}")
    lines.append("forms:")
    for t in range(tables):
        enriched = used
        lines.append(
            f"  - {{name: F{t:03d}, profileTable: P{t:03d}, questions: "
            f"[{{name: tier, attribute: {enriched}}}]}}"
        )
    (folder / "b2c.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


async def timed(label: str, url: str, folder: Path) -> None:
    desired = load_desired(Inputs(None, (folder,)), {})
    # Unpaced: the benchmark times the tool's work, not its pacing under ACTITO's rate.
    async with ActitoClient(url, Secret(KEY), calls_per_minute=None) as client:
        start = time.perf_counter()
        _, plan = await plan_against(client, desired, data_sample=0)
        took = time.perf_counter() - start
        counts = plan.count()
        print(
            f"{label:<34} plan {took:6.2f} s   {client.request_count:5d} requests   "
            f"{counts.get(Action.BLOCKED, 0):4d} blocked   {counts.get(Action.MANUAL, 0):4d} manual"
        )


def main() -> None:
    tables = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    scenarios = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    store = Store()
    apply_seed(store, seed(tables, scenarios))
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_server(create_app(store, api_keys=[KEY])) as url,
    ):
        folder = Path(tmp)
        write_manifests(folder, tables, scenarios, tier=True)
        asyncio.run(timed(f"{tables} tables, {tables * scenarios} scenarios", url, folder))
        write_manifests(folder, tables, scenarios, tier=False)
        asyncio.run(timed("remove what they use, everywhere", url, folder))
    store.close()


if __name__ == "__main__":
    main()
