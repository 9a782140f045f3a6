"""`validate --format json`: the diagnostics as one versioned document, for editors and tools.

`format_version` follows the plan document's rule: a minor version only adds keys, a major one
may change them. Every diagnostic has the same keys; where a problem has no place (a missing
variable of the environment, say), `file`, `line` and `column` are null.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from actito_iac import __version__
from actito_iac.errors import Diagnostic, Severity

FORMAT_VERSION = "1.0"


@dataclass(frozen=True)
class Checked:
    """What a successful validation covered."""

    files: int
    entities: int
    objects: int


def diagnostic_entry(diagnostic: Diagnostic) -> dict[str, Any]:
    where = diagnostic.location
    return {
        "file": where.file if where else None,
        "line": where.line or None if where else None,
        "column": where.column or None if where else None,
        "path": diagnostic.field,
        "severity": str(diagnostic.severity),
        "message": diagnostic.message,
    }


def diagnostics_document(
    diagnostics: Iterable[Diagnostic], *, checked: Checked | None = None
) -> dict[str, Any]:
    listed = list(diagnostics)
    errors = sum(1 for d in listed if d.severity is Severity.ERROR)
    return {
        "format_version": FORMAT_VERSION,
        "tool_version": __version__,
        "valid": errors == 0 and checked is not None,
        "summary": {"errors": errors, "warnings": len(listed) - errors},
        "checked": (
            {"files": checked.files, "entities": checked.entities, "objects": checked.objects}
            if checked is not None
            else None
        ),
        "diagnostics": [diagnostic_entry(d) for d in listed],
    }
