"""The registry of kinds: one module per kind, listed here in dependency order."""

from __future__ import annotations

from actito_iac.kinds.base import Kind
from actito_iac.kinds.custom_table import CustomTableKind
from actito_iac.kinds.profile_table import ProfileTableKind

# Profile tables first: custom tables link to them.
KINDS: tuple[Kind, ...] = (ProfileTableKind(), CustomTableKind())

BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
BY_SECTION: dict[str, Kind] = {k.section: k for k in KINDS}
