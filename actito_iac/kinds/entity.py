"""Entities: the data partitions of a licence. Read-only through the API (actito-api.md §2).

A manifest names its entity with `entity:`; it must exist live. Entities are created in the
ACTITO UI only, so a missing one is an error that names the entities that do exist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from actito_iac.api.answer import last_answer, reading
from actito_iac.errors import Diagnostic, Severity, SourceLocation
from actito_iac.kinds.base import Capabilities, Source, op
from actito_iac.kinds.listing import whole_list

if TYPE_CHECKING:
    from actito_iac.api.client import ActitoClient

CAPABILITIES = Capabilities(
    list=op(Source.DOC, "GET /entities/v5/entities"),
    get=op(Source.NONE),
    create=op(Source.NONE, "UI only"),
    update=op(Source.NONE, "UI only"),
    delete=op(Source.NONE, "UI only"),
)

ENTITIES_PATH = "/entities/v5/entities"


async def read_entity_names(client: ActitoClient) -> list[str]:
    entities = whole_list(await client.get(ENTITIES_PATH), "entities", path=ENTITIES_PATH)
    names = []
    for index, entity in enumerate(entities, start=1):
        with reading(last_answer(), f"item {index} of the list"):
            name = entity["name"]
            if not isinstance(name, str) or not name or not name.isprintable():
                raise ValueError(f"its name is {name!r}, not printable text")
        names.append(name)
    return sorted(names)


def missing_entities(
    wanted: Mapping[str, Sequence[SourceLocation]], live: Sequence[str]
) -> list[Diagnostic]:
    """One diagnostic per manifest that names an entity the licence does not have."""
    existing = ", ".join(live) if live else "none"
    return [
        Diagnostic(
            Severity.ERROR,
            f"entity {name!r} does not exist in the licence (existing entities: {existing})",
            location,
            "entity",
        )
        for name, locations in sorted(wanted.items())
        if name not in live
        for location in locations
    ]
