"""Entities: the data partitions of a licence. Read-only through the API (actito-api.md §2).

A manifest names its entity with `entity:`; it must exist live. Entities are created in the
ACTITO UI only, so a missing one is an error that names the entities that do exist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from actito_iac.errors import Diagnostic, Severity, SourceLocation
from actito_iac.suggest import known_names
from actito_iac.vocabulary import Capabilities, Source, op

CAPABILITIES = Capabilities(
    list=op(Source.DOC, "GET /entities/v5/entities"),
    get=op(Source.NONE),
    create=op(Source.NONE, "UI only"),
    update=op(Source.NONE, "UI only"),
    delete=op(Source.NONE, "UI only"),
)

ENTITIES_PATH = "/entities/v5/entities"
ENTITIES_KEY = "entities"


def missing_entities(
    wanted: Mapping[str, Sequence[SourceLocation]], live: Sequence[str]
) -> list[Diagnostic]:
    """One diagnostic per manifest that names an entity the licence does not have, with the
    closest existing name and the others."""
    return [
        Diagnostic(
            Severity.ERROR,
            f"entity {name!r} does not exist in the licence"
            + known_names(name, live, "existing entities"),
            location,
            "entity",
        )
        for name, locations in sorted(wanted.items())
        if name not in live
        for location in locations
    ]
