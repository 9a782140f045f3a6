"""A fake GitHub REST API (the issue-comment endpoints the action uses) and a runner for the
action's step, `python -m actito_iac.github run`, in an environment like a GitHub runner's."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from actito_iac.emulator.server import running_server

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
TOKEN = "ghs_FakeToken0123456789abcdefXYZ"
REPOSITORY = "acme/licences"
PR_NUMBER = 7
HEAD_SHA = "abc1234def5678900000000000000000000000ff"
RUN_URL = f"https://github.example/{REPOSITORY}/actions/runs/4242"


@dataclass
class FakeGitHub:
    """Issue comments of one repository; records every request; answers like GitHub does."""

    token: str = TOKEN
    read_only: bool = False
    """As for a pull request from a fork: reading works, writing is 403."""
    comments: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    unauthorised: int = 0
    link_base: str = ""
    """When set, the next-page links point there instead of at this API."""
    next_id: int = 1000

    def add(self, number: int, body: str, login: str = "someone") -> dict[str, Any]:
        self.next_id += 1
        comment = {
            "id": self.next_id,
            "issue": number,
            "body": body,
            "html_url": f"https://github.example/{REPOSITORY}/pull/{number}#c{self.next_id}",
            "user": {"login": login},
        }
        self.comments.append(comment)
        return comment

    def on(self, number: int = PR_NUMBER) -> list[dict[str, Any]]:
        return [c for c in self.comments if c["issue"] == number]

    def writes(self) -> list[tuple[str, str]]:
        return [r for r in self.requests if r[0] in ("POST", "PATCH")]

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route(
                    "/repos/{owner}/{repo}/issues/{number:int}/comments",
                    self._issue_comments,
                    methods=["GET", "POST"],
                ),
                Route(
                    "/repos/{owner}/{repo}/issues/comments/{comment_id:int}",
                    self._comment,
                    methods=["PATCH"],
                ),
            ]
        )

    def _refuse(self, request: Request) -> Response | None:
        self.requests.append((request.method, request.url.path))
        if request.headers.get("authorization") != f"Bearer {self.token}":
            self.unauthorised += 1
            return JSONResponse({"message": "Bad credentials"}, status_code=401)
        if f"{request.path_params['owner']}/{request.path_params['repo']}" != REPOSITORY:
            return JSONResponse({"message": "Not Found"}, status_code=404)
        if self.read_only and request.method != "GET":
            return JSONResponse(
                {"message": "Resource not accessible by integration"}, status_code=403
            )
        return None

    async def _issue_comments(self, request: Request) -> Response:
        refused = self._refuse(request)
        if refused is not None:
            return refused
        number = request.path_params["number"]
        if request.method == "POST":
            body = (await request.json())["body"]
            return JSONResponse(self._public(self.add(number, body, "github-actions[bot]")), 201)
        per_page = min(int(request.query_params.get("per_page", "30")), 100)
        page = int(request.query_params.get("page", "1"))
        mine = self.on(number)
        chunk = mine[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(mine):
            following = str(request.url.include_query_params(page=page + 1, per_page=per_page))
            if self.link_base:
                following = self.link_base + following.split(str(request.base_url).rstrip("/"))[1]
            headers["Link"] = f'<{following}>; rel="next"'
        return JSONResponse([self._public(c) for c in chunk], headers=headers)

    async def _comment(self, request: Request) -> Response:
        refused = self._refuse(request)
        if refused is not None:
            return refused
        wanted = request.path_params["comment_id"]
        for comment in self.comments:
            if comment["id"] == wanted:
                comment["body"] = (await request.json())["body"]
                return JSONResponse(self._public(comment))
        return JSONResponse({"message": "Not Found"}, status_code=404)

    @staticmethod
    def _public(comment: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in comment.items() if k != "issue"}


@pytest.fixture
def github() -> FakeGitHub:
    return FakeGitHub()


@pytest.fixture
def github_url(github: FakeGitHub) -> Iterator[str]:
    with running_server(github.app()) as url:
        yield url


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A private copy of the examples (project file and manifests), safe to edit."""
    shutil.copytree(EXAMPLES, tmp_path / "config", ignore=shutil.ignore_patterns("github"))
    return tmp_path / "config"


