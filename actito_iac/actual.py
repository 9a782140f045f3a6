"""The live side's value: what the licence holds, as read by `live.read_actual`.

Its own module, so that the planner can compare against it without importing the reader (and
through it the API client): `plan/` does no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import InitVar, dataclass, field
from datetime import datetime

import orjson

from actito_iac.vocabulary import JSON, Address, SpecModel


@dataclass(frozen=True)
class LiveObject:
    """One object read from the licence: its server id, its spec, and the raw payload."""

    id: str
    spec: SpecModel
    answer: InitVar[Mapping[str, JSON]]
    """The payload as the licence answered it (kept packed, read back as `payload`)."""
    canonical: Mapping[str, JSON] | None = field(default=None, compare=False, repr=False)
    """The spec's canonical form, when the reader made it already (it checks it): the planner
    takes it instead of making it again. Never modified."""
    _packed: bytes | Mapping[str, JSON] = field(init=False, repr=False)

    def __post_init__(self, answer: Mapping[str, JSON]) -> None:
        # The payload is read again only for the few objects a plan touches (their
        # fingerprints), yet every live object is kept until the command ends: as compact
        # JSON it weighs a tenth of its dicts (50 MiB less for 10,000 tables). What orjson
        # does not write (a whole number past 64 bits) is kept as it is.
        try:
            # A copy of the text's own size: orjson's result keeps the buffer it wrote into,
            # several times larger than a table's payload.
            packed: bytes | Mapping[str, JSON] = bytes(memoryview(orjson.dumps(answer)))
        except orjson.JSONEncodeError:
            packed = answer
        object.__setattr__(self, "_packed", packed)

    @property
    def payload(self) -> Mapping[str, JSON]:
        """The payload, equal to the answer it was made from (a new copy on each call)."""
        packed = self._packed
        if isinstance(packed, bytes):
            value: Mapping[str, JSON] = orjson.loads(packed)
            return value
        return packed


@dataclass(frozen=True)
class Actual:
    entities: tuple[str, ...]
    """Every entity of the licence."""
    objects: Mapping[Address, LiveObject] = field(default_factory=dict)
    """Objects of the entities that were read (those the manifests name)."""

    def id_of(self, address: Address) -> str | None:
        live = self.objects.get(address)
        return live.id if live else None


@dataclass(frozen=True)
class Sample:
    """Data rows read from one object (a table): all of them when `complete`, else the first
    `len(rows)`; `unreadable` says why none could be read (the API's refusal), or is empty."""

    rows: tuple[Mapping[str, JSON], ...] = ()
    complete: bool = False
    unreadable: str = ""
    read_at: datetime | None = None
    """When the rows were read (aware, UTC): the "now" a row's age is measured from, so that
    the planner itself never reads a clock."""
