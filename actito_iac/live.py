"""The live side: `read_actual` reads, complete or failing, what the plan will compare against.

It is the only I/O before planning. It reads only the entities the manifests name, checks they
exist (a clear error listing the existing ones otherwise), then fetches every kind of every
entity concurrently — the client caps requests in flight, so this fan-out is safe — and only
then turns payloads into specs, because a link names another table by id and the id's name is
known once every table of the entity has been fetched.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from actito_iac.address import Address
from actito_iac.api.answer import (
    READ_ERRORS,
    Answered,
    last_answer,
    plain_json,
    reading,
    unreadable,
)
from actito_iac.api.errors import ApiError
from actito_iac.errors import LiveStateError
from actito_iac.kinds import KINDS
from actito_iac.kinds.base import JSON, Kind, LiveObject
from actito_iac.kinds.entity import missing_entities, read_entity_names
from actito_iac.plan.impact import Sample, needs_data
from actito_iac.plan.model import Plan
from actito_iac.progress import SILENT, Progress, Stage

if TYPE_CHECKING:
    from actito_iac.api.client import ActitoClient
    from actito_iac.manifest.desired import Desired


@dataclass(frozen=True)
class Actual:
    entities: tuple[str, ...]
    """Every entity of the licence."""
    objects: Mapping[Address, LiveObject] = field(default_factory=dict)
    """Objects of the entities that were read (those the manifests name)."""

    def id_of(self, address: Address) -> str | None:
        live = self.objects.get(address)
        return live.id if live else None


async def read_actual(
    client: ActitoClient,
    desired: Desired,
    kinds: Sequence[Kind] = KINDS,
    *,
    progress: Progress = SILENT,
) -> Actual:
    wanted = sorted(desired.entities)
    progress.start(Stage.READ, 1 + len(wanted) * len(kinds))  # the entity list, then each kind
    entities = await read_entity_names(client)
    progress.advance(Stage.READ)
    problems = missing_entities(desired.entities, entities)
    if problems:
        raise LiveStateError(problems)
    objects = await read_objects(client, wanted, kinds, progress=progress)
    progress.finish(Stage.READ, len(objects))
    return Actual(tuple(entities), objects)


async def read_objects(
    client: ActitoClient,
    wanted: Sequence[str],
    kinds: Sequence[Kind] = KINDS,
    *,
    progress: Progress = SILENT,
) -> dict[Address, LiveObject]:
    """Every object of every kind of the `wanted` entities."""
    jobs = [(entity, kind) for entity in wanted for kind in kinds]

    async def fetch(entity: str, kind: Kind) -> tuple[list[dict[str, JSON]], Answered | None]:
        found = await kind.fetch(client, entity)
        progress.advance(Stage.READ)
        return found, last_answer()  # this task's last call: the one that gave the list

    fetched = await asyncio.gather(*(fetch(entity, kind) for entity, kind in jobs))
    objects: dict[Address, LiveObject] = {}
    for entity in wanted:
        payloads = [
            _Item(kind, payload, f"item {index} of the list", answered)
            for (where, kind), (found, answered) in zip(jobs, fetched, strict=True)
            if where == entity
            for index, payload in enumerate(found, start=1)
        ]
        objects.update(_to_live(entity, payloads))
    return objects


@dataclass(frozen=True)
class _Item:
    kind: Kind
    payload: dict[str, JSON]
    what: str
    answered: Answered | None
    """The call whose answer held it: named when it cannot be read."""


def _to_live(entity: str, items: list[_Item]) -> dict[Address, LiveObject]:
    names: dict[tuple[str, str], str] = {}
    for item in items:
        with reading(item.answered, item.what):
            object_id, name = item.kind.identify(item.payload)
        names[(item.kind.name, object_id)] = name

    def lookup(kind_name: str, object_id: str) -> str | None:
        return names.get((kind_name, object_id))

    out: dict[Address, LiveObject] = {}
    for item in items:
        kind = item.kind
        with reading(item.answered, item.what):
            object_id, name = kind.identify(item.payload)
            spec = kind.spec_from_payload(item.payload, lookup)
            # Specs read from the licence are built without validation (a newer value must not
            # fail the read), so check here what every later stage relies on.
            if not isinstance(spec.name, str) or not spec.name or spec.name != name:
                raise ValueError(f"its name is {item.payload.get('name')!r}, not text")
            if not name.isprintable():  # control characters would drive the terminal
                raise ValueError(f"its name {name!r} holds characters that cannot be printed")
            plain_json(kind.canonical(spec))  # the form the planner compares and prints
        out[Address(entity, kind.name, name)] = LiveObject(object_id, spec, item.payload)
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
        {c.address for c in plan.changes if needs_data(c) and c.address in actual.objects}
    )
    if limit <= 0 or not wanted:
        return {}

    async def sample(address: Address) -> Sample:
        kind = by_name[address.kind]
        try:
            rows, more = await kind.fetch_rows(
                client, address.entity, actual.objects[address], limit
            )
        except READ_ERRORS as exc:  # rows in a shape the kind module did not expect
            refused = unreadable(last_answer(), "the rows", exc)
            return Sample(unreadable=f"rows not readable: {refused.message}")
        except ApiError as refused:
            refusal = refused.status is not None and refused.status >= 400
            answer = f"{refused.status} {refused.reason}" if refusal else refused.message
            return Sample(unreadable=f"rows not readable: {answer}")
        finally:
            progress.advance(Stage.SAMPLE)
        # [INFER] an answer shorter than the limit, saying no more, holds the whole table.
        return Sample(tuple(rows), complete=len(rows) < limit and not more)

    progress.start(Stage.SAMPLE, len(wanted))
    samples = await asyncio.gather(*(sample(a) for a in wanted))
    progress.finish(Stage.SAMPLE, len(wanted))
    return dict(zip(wanted, samples, strict=True))
