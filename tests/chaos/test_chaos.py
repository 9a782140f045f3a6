"""Chaos: apply a medium licence (the retail example, every kind it holds, and generated tables)
under injected faults — 5xx, 429 with Retry-After, an expired token, connections reset before
or after the server did the work — while someone edits the licence in the UI.

For each fixed seed: after the faulty rounds, one apply without faults converges (the next plan
is empty), nothing exists twice, the rows and the UI's edit are still there, and no round ever
ends in anything but a result or a clean error.
"""

from __future__ import annotations

import random
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from actito_iac.api.client import ActitoClient
from actito_iac.emulator.seed import apply_seed
from actito_iac.emulator.structures.tables import CUSTOM, Structures
from actito_iac.errors import ActitoIacError
from actito_iac.kinds.registry import KINDS
from actito_iac.live import read_objects
from actito_iac.manifest.loader import load
from actito_iac.plan.model import Action
from actito_iac.secrets import Secret
from actito_iac.session import apply_against, plan_against

from ..conftest import API_KEY, EXAMPLE_SECRETS

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).parents[2]
SEEDS = (11, 23, 37, 41, 59, 73)
FAULTY_ROUNDS = (0.2, 0.12, 0.06)
"""Fault rate per request in each faulty round: the later rounds retry what failed."""
GENERATED = 12
"""Custom tables added to the example: each links to Customers and to Stores."""
LAST_VISITS = f"Visits{GENERATED - 1:02d}"
"""Updated last: the UI edits it while earlier changes of the apply are in flight."""
REGION = {"name": "region", "valueType": "STRING"}
"""The attribute both the manifests and a person in the UI add to Stores."""
BOUND = 60
"""Seconds a seed may take (it takes under a second): a retry loop that never ends, or a wait
for a Retry-After, fails the test instead of hanging the suite. Only waits that yield to the
event loop are cut short — every call and every sleep of the client does."""


class Chaos(httpx.AsyncBaseTransport):
    """The emulator in-process, with faults drawn from `rng`, and one UI edit racing a write."""

    def __init__(self, app: Any, rng: random.Random, rate: float, race: int | None) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.app, self.rng, self.rate = app, rng, rate
        self.race = race
        """Which write (0-based) the UI edit lands after; None: no edit this round."""
        self.writes = 0
        self.raced = False
        self.faults: Counter[str] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        fault = self._draw(request)
        if fault == "503":
            return httpx.Response(503, json={"message": "unavailable"})
        if fault == "429":
            return httpx.Response(429, headers={"Retry-After": "1"}, json={"message": "busy"})
        if fault == "expired":
            return httpx.Response(401, json={"message": "token expired"})
        if fault == "reset-before":
            raise httpx.ReadError("connection reset by peer", request=request)
        response = await self.inner.handle_async_request(request)
        await response.aread()
        if request.method != "GET":
            await self._maybe_race()
        if fault == "reset-after":
            raise httpx.ReadError("connection reset by peer", request=request)
        if fault == "500-after":
            return httpx.Response(500, json={"message": "internal error"})
        return response

    def _draw(self, request: httpx.Request) -> str:
        write = request.method != "GET"
        # Reads meet the faults a retry gets past (a read that still fails refuses to plan,
        # which is right but ends the round); writes meet every fault, at twice the rate.
        if self.rng.random() >= (self.rate if write else self.rate / 2):
            return ""
        choices = ["503", "429", "reset-before"]
        if write:
            choices += ["reset-after", "500-after"]
        if request.headers.get("authorization", "").startswith("Bearer "):
            choices.append("expired")
        fault = self.rng.choice(choices)
        self.faults[f"{fault} on a {'write' if write else 'read'}"] += 1
        return fault

    async def _maybe_race(self) -> None:
        if self.race is None or self.writes != self.race:
            self.writes += 1
            return
        self.writes += 1
        self.raced = True
        ui_edit(self.app, LAST_VISITS, "storeId")


def ui_edit(app: Any, table: str, attribute: str, *, add: dict[str, Any] | None = None) -> None:
    """What a person does in the ACTITO UI: a setting only the UI makes (the tool never
    manages it, so an apply must keep it) on one attribute, and maybe an attribute added."""
    structures = Structures(app.state.emulator.store)
    stored = structures.find("B2C", CUSTOM, table)
    assert stored is not None
    changed = {k: v for k, v in stored.items() if k != "id"}
    changed["attributes"] = [
        {**a, "uiOnlySetting": "set in the UI"} if a["name"] == attribute else a
        for a in stored["attributes"]
    ]
    if add is not None and add["name"] not in {a["name"] for a in stored["attributes"]}:
        changed["attributes"].append(add)
    structures.change("B2C", CUSTOM, stored, changed)


def visits(with_note: bool) -> list[str]:
    tables = ["entity: B2C", "customTables:"]
    for n in range(GENERATED):
        tables += [
            f"  - name: Visits{n:02d}",
            "    primaryKey: visitId",
            "    attributes:",
            "      - {name: visitId, valueType: STRING, mandatory: true, unique: true}",
            "      - {name: customerId, valueType: LONG, mandatory: true, indexed: true}",
            "      - {name: storeId, valueType: LONG}",
            *(["      - {name: note, valueType: STRING}"] if with_note else []),
            "    links:",
            "      - {name: visit-customer, attribute: customerId, profileTable: Customers}",
            "      - {name: visit-store, attribute: storeId, customTable: Stores, "
            "onDelete: SET_NULL}",
        ]
    return tables


