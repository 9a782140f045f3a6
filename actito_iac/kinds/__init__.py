"""The registry of kinds: one module per kind, listed here in dependency order."""

from __future__ import annotations

from actito_iac.kinds.base import Kind
from actito_iac.kinds.custom_table import CustomTableKind

KINDS: tuple[Kind, ...] = (CustomTableKind(),)

BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
BY_SECTION: dict[str, Kind] = {k.section: k for k in KINDS}
