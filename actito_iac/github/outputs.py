"""Talking back to the runner: step outputs (`$GITHUB_OUTPUT`) and workflow commands.

Outputs are always written in the multi-line form `name<<DELIMITER` … `DELIMITER`, with a
random delimiter checked against the value: a value holding a newline (or an attacker-chosen
line such as `has-changes=false`) then cannot end the value early or inject another output.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

OUTPUT_NAMES = (
    "exit-code",
    "has-changes",
    "create",
    "update",
    "replace",
    "delete",
    "blocked",
    "manual",
    "manual-steps",
    "unmanaged",
    "destructive",
    "plan-file",
    "markdown-file",
)
"""Every output the action declares; each run writes all of them (empty when not known)."""


def _delimiter(value: str) -> str:
    while True:
        candidate = f"ghadelimiter_{secrets.token_hex(16)}"
        if candidate not in value:
            return candidate


def format_outputs(values: Mapping[str, str]) -> str:
    """The text to append to `$GITHUB_OUTPUT` for these outputs."""
    chunks = []
    for name, value in values.items():
        if not name or "<<" in name or "=" in name or "\n" in name or "\r" in name:
            raise ValueError(f"invalid output name {name!r}")
        delimiter = _delimiter(value)
        chunks.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    return "".join(chunks)


def write_outputs(path: Path | None, values: Mapping[str, str], log: TextIO = sys.stdout) -> None:
    """Append the outputs to the runner's file; outside a runner, list them in the log."""
    if path is None:
        for name, value in values.items():
            log.write(f"output {name}: {value}\n")
        return
    with path.open("a", encoding="utf-8", newline="\n") as handle:
        handle.write(format_outputs(values))


def _escape_data(text: str) -> str:
    # The runner's own escaping for a command's message, so a newline cannot start a new
    # command and the whole message stays one annotation.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, title: str = "") -> str:
    """A workflow command line such as `::warning title=…::message`."""
    properties = f" title={_escape_property(title)}" if title else ""
    return f"::{name}{properties}::{_escape_data(message)}"


def warning(message: str, log: TextIO = sys.stdout) -> None:
    log.write(command("warning", message, "actito-iac") + "\n")
    log.flush()


def error(message: str, log: TextIO = sys.stdout) -> None:
    log.write(command("error", message, "actito-iac") + "\n")
    log.flush()


def notice(message: str, log: TextIO = sys.stdout) -> None:
    log.write(command("notice", message, "actito-iac") + "\n")
    log.flush()
