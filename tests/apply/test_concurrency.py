"""Apply at the API's bound: independent changes run together, never more than the client's
cap of requests in flight, a change waits for those it depends on, and outcomes are reported
in plan order whatever order they end in. Reading the licence is one round."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from actito_iac.api.client import ActitoClient
from actito_iac.apply import apply_plan
from actito_iac.apply_log import ApplyLog
from actito_iac.apply_result import Outcome, Status
from actito_iac.emulator.app import create_app
from actito_iac.emulator.seed import apply_seed
from actito_iac.emulator.store import Store
from actito_iac.manifest.loader import load
from actito_iac.plan.model import Change
from actito_iac.secrets import Secret
from actito_iac.session import plan_against

from ..conftest import API_KEY

pytestmark = pytest.mark.anyio

CREATE = "/custom-table-structure/v5/entities/B2C/custom-tables"


def table(name: str, link_to: str | None = None) -> str:
    lines = [
        f"  - name: {name}",
        "    primaryKey: k",
        "    attributes:",
        "      - {name: k, valueType: STRING, mandatory: true, unique: true}",
    ]
    if link_to:
        lines += [
            "      - {name: ref, valueType: STRING}",
            f"    links: [{{name: to-{link_to.lower()}, attribute: ref, customTable: {link_to},"
            " targetAttribute: k}]",
        ]
    return "\n".join(lines) + "\n"


def manifests(folder: Path, tables: str) -> Path:
    (folder / "m.yaml").write_text("entity: B2C\ncustomTables:\n" + tables, encoding="utf-8")
    return folder / "m.yaml"


class Watched(httpx.AsyncBaseTransport):
    """The emulator in-process, counting requests in flight and recording when creates of
    each table start and end."""

    def __init__(self, latency: float = 0.02) -> None:
        self.store = Store()
        apply_seed(self.store, {"entities": [{"name": "B2C"}]})
        app = create_app(self.store, api_keys=[API_KEY], latency=latency)
        self.inner = httpx.ASGITransport(app=app)
        self.in_flight = self.peak = 0
        self.events: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        name = ""
        if request.method == "POST" and request.url.path == CREATE:
            name = httpx.Response(200, content=request.content).json()["name"]
            self.events.append(("start", name))
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            return await self.inner.handle_async_request(request)
        finally:
            self.in_flight -= 1
            if name:
                self.events.append(("end", name))

    def client(self) -> ActitoClient:
        return ActitoClient("http://127.0.0.1", Secret(API_KEY), transport=self)


async def test_independent_creates_run_five_at_a_time_and_report_in_plan_order(
    tmp_path: Path,
) -> None:
    watched = Watched()
    names = [f"T{i:02d}" for i in range(12)]
    desired = load([manifests(tmp_path, "".join(table(n) for n in names))], {})
    reported: list[Outcome] = []
    async with watched.client() as client:
        actual, plan = await plan_against(client, desired)
        result = await apply_plan(plan, actual, client, report=reported.append)
    assert watched.peak == 5  # the cap, reached, never passed
    starts = [n for what, n in watched.events if what == "start"]
    first_end = watched.events.index(next(e for e in watched.events if e[0] == "end"))
    assert len([e for e in watched.events[:first_end] if e[0] == "start"]) == 5
    assert sorted(starts) == names
    assert [o.address.name for o in reported] == [c.address.name for c in plan.executable]
    assert [o.address.name for o in result.outcomes] == names
    assert all(o.status is Status.DONE for o in result.outcomes)
    assert {t["name"] for t in watched.store.list_custom_tables("B2C")} == set(names)


async def test_a_change_waits_for_the_object_it_links_to(tmp_path: Path) -> None:
    watched = Watched()
    tables = table("Orders", link_to="Stores") + table("Stores") + table("Other")
    desired = load([manifests(tmp_path, tables)], {})
    async with watched.client() as client:
        actual, plan = await plan_against(client, desired)
        result = await apply_plan(plan, actual, client)
    events = watched.events
    assert events.index(("end", "Stores")) < events.index(("start", "Orders"))
    assert events.index(("start", "Other")) < events.index(("end", "Stores"))  # not held up
    assert all(o.status is Status.DONE for o in result.outcomes)


async def test_a_failed_create_skips_what_links_to_it_and_nothing_else(tmp_path: Path) -> None:
    watched = Watched()
    tables = table("Orders", link_to="Stores") + table("Stores") + table("Other")
    desired = load([manifests(tmp_path, tables)], {})
    async with watched.client() as client:
        actual, plan = await plan_against(client, desired)
        watched.store.insert_custom_table(  # someone takes the name meanwhile: the create fails
            "B2C",
            {"name": "Stores", "type": "INTERACTIONS", "primaryKeyAttribute": "k",
             "attributes": [{"name": "k", "valueType": "STRING", "mandatory": True,
                             "unique": True, "indexed": False}]},
        )  # fmt: skip
        result = await apply_plan(plan, actual, client)
    by_name = {o.address.name: o for o in result.outcomes}
    assert by_name["Stores"].status is Status.FAILED
    assert by_name["Orders"].status is Status.SKIPPED
    assert "Stores" in by_name["Orders"].message
    assert by_name["Other"].status is Status.DONE


async def test_the_log_knows_what_is_in_flight_when_interrupted(tmp_path: Path) -> None:
    """Changes end out of order: the log names each one as it is, not by position."""
    watched = Watched(latency=0.0)
    names = [f"T{i}" for i in range(7)]
    desired = load([manifests(tmp_path, "".join(table(n) for n in names))], {})
    async with watched.client() as client:
        _, plan = await plan_against(client, desired)
    log = ApplyLog(plan.executable)
    changes: dict[str, Change] = {c.address.name: c for c in plan.executable}
    for name in ("T0", "T1", "T2", "T3", "T4"):
        log.start(changes[name])
    log.finish(Outcome(changes["T3"].address, changes["T3"].action, Status.DONE))
    log.start(changes["T5"])
    log.finish(Outcome(changes["T1"].address, changes["T1"].action, Status.FAILED, "no"))
    stopped = log.interrupted()
    assert stopped.changed == ["create B2C/customTable/T3"]
    assert stopped.not_changed == ["create B2C/customTable/T1"]
    assert stopped.in_flight == [f"create B2C/customTable/{n}" for n in ("T0", "T2", "T4", "T5")]
    assert stopped.not_started == ["create B2C/customTable/T6"]


async def test_the_licence_is_read_in_one_round(tmp_path: Path) -> None:
    """The entity list does not hold the lists back: the kinds' lists are asked for while the
    entity list is still on its way."""
    watched = Watched()
    desired = load([manifests(tmp_path, table("T"))], {})
    events: list[tuple[str, str]] = []
    inner = watched.handle_async_request

    async def recorded(request: httpx.Request) -> httpx.Response:
        events.append(("start", request.url.path))
        try:
            return await inner(request)
        finally:
            events.append(("end", request.url.path))

    watched.handle_async_request = recorded  # type: ignore[method-assign]
    async with watched.client() as client:
        await plan_against(client, desired)
    entities = events.index(("end", "/entities/v5/entities"))
    lists_started = [p for what, p in events[:entities] if what == "start" and "B2C" in p]
    assert len(lists_started) >= 4  # every slot but the entity list's, at once
