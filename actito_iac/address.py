"""How an object is named everywhere: (entity, kind, name), never a server id."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Address:
    entity: str
    kind: str
    name: str

    def __str__(self) -> str:
        return f"{self.entity}/{self.kind}/{self.name}"

    @property
    def short(self) -> str:
        """`kind/name`, the form used by --target and --exclude."""
        return f"{self.kind}/{self.name}"
