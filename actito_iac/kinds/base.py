"""The base every kind derives from: what a kind must state, and defaults for the rest.

A kind module holds everything about one kind of ACTITO object: its manifest spec (a pydantic
model), its capabilities and endpoints as data (what the API can do, where, and how sure we
are), semantic checks, its identity, the canonical form both sides are compared in, the rules
that classify a field change, and the payloads it writes. It holds no HTTP code: `api/`
executes its endpoints. The planner, the reader and the executor only talk to this class.

A simple kind states its spec model, identity (`key`, `identify`), canonical form, endpoints
and payloads; the defaults say what most kinds do not have: no row sampling, no renames, every
field change safe, no references, no manual steps, nothing managed only where declared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from actito_iac.actual import Sample
from actito_iac.kinds.endpoints import Endpoints, PartBody, RowsEndpoint
from actito_iac.secrets import MASK, fingerprint
from actito_iac.vocabulary import (
    JSON,
    UNREAD,
    Address,
    Capabilities,
    Issue,
    NamedSpec,
    Path,
    Risk,
    Source,
    SpecModel,
    Use,
    Verdict,
    value_at,
)

NameLookup = Callable[[str, str], str | None]
"""(kind, server id) -> technical name of that object in the same entity, if it exists."""

IdLookup = Callable[[str, str], str]
"""(kind, technical name) -> server id of that object in the same entity: live objects and
those created earlier in the same apply. Raises KeyError for an object that exists nowhere."""


class FileProblem(ValueError):
    """A file a manifest names that cannot be used; the message says why (no file path)."""


class ManifestFiles(Protocol):
    """The files next to one manifest, as a kind may read them (`Kind.complete`): paths are
    relative to the manifest's folder and must stay inside it; only regular files are read,
    up to a size. Each file read is part of what a saved plan was made from."""

    def read(self, relative: str, limit: int) -> bytes:
        """The file's bytes; FileProblem when it is missing, outside, not a file or too big."""
        ...

    def listing(self, relative: str) -> list[str]:
        """The files under a folder (recursively, hidden ones left out), as `/`-separated
        names relative to it, sorted; FileProblem when it is not a folder inside."""
        ...


@dataclass(frozen=True)
class Exported:
    """An object as export writes it: its manifest item, and files beside the manifest
    (relative `/`-separated path → bytes) that the item names."""

    document: dict[str, JSON]
    files: dict[str, bytes] = field(default_factory=dict)


