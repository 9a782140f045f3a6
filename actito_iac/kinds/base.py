"""What every kind module provides, and the vocabulary they share.

A kind module holds everything about one kind of ACTITO object: its manifest spec (a pydantic
model), its capabilities as data (what the API can do, and how sure we are), semantic checks,
the canonical form both sides are compared in, the rules that classify a field change, live
reading and the payloads it writes. The planner and the executor only talk to this protocol.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol

from actito_iac.vocabulary import (
    JSON,
    Address,
    Capabilities,
    Issue,
    Path,
    SpecModel,
    Verdict,
)

if TYPE_CHECKING:
    from actito_iac.api.client import ActitoClient


@dataclass(frozen=True)
class LiveObject:
    """One object read from the licence: its server id, its spec, and the raw payload."""

    id: str
    spec: SpecModel
    payload: Mapping[str, JSON]


NameLookup = Callable[[str, str], str | None]
"""(kind, server id) -> technical name of that object in the same entity, if it exists."""

IdLookup = Callable[[str, str], str]
"""(kind, technical name) -> server id of that object in the same entity: live objects and
those created earlier in the same apply. Raises KeyError for an object that exists nowhere."""


class Kind(Protocol):
    """One kind of ACTITO object. Pure methods first; the three async ones do the I/O."""

    name: ClassVar[str]
    """Singular kind name used in addresses: `customTable`."""
    section: ClassVar[str]
    """Manifest key holding a list of specs: `customTables`."""
    spec_type: ClassVar[type[SpecModel]]
    capabilities: ClassVar[Capabilities]
    declared_only: ClassVar[frozenset[str]]
    """Canonical keys compared only where the manifest declares them (see common.DISPLAY_TEXTS)."""

    def key(self, spec: SpecModel) -> str:
        """The object's identity within its entity and kind: the name in its address."""
        ...

    def check(self, spec: SpecModel) -> list[Issue]:
        """Problems inside one spec that its model cannot express (unknown attribute names…)."""
        ...

    def canonical(self, spec: SpecModel) -> dict[str, JSON]:
        """The normalised form both sides are compared and shown in."""
        ...

    def judge(self, path: Path, before: JSON, after: JSON, table: str = "") -> Verdict:
        """Risk and feasibility of one field change of the object named `table`."""
        ...

    def renames(self, spec: SpecModel) -> list[tuple[Path, Path]]:
        """Rename intents inside the object, as (new path, old path) in canonical form."""
        ...

    def references(self, entity: str, spec: SpecModel) -> list[Address]:
        """Objects this one needs to exist first (linked tables, …)."""
        ...

    def identify(self, payload: Mapping[str, JSON]) -> tuple[str, str]:
        """(server id, technical name) of a live payload."""
        ...

    def spec_from_payload(self, payload: Mapping[str, JSON], names: NameLookup) -> SpecModel:
        """The live object as a spec; references to other objects become their names."""
        ...

    def payload(
        self, spec: SpecModel, ids: IdLookup, live: Mapping[str, JSON] | None
    ) -> dict[str, JSON]:
        """The body to send: a create when `live` is None, else a change built on `live`."""
        ...

    async def fetch(self, client: ActitoClient, entity: str) -> list[dict[str, JSON]]: ...

    async def fetch_rows(
        self, client: ActitoClient, entity: str, live: LiveObject, limit: int
    ) -> tuple[list[dict[str, JSON]], bool]:
        """At most `limit` data rows of the object, as {attribute: value}, to quantify risk,
        and whether the answer says more rows exist.

        Raise an ApiError when the API refuses or answers in a shape that cannot be read.
        """
        ...

    async def read(
        self, client: ActitoClient, entity: str, object_id: str
    ) -> dict[str, JSON] | None:
        """The object's live payload as it is now (the same shape `fetch` lists), or None
        when it no longer exists. The executor re-reads before each write (lost updates)."""
        ...

    async def create(self, client: ActitoClient, entity: str, body: dict[str, JSON]) -> str: ...

    async def update(
        self, client: ActitoClient, entity: str, object_id: str, body: dict[str, JSON]
    ) -> None: ...
