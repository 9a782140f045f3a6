"""The result of loading: what the manifests ask for. Immutable; no network was used."""

from __future__ import annotations

from dataclasses import dataclass, field

from actito_iac.address import Address
from actito_iac.errors import Diagnostic, SourceLocation
from actito_iac.kinds.base import SpecModel


@dataclass(frozen=True)
class DesiredObject:
    address: Address
    spec: SpecModel
    location: SourceLocation
    """Where the object starts in its manifest (the list item)."""


@dataclass(frozen=True)
class Desired:
    objects: tuple[DesiredObject, ...]
    entities: dict[str, tuple[SourceLocation, ...]] = field(default_factory=dict)
    """Every entity named by a manifest, with where each `entity:` value stands."""
    files: tuple[str, ...] = ()
    """The manifest files read, in the order read (sorted paths)."""
    warnings: tuple[Diagnostic, ...] = ()
    """Problems that do not stop a run (an empty file, an empty document)."""

    def by_address(self) -> dict[Address, DesiredObject]:
        return {o.address: o for o in self.objects}