class Kind:
    """One kind of ACTITO object. Subclasses set the class attributes and override what differs."""

    name: ClassVar[str]
    """Singular kind name used in addresses: `customTable`."""
    section: ClassVar[str]
    """Manifest key holding a list of specs: `customTables`."""
    spec_type: ClassVar[type[SpecModel]]
    capabilities: ClassVar[Capabilities]
    endpoints: ClassVar[Endpoints]
    noun: ClassVar[str] = ""
    """How messages name one object of the kind ("custom table"); default: the kind name."""
    declared_only: ClassVar[frozenset[Path]] = frozenset()
    """Canonical fields compared only where the manifest declares them, as paths (ANY for any
    key: `("attributes", ANY, "description")`; see common.DISPLAY_TEXTS)."""
    live_optional: ClassVar[frozenset[str]] = frozenset()
    """Top-level canonical keys a live answer may leave out, meaning "not known from this
    answer": where it does, they are not compared, and the plan says so."""
    secret_fields: ClassVar[tuple[Path, ...]] = ()
    """Spec fields (patterns, `*` for any key) whose values are secrets: a manifest must give
    each as a `${secret:NAME}` reference, and export writes one, never the value."""
    replace_creates_first: ClassVar[bool] = False
    """How a `replace` runs: False deletes the old object first (needed where two cannot
    coexist, e.g. under one unique name); True creates the new one first (no gap in service)."""
    rows: ClassVar[RowsEndpoint | None] = None
    """Where the object's data rows are read to size risky changes; None: it holds no data."""
    rename_source: ClassVar[Source] = Source.INFER
    """How sure we are that ACTITO cannot rename the object (or the parts `renames` names)."""

    @property
    def label(self) -> str:
        return self.noun or self.name

    # -- identity -----------------------------------------------------------------------------

    def key(self, spec: SpecModel) -> str:
        """The object's identity within its entity and kind: the name in its address.
        Default: ACTITO's technical name."""
        assert isinstance(spec, NamedSpec), f"{self.name}: a spec without a name needs a key"
        return spec.name

    def identify(self, payload: Mapping[str, JSON], names: NameLookup) -> tuple[str, str]:
        """(server id, key) of a live payload; `names` gives the keys of the objects it refers
        to, of kinds listed before this one in the registry. Default: its `id` and `name`,
        which must be text (a number or null would become a name no manifest can match)."""
        name = payload["name"]
        if not isinstance(name, str) or not name:
            raise ValueError(f"its name is {name!r}, not text")
        return str(payload["id"]), name

    # -- manifests ----------------------------------------------------------------------------

    def check(self, spec: SpecModel) -> list[Issue]:
        """Problems inside one spec that its model cannot express (unknown attribute names…)."""
        return []

    def complete(
        self, spec: SpecModel, entity: str, files: ManifestFiles
    ) -> tuple[SpecModel, list[Issue]]:
        """The spec with what its place gives it — its entity, the files it names (read
        through `files`) — and the problems found doing so. Runs before `check`."""
        return spec, []

    def refuse_create(self, spec: SpecModel) -> str:
        """Why this spec cannot be created as it stands (the plan blocks it), or empty."""
        return ""

    def manual_create(self, spec: SpecModel) -> str:
        """How a person makes the object in the ACTITO UI, where the API cannot create it
        (`capabilities.create` not supported): a missing object is then a `manual` change
        with this step, never an API call. Say where to go and what to set."""
        return f"create {self.label} {self.key(spec)!r} in the ACTITO UI"

    def refuse_delete(self, live: SpecModel) -> str:
        """Why this live object cannot be deleted (--prune leaves it, saying so), or empty."""
        return ""

    def references(self, entity: str, spec: SpecModel) -> list[Address]:
        """Objects this one needs to exist first (linked tables, …)."""
        return []

    def uses(self, entity: str, spec: SpecModel) -> list[Use]:
        """Fields of other objects this one relies on (attributes a webhook watches, a link's
        target attribute, which must stay unique)."""
        return []

    def used_field(self, canonical: Mapping[str, JSON], path: Path) -> JSON:
        """The value at `path` of an object of this kind, in its canonical form, for the
        objects that rely on it (`uses`); None when it has none. A kind whose canonical form
        leaves out fields others may rely on (a profile table's technical attributes) says
        what they hold."""
        return value_at(canonical, path)

    def renames(self, spec: SpecModel) -> list[tuple[Path, Path]]:
        """Rename intents inside the object, as (new path, old path) in canonical form."""
        return []

    def renamed_from(self, spec: SpecModel) -> str | None:
        """The key the object had before, when the manifest states a rename of the object."""
        return None

    def explain_rename(self, old: Path, new: Path) -> str:
        """Why a rename inside the object cannot be made as such, and the way around."""
        was, now = ".".join(old), ".".join(new)
        return (
            f"{self.label} rename {was!r} → {now!r}: ACTITO cannot rename it; remove "
            f"renamedFrom to plan the removal of {was!r} and the addition of {now!r}"
        )

    def explain_object_rename(self, old: str, new: str) -> str:
        """Why the object cannot be renamed, and the way around."""
        return (
            f"rename {old!r} → {new!r}: ACTITO cannot rename a {self.label}. Keep the old "
            f"name in the manifest, or remove renamedFrom to create {new!r} and then remove "
            f"{old!r}"
        )

    # -- comparing ----------------------------------------------------------------------------

    def canonical(self, spec: SpecModel) -> dict[str, JSON]:
        """The normalised form both sides are compared and shown in."""
        raise NotImplementedError

    def judge(self, path: Path, before: JSON, after: JSON, name: str = "") -> Verdict:
        """Risk and feasibility of one field change of the object named `name`."""
        return Verdict(Risk.SAFE)

    def locked(self, live: SpecModel, name: str) -> Verdict | None:
        """Whether the live object's state forbids changing it through the API (a sent
        campaign): a Verdict whose `blocked` or `manual` says why and what to do, applied to
        every field change the API would make. None: it can change."""
        return None

    def status(self, spec: SpecModel) -> str:
        """The live object's state in a few words ("in definition"), shown beside it in the
        plan; empty for kinds without one."""
        return ""

    def texts(self, spec: SpecModel) -> dict[Path, str]:
        """Long texts the canonical form holds only as a digest (an e-mail's HTML), by their
        path in it: the plan shows a line diff of them instead."""
        return {}

    # -- data ---------------------------------------------------------------------------------

    def sized_by_data(self, path: Path) -> bool:
        """Whether the object's data rows can size a risky change at `path`."""
        return False

    def field_impact(self, path: Path, after: JSON, sample: Sample | None) -> str:
        """What the rows say of one risky field change (`sample` None: none were read)."""
        return ""

    def object_impact(self, sample: Sample | None) -> str:
        """What the rows say of the object as a whole ("1,204 rows")."""
        return ""

    # -- payloads -----------------------------------------------------------------------------

    def spec_from_payload(self, payload: Mapping[str, JSON], names: NameLookup) -> SpecModel:
        """The live object as a spec; references to other objects become their names."""
        raise NotImplementedError

    def payload(
        self, spec: SpecModel, ids: IdLookup, live: Mapping[str, JSON] | None
    ) -> dict[str, JSON]:
        """The body to send: a create when `live` is None, else a change built on `live` (the
        object as it is just before the write; its parts left out)."""
        raise NotImplementedError

    def part_payload(self, spec: SpecModel, key: str) -> PartBody | None:
        """What to write to the part `key` (endpoints.parts) of the object; None: nothing
        (the manifest leaves it to the UI)."""
        raise NotImplementedError

    # -- export -------------------------------------------------------------------------------

    def exported(
        self, spec: SpecModel, address: Address, stem: str, safe: Callable[[str], str]
    ) -> Exported:
        """The live object as export writes it. `stem` is its manifest's file name without
        the suffix; files beside it are named from it, each part of a name a licence gave
        passed through `safe` (one path component that cannot leave the export folder).
        Default: the spec without the fields that hold their default."""
        return Exported(spec.model_dump(mode="json", exclude_defaults=True))


def secret_digest(value: str) -> str:
    """How a secret value (a header's) appears in a canonical form: compared by its digest,
    never shown; a value the API did not return stays UNREAD (not compared)."""
    return value if value == UNREAD else f"{MASK} ({fingerprint(value)})"
