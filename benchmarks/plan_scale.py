"""How plan and apply scale with the number of tables, against the emulator on loopback.

Not a test: it prints timings and request counts. Run with
`.venv/bin/python benchmarks/plan_scale.py [TABLES]` (default 200). It writes manifests for
TABLES custom tables into a temporary folder, starts the emulator in-process on a loopback
port, then times `apply` from empty, a `plan` with nothing to change, and a `plan` after one
attribute was added to every table.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from actito_iac.api.client import ActitoClient
from actito_iac.emulator.app import create_app
from actito_iac.emulator.seed import apply_seed
from actito_iac.emulator.server import running_server
from actito_iac.emulator.store import Store
from actito_iac.secrets import Secret
from actito_iac.session import Inputs, apply_against, load_desired, plan_against

KEY = "benchmark-key"


def write_manifests(folder: Path, tables: int, extra: bool) -> None:
    lines = ["entity: B2C", "customTables:"]
    for i in range(tables):
        lines += [
            f"  - name: T{i:04d}",
            "    primaryKey: id",
            "    attributes:",
            "      - {name: id, valueType: STRING, mandatory: true, unique: true}",
            "      - {name: amount, valueType: NUMBER}",
            "      - {name: status, valueType: STRING, acceptedValues: [A, B, C]}",
        ]
        if extra:
            lines.append("      - {name: note, valueType: STRING}")
    (folder / "b2c.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


async def timed(label: str, url: str, folder: Path, apply: bool) -> None:
    desired = load_desired(Inputs(None, (folder,)), {})
    async with ActitoClient(url, Secret(KEY)) as client:
        start = time.perf_counter()
        actual, plan = await plan_against(client, desired)
        planned = time.perf_counter()
        if apply:
            await apply_against(client, plan, actual, allow_destructive=False)
        done = time.perf_counter()
        print(
            f"{label:<28} plan {planned - start:6.2f} s"
            + (f"   apply {done - planned:6.2f} s" if apply else "")
            + f"   {len(plan.executable):4d} changes   {client.request_count:5d} requests"
        )


def main() -> None:
    tables = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    store = Store()
    apply_seed(store, {"entities": [{"name": "B2C"}]})
    with tempfile.TemporaryDirectory() as tmp, running_server(
        create_app(store, api_keys=[KEY])
    ) as url:
        folder = Path(tmp)
        write_manifests(folder, tables, extra=False)
        asyncio.run(timed(f"apply {tables} new tables", url, folder, apply=True))
        asyncio.run(timed("plan, nothing to change", url, folder, apply=False))
        write_manifests(folder, tables, extra=True)
        asyncio.run(timed("plan + apply, 1 attr each", url, folder, apply=True))
    store.close()


if __name__ == "__main__":
    main()
