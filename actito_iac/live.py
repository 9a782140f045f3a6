"""The live side: `read_actual` reads, complete or failing, what the plan will compare against.

It is the only I/O before planning. It reads only the entities the manifests name: the entity
list and every kind of those entities in one concurrent round — the client caps requests in
flight, so this fan-out is safe — and a named entity the licence lacks is a clear error listing
the existing ones. Only then are payloads turned into specs, because a link names another
table by id and the id's name is known once every table of the entity has been fetched.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from actito_iac.actual import Actual, LiveObject, Sample
from actito_iac.api.answer import (
    READ_ERRORS,
    Answered,
    last_answer,
    plain_json,
    reading,
    unreadable,
)
from actito_iac.api.errors import ApiError
from actito_iac.api.listing import whole_list
from actito_iac.api.resource import Resource, read_rows
from actito_iac.errors import LiveStateError
from actito_iac.heap import collector_paused
from actito_iac.kinds.base import Kind
from actito_iac.kinds.endpoints import LISTED_UNDER
from actito_iac.kinds.entity import ENTITIES_KEY, ENTITIES_PATH, missing_entities
from actito_iac.kinds.registry import KINDS
from actito_iac.plan.impact import needs_data
from actito_iac.plan.model import Plan
from actito_iac.progress import SILENT, Progress, Stage
from actito_iac.vocabulary import JSON, Address

if TYPE_CHECKING:
    from actito_iac.api.client import ActitoClient
    from actito_iac.manifest.desired import Desired


async def read_entity_names(client: ActitoClient) -> list[str]:
    answer = await client.get(ENTITIES_PATH)
    entities = whole_list(answer, ENTITIES_KEY, path=ENTITIES_PATH)
    names = []
    for index, entity in enumerate(entities, start=1):
        with reading(last_answer(), f"item {index} of the list"):
            name = entity["name"]
            if not isinstance(name, str) or not name or not name.isprintable():
                raise ValueError(f"its name is {name!r}, not printable text")
        names.append(name)
    return sorted(names)


async def read_actual(
    client: ActitoClient,
    desired: Desired,
    kinds: Sequence[Kind] = KINDS,
    *,
    progress: Progress = SILENT,
) -> Actual:
    """The entity list and every kind of the entities the manifests name, read in one round:
    the lists do not wait for the entity list. A named entity the licence lacks is still
    reported as such (its own lists then fail, and that failure says less)."""
    wanted = sorted(desired.entities)
    progress.start(Stage.READ, 1 + len(wanted) * len(kinds))  # the entity list, then each kind

    async def entity_names() -> list[str]:
        names = await read_entity_names(client)
        progress.advance(Stage.READ)
        return names

    listing = asyncio.ensure_future(entity_names())
    fetching = asyncio.ensure_future(_fetch_all(client, wanted, kinds, progress))
    try:
        entities = await listing
    except BaseException:
        fetching.cancel()
        await asyncio.gather(fetching, return_exceptions=True)
        raise
    problems = missing_entities(desired.entities, entities)
    if problems:
        fetching.cancel()
        await asyncio.gather(fetching, return_exceptions=True)
        raise LiveStateError(problems)
    objects = _objects(wanted, kinds, await fetching)
    progress.finish(Stage.READ, len(objects))
    return Actual(tuple(entities), objects)


async def read_objects(
    client: ActitoClient,
    wanted: Sequence[str],
    kinds: Sequence[Kind] = KINDS,
    *,
    progress: Progress = SILENT,
) -> dict[Address, LiveObject]:
    """Every object of every kind of the `wanted` entities (the READ stage of `progress`)."""
    progress.start(Stage.READ, len(wanted) * len(kinds))
    objects = _objects(wanted, kinds, await _fetch_all(client, wanted, kinds, progress))
    progress.finish(Stage.READ, len(objects))
    return objects


_Fetched = dict[tuple[str, str], list["_Item"]]
"""The items listed, by (entity, kind name)."""


async def _fetch_all(
    client: ActitoClient, wanted: Sequence[str], kinds: Sequence[Kind], progress: Progress
) -> _Fetched:
    """Every list of every kind of the `wanted` entities, in one concurrent round.

    A kind listed per object of another (`Endpoints.within`: scenarios per profile table)
    waits only for that kind's list in the same entity, then reads one list per object while
    the other kinds are still being read.
    """
    jobs: dict[tuple[str, str], asyncio.Task[list[_Item]]] = {}

    async def fetch(entity: str, kind: Kind) -> list[_Item]:
        parent = kind.endpoints.within
        if parent is None:
            found = await _read_list(client, kind, entity)
        else:
            names = dict.fromkeys(_names_of(await jobs[(entity, parent)]))  # each read once
            lists = await asyncio.gather(*(_read_list(client, kind, entity, n) for n in names))
            found = [item for items in lists for item in items]
        progress.advance(Stage.READ)
        return found

    for entity in wanted:
        for kind in kinds:
            jobs[(entity, kind.name)] = asyncio.ensure_future(fetch(entity, kind))
    try:
        await asyncio.gather(*jobs.values())
    except BaseException:
        # A failed read (or Ctrl-C) stops the others, and waits for them to stop: none is
        # left running, or failing unheard, after the read has failed.
        for job in jobs.values():
            job.cancel()
        await asyncio.gather(*jobs.values(), return_exceptions=True)
        raise
    return {key: job.result() for key, job in jobs.items()}


def _objects(
    wanted: Sequence[str], kinds: Sequence[Kind], fetched: _Fetched
) -> dict[Address, LiveObject]:
    objects: dict[Address, LiveObject] = {}
    for entity in wanted:
        # Taken out of `fetched`: _to_live lets go of each payload once it is read.
        objects.update(_to_live(entity, [i for k in kinds for i in fetched.pop((entity, k.name))]))
    return objects


async def _read_list(
    client: ActitoClient, kind: Kind, entity: str, within: str = ""
) -> list[_Item]:
    """One list of a kind (each object read whole where the list gives summaries), each item
    with the call that answered it."""
    found = await Resource(client, kind.endpoints).list_all(entity, within)
    answered = last_answer()  # this task's last call: the one that gave the list
    under = f" under {kind.endpoints.within} {within!r}" if within else ""
    return [
        _Item(kind, _listed_under(p, within), f"item {i} of the list{under}", answered)
        for i, p in enumerate(found, start=1)
    ]


def _listed_under(payload: dict[str, JSON], within: str) -> dict[str, JSON]:
    return {**payload, LISTED_UNDER: within} if within else payload


def _names_of(items: list[_Item]) -> list[str]:
    """The technical names of the listed objects a per-object list is read under. One that
    cannot be identified is skipped here: turning the items into objects fails on it anyway,
    naming the call that gave it."""
    names = []
    for item in items:
        try:
            names.append(item.kind.identify(item.payload, lambda kind, object_id: None)[1])
        except (KeyError, TypeError, ValueError):
            continue
    return names


@dataclass(frozen=True)
class _Item:
    kind: Kind
    payload: dict[str, JSON]
    what: str
    answered: Answered | None
    """The call whose answer held it: named when it cannot be read."""


def _to_live(entity: str, items: list[_Item]) -> dict[Address, LiveObject]:
    """Payloads (in registry order) as live objects. Keys first, in that order, so that a kind
    whose key names another object (a webhook's table) finds it; then specs, once every key
    is known (a table may link to a table listed after it). Whatever a kind trips on in a
    payload of an unexpected shape is an error naming the call that answered it. `items` is
    emptied: each payload is let go of once read."""
    with collector_paused():
        return _live_objects(entity, items)


def _live_objects(entity: str, items: list[_Item]) -> dict[Address, LiveObject]:
    names: dict[tuple[str, str], str] = {}

    def lookup(kind_name: str, object_id: str) -> str | None:
        return names.get((kind_name, object_id))

    identified: list[tuple[_Item, str, str]] = []
    for item in items:
        with reading(item.answered, item.what):
            object_id, name = item.kind.identify(item.payload, lookup)
        names[(item.kind.name, object_id)] = name
        identified.append((item, object_id, name))
    # Each payload is let go of as soon as its object is made (a live object keeps it
    # packed): the memory of the answers already read is reused for the specs still to make,
    # instead of holding every answer's dicts and every spec at once (10,000 tables: 60 MiB).
    items.clear()
    identified.reverse()  # taken from the end: in the order listed, and let go of once read
    out: dict[Address, LiveObject] = {}
    while identified:
        item, object_id, name = identified.pop()
        kind = item.kind
        with reading(item.answered, item.what):
            spec = kind.spec_from_payload(item.payload, lookup)
            # Specs read from the licence are built without validation (a newer value must not
            # fail the read), so check here what every later stage relies on.
            if not isinstance(name, str) or not name:
                raise ValueError(f"its name is {item.payload.get('name')!r}, not text")
            if not name.isprintable():  # control characters would drive the terminal
                raise ValueError(f"its name {name!r} holds characters that cannot be printed")
            canonical = kind.canonical(spec)
            plain_json(canonical)  # the form the planner compares and prints
        address = Address(entity, kind.name, name)
        number = 1
        while address in out:
            # Two live objects with one key (two subscriptions for one intent): both are
            # shown, never one silently; the later ones, in the order listed, are numbered.
            number += 1
            address = Address(entity, kind.name, f"{name} #{number}")
        out[address] = LiveObject(object_id, spec, item.payload, canonical)
    return out


async def read_samples(
    client: ActitoClient,
    plan: Plan,
    actual: Actual,
    limit: int,
    kinds: Sequence[Kind] = KINDS,
    *,
    progress: Progress = SILENT,
) -> dict[Address, Sample]:
    """Rows of the tables whose planned changes may fail on data or lose it."""
    by_name = {k.name: k for k in kinds}
    wanted = sorted(
        {
            c.address
            for c in plan.changes
            if needs_data(c, by_name[c.address.kind]) and c.address in actual.objects
        }
    )
    if limit <= 0 or not wanted:
        return {}

    async def sample(address: Address) -> Sample:
        rows_endpoint = by_name[address.kind].rows
        assert rows_endpoint is not None  # needs_data: only kinds that hold rows
        live = actual.objects[address]
        try:
            rows, more = await read_rows(
                client, rows_endpoint, address.entity, live.id, address.name, limit
            )
        except READ_ERRORS as exc:  # rows in a shape the reader did not expect
            refused_read = unreadable(last_answer(), "the rows", exc)
            return Sample(unreadable=f"rows not readable: {refused_read.message}")
        except ApiError as refused:
            refusal = refused.status is not None and refused.status >= 400
            answer = f"{refused.status} {refused.reason}" if refusal else refused.message
            return Sample(unreadable=f"rows not readable: {answer}")
        finally:
            progress.advance(Stage.SAMPLE)
        # [INFER] an answer shorter than the limit, saying no more, holds the whole table.
        complete = len(rows) < limit and not more
        return Sample(tuple(rows), complete=complete, read_at=datetime.now(UTC))

    progress.start(Stage.SAMPLE, len(wanted))
    samples = await asyncio.gather(*(sample(a) for a in wanted))
    progress.finish(Stage.SAMPLE, len(wanted))
    return dict(zip(wanted, samples, strict=True))
