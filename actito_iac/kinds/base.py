"""What every kind module provides, and the vocabulary they share.

A kind module holds everything about one kind of ACTITO object: its manifest spec (a pydantic
model), its capabilities as data (what the API can do, and how sure we are), semantic checks,
the canonical form both sides are compared in, the rules that classify a field change, live
reading and the payloads it writes. The planner and the executor only talk to this protocol.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from actito_iac.address import Address
    from actito_iac.api.client import ActitoClient

JSON = Any
"""A JSON-compatible value (dict/list/str/int/float/bool/None)."""

Path = tuple[str, ...]
"""A field path inside a canonical spec, e.g. ("attributes", "status", "acceptedValues")."""


class SpecModel(BaseModel):
    """Base of every manifest model: unknown keys are errors, no silent type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

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
    """What a kind says of one field change: its risk, and why ACTITO forbids it (if it does)."""

    risk: Risk
    blocked: str = ""


@dataclass(frozen=True)
class LiveObject:
    """One object read from the licence: its server id, its spec, and the raw payload."""

    id: str
    spec: SpecModel
    payload: Mapping[str, JSON]


class Kind(Protocol):
    name: ClassVar[str]
    """Singular kind name used in addresses: `customTable`."""
    section: ClassVar[str]
    """Manifest key holding a list of specs: `customTables`."""
    spec_type: ClassVar[type[SpecModel]]
    capabilities: ClassVar[Capabilities]

    def check(self, spec: SpecModel) -> list[Issue]: ...

    def canonical(self, spec: SpecModel) -> dict[str, JSON]: ...

    def judge(self, path: Path, before: JSON, after: JSON) -> Verdict: ...

    def references(self, entity: str, spec: SpecModel) -> list[Address]:
        """Objects this one needs to exist first (links to other tables, …)."""
        ...

    async def read(self, client: ActitoClient, entity: str) -> list[LiveObject]: ...

    async def create(self, client: ActitoClient, entity: str, spec: SpecModel) -> str: ...

    async def update(
        self, client: ActitoClient, entity: str, live: LiveObject, spec: SpecModel
    ) -> None: ...