@dataclass
class ActionRun:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    outputs_text: str
    summary: str


@dataclass
class Runner:
    """Runs the action's step like the runner does, each time with fresh output files."""

    workspace: Path
    actito_url: str
    actito_key: str
    github_url: str
    count: int = 0
    secrets: tuple[str, ...] = ()

    def __call__(
        self,
        *,
        event: str = "pull_request",
        payload: dict[str, Any] | None = None,
        **inputs: str,
    ) -> ActionRun:
        self.count += 1
        run_dir = self.workspace / f"run{self.count}"
        run_dir.mkdir()
        output_file = run_dir / "output"
        summary_file = run_dir / "summary"
        output_file.touch()
        summary_file.touch()
        event_file = run_dir / "event.json"
        event_file.write_text(json.dumps(payload or pull_request_event()))
        base = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("ACTITO_", "GITHUB_", "INPUT_", "RUNNER_"))
        }
        env = {
            **base,
            "NO_COLOR": "1",
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_STEP_SUMMARY": str(summary_file),
            "GITHUB_EVENT_NAME": event,
            "GITHUB_EVENT_PATH": str(event_file),
            "GITHUB_REPOSITORY": REPOSITORY,
            "GITHUB_API_URL": self.github_url,
            "GITHUB_SERVER_URL": "https://github.example",
            "GITHUB_RUN_ID": "4242",
            "ACTITO_API_URL": self.actito_url,
            "ACTITO_API_KEY": self.actito_key,
            "INPUT_GITHUB_TOKEN": TOKEN,
            "INPUT_COMMENT": "true",
            "INPUT_WORKING_DIRECTORY": "config",
        }
        for name, value in inputs.items():
            env[f"INPUT_{name.upper()}"] = value
        result = subprocess.run(
            [sys.executable, "-m", "actito_iac.github", "run"],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        outputs_text = output_file.read_text()
        summary = summary_file.read_text()
        run = ActionRun(
            result.returncode,
            result.stdout,
            result.stderr,
            parse_outputs(outputs_text),
            outputs_text,
            summary,
        )
        self._check_no_secret(run)
        return run

    def _check_no_secret(self, run: ActionRun) -> None:
        """Neither the GitHub token nor the ACTITO key appears in anything the run wrote."""
        written = [run.stdout, run.stderr, run.outputs_text, run.summary]
        files = self.workspace.rglob("*")
        written += [p.read_text() for p in files if p.suffix in (".json", ".md")]
        for secret in (TOKEN, self.actito_key):
            for text in written:
                assert secret not in text


def pull_request_event(
    number: int = PR_NUMBER, head_repo: str = REPOSITORY, sha: str = HEAD_SHA
) -> dict[str, Any]:
    return {
        "action": "synchronize",
        "number": number,
        "pull_request": {
            "number": number,
            "head": {"sha": sha, "repo": {"full_name": head_repo}},
            "base": {"repo": {"full_name": REPOSITORY}},
        },
    }


def parse_outputs(text: str) -> dict[str, str]:
    """Read a `$GITHUB_OUTPUT` file the way the runner does (`name=value`, `name<<DELIM`).

    Fails on a value left unterminated or an output written twice.
    """
    outputs: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value_lines = []
            while True:
                assert index < len(lines), f"output {name} never ends"
                if lines[index] == delimiter:
                    index += 1
                    break
                value_lines.append(lines[index])
                index += 1
            value = "\n".join(value_lines)
        else:
            name, value = line.split("=", 1)
        assert name not in outputs, f"output {name} written twice"
        outputs[name] = value
    return outputs


@pytest.fixture
def run_action(tmp_path: Path, config: Path, licence: Any, served: str, github_url: str) -> Runner:
    """The examples' seed on a served emulator, the fake GitHub, and the examples in
    `<workspace>/config` (the default working-directory of these runs)."""
    licence.seed(EXAMPLES / "emulator-seed.yaml")
    return Runner(tmp_path, served, licence.api_key, github_url)
