"""The live side: `read_actual` reads, complete or failing, what the plan will compare against.

It is the only I/O before planning. It reads only the entities the manifests name, checks they
exist (a clear error listing the existing ones otherwise), then reads every kind of every
entity concurrently; the client caps requests in flight, so this fan-out is safe.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from actito_iac.address import Address
from actito_iac.errors import LiveStateError
from actito_iac.kinds import KINDS
from actito_iac.kinds.base import Kind, LiveObject
from actito_iac.kinds.entity import missing_entities, read_entity_names

if TYPE_CHECKING:
    from actito_iac.api.client import ActitoClient
    from actito_iac.manifest.desired import Desired


@dataclass(frozen=True)
class Actual:
    entities: tuple[str, ...]
    """Every entity of the licence."""
    objects: Mapping[Address, LiveObject] = field(default_factory=dict)
    """Objects of the entities that were read (those the manifests name)."""


async def read_actual(
    client: ActitoClient, desired: Desired, kinds: Sequence[Kind] = KINDS
) -> Actual:
    entities = await read_entity_names(client)
    problems = missing_entities(desired.entities, entities)
    if problems:
        raise LiveStateError(problems)
    wanted = sorted(desired.entities)
    jobs = [(entity, kind) for entity in wanted for kind in kinds]
    results = await asyncio.gather(*(kind.read(client, entity) for entity, kind in jobs))
    objects: dict[Address, LiveObject] = {}
    for (entity, kind), live in zip(jobs, results, strict=True):
        for obj in live:
            objects[Address(entity, kind.name, obj.spec.name)] = obj
    return Actual(tuple(entities), objects)
