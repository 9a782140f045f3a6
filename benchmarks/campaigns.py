"""How campaigns scale: many e-mail campaigns with their HTML, and one big HTML change.

Not a test: it prints timings, request counts and sizes. Run with
`.venv/bin/python benchmarks/campaigns.py [CAMPAIGNS]` (default 100). Against the emulator
on a loopback port it times `apply` of CAMPAIGNS new campaigns (each a 20 kB page and an image:
three calls each), a `plan` with nothing to change (each campaign is read whole: four calls),
then a plan and apply after 1,000 lines of one 3 MB page changed — and prints how large the
JSON plan and the Markdown comment are, which the diff's limits keep small.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

from actito_iac.api.client import ActitoClient
from actito_iac.emulator.app import create_app
from actito_iac.emulator.seed import apply_seed
from actito_iac.emulator.server import running_server
from actito_iac.emulator.store import Store
from actito_iac.plan.select import Selection
from actito_iac.render.json_plan import dumps, plan_document
from actito_iac.render.markdown import render_markdown
from actito_iac.secrets import Secret
from actito_iac.session import Inputs, apply_against, load_desired, plan_against

KEY = "benchmark-key"
SEED = {
    "entities": [{"name": "B2C"}],
    "profileTables": [
        {
            "entity": "B2C",
            "definition": {
                "name": "Customers",
                "attributes": [{"type": "EMAIL_ADDRESS", "name": "emailAddress"}],
                "subscriptions": [{"name": "News", "channel": "EMAIL"}],
            },
        }
    ],
}
PAGE = "\n".join(
    f"<p>Paragraph {i} of the newsletter, with some words in it.</p>" for i in range(300)
)
BIG = "\n".join(f"<tr><td>Product {i}</td><td>{i * 3} EUR</td></tr>" for i in range(70_000))


def write(folder: Path, campaigns: int, big: str) -> None:
    lines = ["entity: B2C", "emailCampaigns:"]
    for i in range(campaigns):
        page = folder / f"c{i:04d}" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(big if i == 0 else PAGE, encoding="utf-8")
        (page.parent / "img").mkdir(exist_ok=True)
        (page.parent / "img" / "logo.png").write_bytes(
            b"\x89PNG" + bytes(i % 256 for i in range(2000))
        )
        lines += [
            f"  - name: campaign-{i:04d}",
            "    targetTable: Customers",
            "    from: Acme",
            "    languages: [EN]",
            f"    subject: Issue {i}",
            f"    content: {{html: c{i:04d}/index.html, assets: c{i:04d}/img}}",
        ]
    (folder / "b2c.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


async def timed(label: str, url: str, folder: Path, apply: bool) -> None:
    started = time.perf_counter()
    desired = load_desired(Inputs(None, (folder,)), {})
    loaded = time.perf_counter()
    # Unpaced: the benchmark times the tool's work, not its pacing under ACTITO's rate.
    async with ActitoClient(url, Secret(KEY), calls_per_minute=None) as client:
        actual, plan = await plan_against(client, desired)
        planned = time.perf_counter()
        if apply:
            await apply_against(client, plan, actual, allow_destructive=False)
        done = time.perf_counter()
        document = dumps(plan_document(plan, environment="e", selection=Selection()))
        markdown = render_markdown(plan, environment="e")
        print(
            f"{label:<30} load {loaded - started:5.2f} s   plan {planned - loaded:5.2f} s"
            + (f"   apply {done - planned:5.2f} s" if apply else "")
            + f"   {len(plan.executable):4d} changes   {client.request_count:5d} requests"
            + f"   JSON {len(document) // 1024:,} kB   Markdown {len(markdown) // 1024:,} kB"
        )
        diffs = [d for c in plan.changes for d in c.diffs if c.address.name == "campaign-0000"]
        for diff in diffs:
            print(f"{'':<30} campaign-0000 {diff.dotted}: {diff.counts}")
        json.loads(document)


def main() -> None:
    campaigns = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    store = Store()
    apply_seed(store, SEED)
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_server(create_app(store, api_keys=[KEY])) as url,
    ):
        folder = Path(tmp)
        write(folder, campaigns, PAGE)
        asyncio.run(timed(f"apply {campaigns} new campaigns", url, folder, apply=True))
        asyncio.run(timed("plan, nothing to change", url, folder, apply=False))
        write(folder, campaigns, BIG)
        asyncio.run(timed("a 3 MB page replaces one", url, folder, apply=True))
        changed = BIG.replace("0 EUR</td>", "0 EUR (sale)</td>", 1000)
        write(folder, campaigns, changed)
        asyncio.run(timed("1,000 lines of it change", url, folder, apply=True))
    store.close()


if __name__ == "__main__":
    main()
