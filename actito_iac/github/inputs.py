"""What the action step hands to `python -m actito_iac.github run`, read from the environment.

The composite action passes each input through the step's `env:` (never `${{ inputs.x }}`
inside the script, which would let an input's text run as shell). Every environment variable
this package reads is named here, so a test can check that `action.yml` passes each one.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

INPUT_ENV = {
    "command": "INPUT_COMMAND",
    "working-directory": "INPUT_WORKING_DIRECTORY",
    "environment": "INPUT_ENVIRONMENT",
    "plan-file": "INPUT_PLAN_FILE",
    "comment": "INPUT_COMMENT",
    "github-token": "INPUT_GITHUB_TOKEN",
    "extra-args": "INPUT_EXTRA_ARGS",
    "fail-on-manual": "INPUT_FAIL_ON_MANUAL",
}
"""Action input name -> the variable `action.yml` sets from it."""

RUNNER_ENV = (
    "GITHUB_OUTPUT",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_EVENT_NAME",
    "GITHUB_EVENT_PATH",
    "GITHUB_REPOSITORY",
    "GITHUB_API_URL",
    "GITHUB_SERVER_URL",
    "GITHUB_RUN_ID",
)
"""Variables the runner sets on every step (GitHub's default environment)."""

COMMANDS = ("validate", "plan", "apply")
DEFAULT_PLAN_FILE = "actito-iac-plan.json"
DEFAULT_API_URL = "https://api.github.com"
DEFAULT_SERVER_URL = "https://github.com"

_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off", ""}
_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


class InputError(Exception):
    """An input the action cannot run with; reported as one error annotation, exit 1."""


@dataclass(frozen=True)
class PullRequest:
    repository: str
    number: int
    head_sha: str = ""
    from_fork: bool = False


@dataclass(frozen=True)
class ActionInputs:
    command: str
    working_directory: Path
    environment: str
    plan_file: str
    """As given (relative to the working directory); empty: none for apply, default for plan."""
    comment: bool
    github_token: str
    extra_args: tuple[str, ...]
    fail_on_manual: bool
    """apply: fail (exit 5) while manual steps remain for the ACTITO UI."""
    output_file: Path | None
    event_name: str
    event_path: Path | None
    repository: str
    api_url: str
    run_url: str

    def __repr__(self) -> str:  # never show the token, even in a traceback's locals
        return f"ActionInputs(command={self.command!r}, environment={self.environment!r})"


def read_inputs(environ: Mapping[str, str], cwd: Path) -> ActionInputs:
    def get(name: str) -> str:
        return environ.get(INPUT_ENV[name], "").strip()

    command = get("command") or "plan"
    if command not in COMMANDS:
        raise InputError(f"command must be one of {', '.join(COMMANDS)}, not {command!r}")
    comment = get("comment").lower() or "true"
    if comment not in _TRUE | _FALSE:
        raise InputError(f"comment must be true or false, not {comment!r}")
    fail_on_manual = get("fail-on-manual").lower() or "false"
    if fail_on_manual not in _TRUE | _FALSE:
        raise InputError(f"fail-on-manual must be true or false, not {fail_on_manual!r}")
    try:
        extra = tuple(shlex.split(get("extra-args")))
    except ValueError as exc:
        raise InputError(f"extra-args cannot be split into arguments: {exc}") from None
    folder = cwd / (get("working-directory") or ".")
    if not folder.is_dir():
        raise InputError(f"working-directory {get('working-directory')!r} is not a folder")
    repository = environ.get("GITHUB_REPOSITORY", "")
    server = environ.get("GITHUB_SERVER_URL", "") or DEFAULT_SERVER_URL
    run_id = environ.get("GITHUB_RUN_ID", "")
    return ActionInputs(
        command=command,
        working_directory=folder,
        environment=get("environment"),
        plan_file=get("plan-file"),
        comment=comment in _TRUE,
        github_token=environ.get(INPUT_ENV["github-token"], "").strip(),
        extra_args=extra,
        fail_on_manual=fail_on_manual in _TRUE,
        output_file=_path(environ.get("GITHUB_OUTPUT", "")),
        event_name=environ.get("GITHUB_EVENT_NAME", ""),
        event_path=_path(environ.get("GITHUB_EVENT_PATH", "")),
        repository=repository,
        api_url=(environ.get("GITHUB_API_URL", "") or DEFAULT_API_URL).rstrip("/"),
        run_url=f"{server.rstrip('/')}/{repository}/actions/runs/{run_id}"
        if repository and run_id
        else "",
    )


def _path(value: str) -> Path | None:
    return Path(value) if value else None


def pull_request(inputs: ActionInputs) -> PullRequest:
    """The pull request this `pull_request` event is about, from the event file."""
    if not _REPOSITORY.match(inputs.repository):
        raise InputError(f"GITHUB_REPOSITORY is not owner/name: {inputs.repository!r}")
    if inputs.event_path is None:
        raise InputError("GITHUB_EVENT_PATH is not set")
    try:
        event: Any = json.loads(inputs.event_path.read_text(encoding="utf-8"))
        pr = event["pull_request"]
        number = pr["number"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"no pull request number in the event file: {exc}") from None
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise InputError(f"the event's pull_request.number is not a number: {number!r}")
    head = pr.get("head") if isinstance(pr, dict) else None
    base = pr.get("base") if isinstance(pr, dict) else None
    head_repo = _full_name(head)
    base_repo = _full_name(base)
    sha = head.get("sha", "") if isinstance(head, dict) else ""
    return PullRequest(
        repository=inputs.repository,
        number=number,
        head_sha=sha if isinstance(sha, str) else "",
        from_fork=bool(head_repo and base_repo and head_repo != base_repo),
    )


def _full_name(side: object) -> str:
    if not isinstance(side, dict):
        return ""
    repo = side.get("repo")
    name = repo.get("full_name", "") if isinstance(repo, dict) else ""
    return name if isinstance(name, str) else ""
