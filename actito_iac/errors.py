"""Errors a user can cause or meet, and the diagnostics that describe them.

Exception tree (the CLI maps each branch to one exit code; nothing else does)::

    ActitoIacError        anything reported as clean one-line-per-problem errors
    ├── ManifestError     manifests or project file invalid (carries every Diagnostic)
    ├── ConfigError       missing credentials, unknown environment, bad option value
    │   └── SelectionError    a --target/--exclude that cannot be honoured (plan/select.py)
    ├── LiveStateError    the live licence cannot host the manifests (unknown entity)
    ├── ApplyRefused      apply would not start (blocked, destructive without the flag, or
    │                     another apply holds the licence's lock)
    ├── ApplyInterrupted  Ctrl-C during an apply: what was changed, in flight, not started
    ├── StalePlan         a saved plan no longer matches manifests or licence (plan/saved.py)
    └── ApiError          an ACTITO API call failed (subclasses in actito_iac.api.errors)

A `Diagnostic` is one problem with its place: file, 1-based line and column, the field path
inside the document, and a message. Loading collects all of them before raising.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A place in a manifest: 1-based line and column (0 when unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    message: str
    location: SourceLocation | None = None
    field: str = ""

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        field = f"{self.field}: " if self.field else ""
        return f"{where}{self.severity}: {field}{self.message}"


class ActitoIacError(Exception):
    """Base of every error the CLI reports without a traceback."""


class ManifestError(ActitoIacError):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__(f"{len(diagnostics)} problem(s) in the manifests")


class ConfigError(ActitoIacError):
    """A run cannot start: unknown environment, missing API key, bad URL."""


class LiveStateError(ActitoIacError):
    """The live licence cannot host the manifests (an entity that does not exist, …)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("; ".join(str(d) for d in diagnostics))


class ApplyRefused(ActitoIacError):
    """Apply would not start; nothing was changed."""

    def __init__(self, message: str, *, destructive: bool = False) -> None:
        self.destructive = destructive
        super().__init__(message)


class ApplyInterrupted(ActitoIacError):
    """An apply stopped by Ctrl-C. Each list holds `action ENTITY/KIND/NAME` lines, in plan
    order: `in_flight` may or may not have been applied (its request may have reached ACTITO)."""

    def __init__(
        self,
        changed: list[str],
        in_flight: list[str],
        not_started: list[str],
        not_changed: list[str],
    ) -> None:
        self.changed = changed
        self.in_flight = in_flight
        self.not_started = not_started
        self.not_changed = not_changed
        """Changes the executor reported as failed or skipped before the interruption."""
        super().__init__(
            f"interrupted: {len(changed)} changed, {len(in_flight)} in flight, "
            f"{len(not_started)} not started"
        )
