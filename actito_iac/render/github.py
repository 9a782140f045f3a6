"""Inside GitHub Actions: diagnostics as annotations, and the plan in the job summary.

Annotations are workflow commands (`::error file=…,line=…,col=…,title=…::message`), which the
runner reads from both output streams; they go to stderr so stdout stays data (a JSON plan).
The runner shows at most 10 errors and 10 warnings per step, so beyond that the rest are
counted and one line says how many were left out (they are all printed normally anyway).

Escaping follows the workflow-command rules: in the message `%`, CR and LF are percent-encoded;
in property values `:` and `,` as well, since they delimit properties.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from actito_iac.errors import Diagnostic, Severity

log = logging.getLogger(__name__)

TITLE = "actito-iac"
PER_STEP = 10
"""The runner's cap per step and per severity."""


def in_github_actions(environ: Mapping[str, str]) -> bool:
    return environ.get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(diagnostic: Diagnostic) -> str:
    command = "error" if diagnostic.severity is Severity.ERROR else "warning"
    properties: list[tuple[str, str]] = []
    where = diagnostic.location
    if where is not None:
        properties.append(("file", where.file))
        if where.line:
            properties.append(("line", str(where.line)))
            if where.column:
                properties.append(("col", str(where.column)))
    properties.append(("title", TITLE))
    listed = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    message = diagnostic.message
    if diagnostic.field:
        message = f"{diagnostic.field}: {message}"
    return f"::{command} {listed}::{escape_data(message)}"


@dataclass
class Annotations:
    """The annotations of one run (one step): counts per severity, to respect the cap."""

    shown: dict[Severity, int] = field(default_factory=dict)

    def lines(self, diagnostics: Iterable[Diagnostic]) -> list[str]:
        out: list[str] = []
        omitted: dict[Severity, int] = {}
        for diagnostic in diagnostics:
            severity = diagnostic.severity
            if self.shown.get(severity, 0) < PER_STEP:
                self.shown[severity] = self.shown.get(severity, 0) + 1
                out.append(workflow_command(diagnostic))
            else:
                omitted[severity] = omitted.get(severity, 0) + 1
        for severity, count in sorted(omitted.items()):
            out.append(
                f"{count} more {severity}(s) not annotated (GitHub shows {PER_STEP} per step); "
                "all are listed in the log"
            )
        return out


def append_step_summary(environ: Mapping[str, str], markdown: Callable[[], str]) -> bool:
    """Append the text `markdown` makes to $GITHUB_STEP_SUMMARY when it is set; True when
    written. The text is made only then: a plan of ten thousand creates takes a second to write
    as Markdown, and most runs have no summary to append to."""
    target = environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    text = markdown()
    try:
        with Path(target).open("a", encoding="utf-8") as summary:
            summary.write(text if text.endswith("\n") else text + "\n")
    except OSError as exc:  # the plan itself succeeded; a summary is a courtesy
        log.warning("cannot append the plan to %s: %s", target, exc.strerror or exc)
        return False
    return True
