"""The words every stage shares: values, field paths, addresses, risks, verdicts, capabilities.

A leaf module: it imports nothing of the project (but construct.py, a leaf too), so
manifests, kinds, the planner, the renderers, the live reader and the executor can all speak
it without importing each other.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict

from actito_iac.construct import construct

JSON = Any
"""A JSON-compatible value (dict/list/str/int/float/bool/None)."""

Path = tuple[str, ...]
"""A field path inside a canonical spec, e.g. ("attributes", "status", "acceptedValues")."""

UNREAD = "(not returned by the API)"
"""A live value the API does not give back (a webhook's header values, say). The planner never
compares it: the plan says it could not, instead of claiming a match or a difference."""

SECRET_REFERENCE = re.compile(r"\$\{secret:([A-Za-z_][A-Za-z0-9_.-]*)\}")
"""A `${secret:NAME}` reference, as a manifest writes it (see manifest/substitute.py)."""

ANY = "*"
"""In a path pattern, any key of a mapping or index of a list."""


def fits(path: tuple[str | int, ...], pattern: Path) -> bool:
    """Whether `pattern` describes `path`: the same length, each key equal or ANY."""
    if len(path) != len(pattern):
        return False
    return all(p in (ANY, k) for k, p in zip(path, pattern, strict=True))


def value_at(document: JSON, path: Path) -> JSON:
    """The value at `path` inside nested mappings, or None where the path leads nowhere."""
    node: JSON = document
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def matching(
    value: JSON, pattern: Path, at: tuple[str | int, ...] = ()
) -> list[tuple[tuple[str | int, ...], JSON]]:
    """(path, value) of every place in `value` the pattern reaches; `*` matches any key or
    index. Paths of list items hold their index."""
    if not pattern:
        return [(at, value)]
    head, rest = pattern[0], pattern[1:]
    if isinstance(value, dict):
        keys = list(value) if head == ANY else [head] if head in value else []
        return [m for k in keys for m in matching(value[k], rest, (*at, k))]
    if isinstance(value, list) and head == ANY:
        return [m for i, item in enumerate(value) for m in matching(item, rest, (*at, i))]
    return []


LICENCE = "-"
"""The entity part of the address of a licence-level object (one that belongs to no entity).

ACTITO spells "no entity" the same way in its v4 URLs (`/v4/entity/-/…`), and a dash is not a
valid entity name, so `-/kind/name` can never be mistaken for an entity's object."""


@dataclass(frozen=True, order=True)
class Address:
    """How an object is named everywhere: (entity, kind, name), never a server id.

    `entity` is LICENCE for a licence-level object. `name` is the object's identity within
    its entity and kind: ACTITO's technical name, or, for objects ACTITO gives no name, the
    natural identity its kind derives (see each kind's `key`); it may contain `/`.
    """

    entity: str
    kind: str
    name: str

    def __str__(self) -> str:
        return f"{self.entity}/{self.kind}/{self.name}"

    @property
    def short(self) -> str:
        """`kind/name`, the form used by --target and --exclude."""
        return f"{self.kind}/{self.name}"

    @property
    def licence_level(self) -> bool:
        return self.entity == LICENCE

    @classmethod
    def parse(cls, text: str) -> Address:
        """The address `str()` wrote: `ENTITY/KIND/NAME` (NAME may hold `/`)."""
        entity, kind, name = text.split("/", 2)
        return cls(entity, kind, name)


class Model(BaseModel):
    """Base of every manifest model: unknown keys are errors, no silent type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    # The pydantic plugin of mypy gives each model a `model_construct` typed by its fields; this
    # override keeps those signatures for callers, hence the ignore.
    @classmethod
    def model_construct(  # type: ignore[override]
        cls, _fields_set: set[str] | None = None, **values: Any
    ) -> Self:
        """pydantic's, faster (construct.py): specs read from the licence are built with it."""
        built = construct(cls, _fields_set, values)
        return built if built is not None else super().model_construct(_fields_set, **values)


class SpecModel(Model):
    """A top-level object of a kind section. Its identity is its kind's `key(spec)`."""


class NamedSpec(SpecModel):
    """A spec whose identity is the technical name ACTITO gives the object."""

    name: str
    """ACTITO's technical name: the object's identity within its entity and kind."""


class Source(StrEnum):
    """How sure we are that the real API does this (tags of actito-api.md)."""

    DOC = "documented"
    CODE = "seen in client code"
    INFER = "inferred"
    NONE = "not available"


SOURCE_STRENGTH = (Source.NONE, Source.INFER, Source.CODE, Source.DOC)
"""Sources from the weakest (nothing to go on) to the strongest (ACTITO says so)."""


def weakest(sources: Iterable[Source | None]) -> Source | None:
    """The least sure of `sources` (None when there are none): what a verdict built on all of
    them can claim."""
    known = [s for s in sources if s is not None]
    return min(known, key=SOURCE_STRENGTH.index, default=None)


def source_mark(source: Source | None) -> str:
    """The short mark renderers put after a verdict that is not documented: "inferred",
    "client code"; empty for a documented rule (and for a plan that predates sources)."""
    if source is Source.INFER or source is Source.NONE:
        return "inferred"
    if source is Source.CODE:
        return "client code"
    return ""


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


def worst(risks: builtins.list[Risk] | tuple[Risk, ...]) -> Risk:
    """The highest of `risks` (SAFE for none)."""
    return max(risks, key=lambda r: r.rank, default=Risk.SAFE)


@dataclass(frozen=True)
class Use:
    """Another object, or a field of it, that an object relies on: a webhook watches a
    table's attribute, a form enriches one, a scenario starts on a custom table's event.

    Checked everywhere by one mechanism (plan/references.py): offline against the manifests,
    at plan time against the licence, and against every change — while the user stays, what
    it relies on may not go (nor the object, for `path` ()), change a field it `keeps`, or
    stop being what it `holds` to.
    """

    target: Address
    path: Path = ()
    """Where in the target's canonical form: `("attributes", "status")`; () the object."""
    what: str = ""
    """How the user relies on it, for messages: "watches attribute 'status'"."""
    at: tuple[str | int, ...] = ()
    """Where the user's manifest item writes it (`("onFields", 0)`): problems are reported at
    that line; () the item's first line."""
    holds: Callable[[JSON], bool] | None = None
    """What the value at `path` must be, when more than being there (an SMS campaign needs
    its table's attributes to include a GSM number: any name, one type; a trigger needs its
    scenario to start on its event). None: present."""
    required: bool = True
    """False: relied on only where it exists (an e-mail personalises `${firstName}`, which may
    be an attribute or a value mapped in the UI): its absence is no error, its removal is
    still blocked."""
    keeps: tuple[str, ...] = ()
    """Fields under `path` the user relies on staying as they are (an attribute's valueType):
    a change to one is blocked."""
    declared: bool = False
    """The target must be declared in the manifests (not only exist in the licence), so that
    `validate` resolves it offline."""
    requires: tuple[tuple[str, JSON], ...] = ()
    """Values the used field must hold, as (key, value) inside it, said in messages: a link's
    target attribute must be unique, `(("unique", True),)`. A change setting one otherwise
    is blocked too."""
    source: Source = Source.INFER
    """How sure we are that ACTITO enforces this reliance (a guess unless stated)."""

    def served_by(self, held: JSON) -> bool:
        """Whether `held`, the value at `path` of the target (its kind's `used_field`), gives
        the user what it needs."""
        if held is None:
            return False
        if self.holds is not None:
            return self.holds(held)
        return all(
            isinstance(held, dict) and held.get(key) == wanted for key, wanted in self.requires
        )

    def met_by(self, document: JSON) -> bool:
        """Whether the target's canonical form `document` gives the user what it needs."""
        return self.served_by(value_at(document, self.path))


@dataclass(frozen=True)
class Issue:
    """A semantic problem in one spec; `loc` is relative to the object in its manifest."""

    loc: tuple[str | int, ...]
    message: str
    warning: bool = False
    """A warning (reported, not failing the load) instead of an error."""


@dataclass(frozen=True)
class Verdict:
    """What a kind says of one field change: its risk, and whether the API can make it.

    `blocked`: ACTITO forbids the change; the text says why and the way around.
    `manual`: ACTITO allows it, but only in its UI; the text says exactly where.
    `replace`: the API cannot change it in place, but can delete the object and create it
    again with the new value; the text says why (the plan then shows one `replace`).
    """

    risk: Risk
    blocked: str = ""
    manual: str = ""
    replace: str = ""
    source: Source = Source.INFER
    """Where the rule behind this verdict comes from. A kind states it for each verdict; one
    it does not state is a guess, and every rendering says so."""
