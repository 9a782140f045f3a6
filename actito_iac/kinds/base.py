"""What every kind module provides, and the vocabulary they share.

A kind module holds everything about one kind of ACTITO object: its manifest spec (a pydantic
model), its capabilities as data (what the API can do, and how sure we are), semantic checks,
the canonical form both sides are compared in, the rules that classify a field change, live
reading and the payloads it writes. The planner and the executor only talk to this protocol.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from pydantic import BaseModel, ConfigDict

from actito_iac.address import Address

if TYPE_CHECKING:
    from actito_iac.api.client import ActitoClient

JSON = Any
"""A JSON-compatible value (dict/list/str/int/float/bool/None)."""

Path = tuple[str, ...]
"""A field path inside a canonical spec, e.g. ("attributes", "status", "acceptedValues")."""


class Model(BaseModel):
    """Base of every manifest model: unknown keys are errors, no silent type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class SpecModel(Model):
    """A top-level object of a kind section."""

    name: str
    """ACTITO's technical name: the object's identity within its entity and kind."""


class Source(StrEnum):
    """How sure we are that the real API does this (tags of actito-api.md)."""

    DOC = "documented"
    CODE = "seen in client code"
    INFER = "inferred"
    NONE = "not available"


@dataclass(frozen=True)
class Operation:
    supported: bool
    source: Source
    note: str = ""


def op(source: Source, note: str = "") -> Operation:
    return Operation(source is not Source.NONE, source, note)


@dataclass(frozen=True)
class Capabilities:
    list: Operation
    get: Operation
    create: Operation
    update: Operation
    delete: Operation

    def rows(self) -> builtins.list[tuple[str, Operation]]:
        return [
            ("list", self.list),
            ("get", self.get),
            ("create", self.create),
            ("update", self.update),
            ("delete", self.delete),
        ]


class Risk(StrEnum):
    """How a change can hurt live data, least to most."""

    SAFE = "safe"
    MAY_FAIL_ON_DATA = "may-fail-on-data"
    DESTRUCTIVE = "destructive"

    @property
    def rank(self) -> int:
        return list(Risk).index(self)


@dataclass(frozen=True)
class Issue:
    """A semantic problem in one spec; `loc` is relative to the object in its manifest."""

    loc: tuple[str | int, ...]
    message: str


@dataclass(frozen=True)
class Verdict:
    """What a kind says of one field change: its risk, and whether the API can make it.

    `blocked`: ACTITO forbids the change; the text says why and the way around.
    `manual`: ACTITO allows it, but only in its UI; the text says exactly where.
    """

    risk: Risk
    blocked: str = ""
    manual: str = ""


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
    live_optional: ClassVar[frozenset[str]]
    """Top-level canonical keys a live answer may leave out, meaning "not known from this
    answer": where it does, they are not compared, and the plan says so."""

    def check(self, spec: SpecModel) -> list[Issue]:
        """Problems inside one spec that its model cannot express (unknown attribute names…)."""
        ...

    def refuse_create(self, spec: SpecModel) -> str:
        """Why this spec cannot be created as it stands (the plan blocks it), or empty."""
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