def baseline(folder: Path) -> Path:
    """The retail example and the generated tables, as they stand before the change."""
    shutil.copytree(ROOT / "examples" / "manifests", folder)
    (folder / "b2c" / "visits.yaml").write_text("\n".join(visits(False)) + "\n", "utf-8")
    return folder


def medium_licence(folder: Path) -> Path:
    """The change being applied: Stores gains `region`, every generated table `note`, and
    subscriptions are added (they have no name: one created twice would be a second one)."""
    shutil.copytree(ROOT / "examples" / "manifests", folder)
    stores = folder / "b2c" / "stores.yaml"
    text = stores.read_text(encoding="utf-8")
    region = "      - {name: region, valueType: STRING}\n\n  - name: LoyaltyEvents"
    stores.write_text(text.replace("\n  - name: LoyaltyEvents", region, 1), encoding="utf-8")
    lines = [*visits(True), "webhooks:"]
    for n in range(0, GENERATED, 3):
        lines += [
            f"  - {{customTable: Visits{n:02d}, eventType: CREATE, "
            f"targetUrl: 'https://bi.example.com/visits/{n}'}}"
        ]
    (folder / "b2c" / "visits.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


ROWS = {
    "profiles": [
        {"entity": "B2C", "table": "Customers",
         "rows": [{"emailAddress": f"c{n}@example.com", "customerId": n} for n in range(5)]},
    ],
    "records": [
        {"entity": "B2C", "table": "Stores",
         "rows": [{"storeId": n, "storeName": f"Store {n}"} for n in range(3)]},
    ],
}  # fmt: skip


def client_for(transport: httpx.AsyncBaseTransport) -> ActitoClient:
    async def no_wait(seconds: float) -> None:
        return None

    return ActitoClient("http://127.0.0.1", Secret(API_KEY), transport=transport, sleep=no_wait)


def identities(objects: Any) -> Counter[str]:
    return Counter(str(address) for address in objects)


@pytest.mark.parametrize("seed", SEEDS)
async def test_a_faulty_apply_converges_and_loses_nothing(
    seed: int, licence: Any, tmp_path: Path
) -> None:
    with anyio.fail_after(BOUND):
        await faulty_apply(seed, licence, tmp_path)


async def faulty_apply(seed: int, licence: Any, tmp_path: Path) -> None:
    rng = random.Random(seed)
    licence.seed(ROOT / "examples" / "emulator-seed.yaml")
    environ = dict(EXAMPLE_SECRETS)
    async with client_for(httpx.ASGITransport(app=licence.app)) as calm:
        start = load([baseline(tmp_path / "before")], environ)
        actual, plan = await plan_against(calm, start)
        assert (await apply_against(calm, plan, actual, allow_destructive=False)).ok
    apply_seed(licence.store, ROWS)
    rows_before = licence.store.dump()["rows"]
    unmanaged_before = [
        t for t in licence.store.dump()["objects"]["B2C"]["customTable"]
        if t["name"] == "LegacyCoupons"
    ]  # fmt: skip

    desired = load([medium_licence(tmp_path / "after")], environ)
    injected: Counter[str] = Counter()
    failed_writes, raced = 0, False
    for number, rate in enumerate(FAULTY_ROUNDS):
        chaos = Chaos(licence.app, rng, rate, rng.randrange(3) if number == 0 else None)
        async with client_for(chaos) as client:
            try:
                actual, plan = await plan_against(client, desired)
                if number == 0:  # while the apply waits at its prompt
                    ui_edit(licence.app, "Stores", "city", add=REGION)
                result = await apply_against(client, plan, actual, allow_destructive=False)
                failed_writes += len(result.failed)
            except ActitoIacError:
                pass  # a read that failed under faults refuses to plan: the next round retries
        injected += chaos.faults
        raced = raced or chaos.raced

    async with client_for(httpx.ASGITransport(app=licence.app)) as calm:
        actual, plan = await plan_against(calm, desired)
        result = await apply_against(calm, plan, actual, allow_destructive=False)
        assert result.ok, result.failed
        _, left = await plan_against(calm, desired)
        # What only the UI can do (the scenarios and the form) is left to a person: then none.
        assert {c.address.kind for c in left.pending} <= {"scenario", "form"}, "did not converge"
        assert {c.action for c in left.pending} <= {Action.MANUAL}
        licence.design_examples_in_ui()
        _, again = await plan_against(calm, desired)
        assert [str(c.address) for c in again.pending] == [], "did not converge"
        objects = await read_objects(calm, ["B2C"], KINDS)
    twice = [name for name, count in identities(objects).items() if count > 1]
    assert twice == [], f"created twice: {twice}"
    assert not [a for a in objects if a.name.endswith("#2")], "a second object of one identity"
    assert licence.store.dump()["rows"] == rows_before, "rows were lost"
    stored = licence.store.dump()["objects"]["B2C"]["customTable"]
    assert [t for t in stored if t["name"] == "LegacyCoupons"] == unmanaged_before
    (stores,) = [t for t in stored if t["name"] == "Stores"]
    assert [a["name"] for a in stores["attributes"]].count("region") == 1
    for table, attribute in (("Stores", "city"), (LAST_VISITS, "storeId")):
        (edited,) = [t for t in stored if t["name"] == table]
        (kept,) = [a for a in edited["attributes"] if a["name"] == attribute]
        assert kept.get("uiOnlySetting") == "set in the UI", f"the UI's edit of {table} was lost"
    # Without these the run would have proved nothing: faults hit writes, some writes failed,
    # and the UI edit raced the apply.
    assert sum(n for f, n in injected.items() if f.endswith("write")) > 0, injected
    assert failed_writes > 0, injected
    assert raced
