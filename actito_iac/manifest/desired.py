"""The result of loading: what the manifests ask for. Immutable; no network was used."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from actito_iac.errors import Diagnostic, SourceLocation
from actito_iac.manifest.substitute import Scalar
from actito_iac.vocabulary import Address, SpecModel


@dataclass(frozen=True)
class DesiredObject:
    address: Address
    spec: SpecModel
    location: SourceLocation
    """Where the object starts in its manifest (the list item)."""
    places: Mapping[tuple[str | int, ...], SourceLocation] = field(default_factory=dict)
    """Where each reference it holds is written (by `Use.at`), for problems with one."""
    document: int = 0
    """The 1-based number of its document in that file (0: not from a file)."""
    item: tuple[str, int] = ("", 0)
    """Its section and index in that document (what `export --update` rewrites)."""

    def place(self, at: tuple[str | int, ...]) -> SourceLocation:
        """The line of the field at `at` in the object's item, else the item's first line."""
        return self.places.get(at, self.location) if at else self.location


@dataclass(frozen=True)
class Desired:
    objects: tuple[DesiredObject, ...]
    entities: dict[str, tuple[SourceLocation, ...]] = field(default_factory=dict)
    """Every entity named by a manifest, with where each `entity:` value stands."""
    files: tuple[str, ...] = ()
    """The manifest files read, in the order read (sorted paths)."""
    warnings: tuple[Diagnostic, ...] = ()
    """Problems that do not stop a run (an empty file, an empty document)."""
    digests: Mapping[str, str] = field(default_factory=dict)
    """sha256 of each file's bytes, by the path in `files`: what a saved plan was made from."""
    variables: Mapping[str, Scalar] = field(default_factory=dict)
    """The `${var:…}` values the manifests used, by name."""
    secrets: frozenset[str] = frozenset()
    """The `${secret:…}` values the manifests used: every output masks them."""

    def by_address(self) -> dict[Address, DesiredObject]:
        return {o.address: o for o in self.objects}

    def source_digests(self) -> dict[str, str]:
        """What the manifest hash covers, one digest per entry: each file by its path, each
        variable the manifests used as `var:NAME` (secrets stay out: a digest of a weak
        secret could be guessed; a changed secret shows as a changed plan instead)."""
        out = {path: "sha256:" + digest for path, digest in self.digests.items()}
        for name, value in self.variables.items():
            encoded = json.dumps(value).encode()
            out[f"var:{name}"] = "sha256:" + hashlib.sha256(encoded).hexdigest()
        return dict(sorted(out.items()))

    def manifest_hash(self) -> str:
        """One sha256 over the sorted file paths and contents and the variables' values."""
        text = json.dumps(self.source_digests(), sort_keys=True, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()
