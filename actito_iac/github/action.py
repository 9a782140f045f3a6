"""`python -m actito_iac.github run`: the composite action's one step.

Runs the CLI as a subprocess (the same interpreter, `-m actito_iac`), so the action behaves
exactly like the command a user runs locally, exit codes included:

- validate: `validate [--env ENV] EXTRA…` (the environment chooses the `${var:…}` values)
- plan:     `plan --detailed-exitcode --out PLAN [--env ENV] EXTRA…`, then `show PLAN --format
            json` (outputs) and `--format markdown` (the pull-request comment and a .md file)
- apply:    `apply PLAN --format json [--fail-on-manual] [--env ENV] EXTRA…` when `plan-file`
            is given (exactly the saved plan), else `apply --auto-approve --format json …` (plan
            and apply in one go); the result document gives `manual-steps`, and each step still
            to do in the ACTITO UI becomes a warning annotation

Then it writes the step outputs and, for a plan on a `pull_request` event, the sticky comment.
The step fails only on errors: exit 2 (changes pending) is a successful plan.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from actito_iac import __version__, exit_codes
from actito_iac.errors import ActitoIacError
from actito_iac.github.comment import (
    COMMENT_LIMIT,
    CommentError,
    StickyComment,
    cap_body,
    marker_for,
    marker_of,
)
from actito_iac.github.inputs import (
    DEFAULT_PLAN_FILE,
    INPUT_ENV,
    ActionInputs,
    InputError,
    pull_request,
    read_inputs,
)
from actito_iac.github.outputs import OUTPUT_NAMES, error, warning, write_outputs
from actito_iac.manifest.project import NO_ENVIRONMENT, find_project, load_project

COUNTED = (
    "create",
    "update",
    "replace",
    "delete",
    "blocked",
    "manual",
    "unmanaged",
    "destructive",
)
"""Summary counts of the plan JSON exposed as outputs of the same name."""


class ShowError(Exception):
    """`show` could not render the saved plan."""


def run(environ: Mapping[str, str], cwd: Path, log: TextIO = sys.stdout) -> int:
    """Run the action; returns the step's exit status (0 unless the CLI reported an error)."""
    outputs = dict.fromkeys(OUTPUT_NAMES, "")
    try:
        inputs = read_inputs(environ, cwd)
    except InputError as exc:
        error(str(exc), log)
        outputs["exit-code"] = str(exit_codes.ERROR)
        output_file = environ.get("GITHUB_OUTPUT", "")
        write_outputs(Path(output_file) if output_file else None, outputs, log)
        return exit_codes.ERROR
    runner = _Runner(inputs, environ, log)
    if inputs.command == "validate":
        code = runner.cli(["validate", *runner.env_args(), *inputs.extra_args])
    elif inputs.command == "plan":
        code = _plan(runner, outputs)
    else:
        code = _apply(runner, outputs)
    outputs["exit-code"] = str(code)
    write_outputs(inputs.output_file, outputs, log)
    if inputs.command == "plan" and code == exit_codes.CHANGES_PENDING:
        return exit_codes.OK
    return code


class _Runner:
    """The CLI as a subprocess, with an environment stripped of the action's inputs."""

    def __init__(self, inputs: ActionInputs, environ: Mapping[str, str], log: TextIO) -> None:
        self.inputs = inputs
        self.log = log
        # The inputs (the GitHub token above all) are the action's business, not the CLI's.
        self._env = {k: v for k, v in environ.items() if k not in INPUT_ENV.values()}

    def cli(self, args: Sequence[str]) -> int:
        """Run a command with its output going straight to the job log."""
        return self._run(args, self._env, stdout=None, stderr=None).returncode

    def cli_result(self, args: Sequence[str]) -> tuple[int, str]:
        """Run a command whose stdout is a JSON result: captured; stderr (the plan, each
        outcome) goes straight to the job log."""
        completed = self._run(args, self._env, stdout=subprocess.PIPE, stderr=None)
        return completed.returncode, completed.stdout

    def show(self, plan_file: Path | str, fmt: str) -> str:
        """Render a saved plan; captured, and kept out of the job summary (plan wrote it)."""
        env = {k: v for k, v in self._env.items() if k != "GITHUB_STEP_SUMMARY"}
        args = ["show", str(plan_file), "--format", fmt]
        completed = self._run(args, env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if completed.returncode != exit_codes.OK:
            self.log.write(completed.stderr)
            raise ShowError(f"show --format {fmt} exited {completed.returncode}")
        return completed.stdout

    def _run(
        self, args: Sequence[str], env: Mapping[str, str], *, stdout: int | None, stderr: int | None
    ) -> subprocess.CompletedProcess[str]:
        """Our own CLI on this interpreter, from the working directory, reading nothing; what
        is not captured goes to the job log, after what the action wrote so far."""
        self.log.flush()
        return subprocess.run(  # noqa: S603 - our own interpreter and CLI, an argv list
            [sys.executable, "-m", "actito_iac", *args],
            cwd=self.inputs.working_directory,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            text=True,
            encoding="utf-8",
            check=False,
        )

    def plan_document(self, plan_file: Path | str) -> dict[str, Any]:
        try:
            document = json.loads(self.show(plan_file, "json"))
        except ValueError as exc:
            raise ShowError(f"show --format json printed no JSON: {exc}") from None
        if not isinstance(document, dict) or not isinstance(document.get("summary"), dict):
            raise ShowError("show --format json printed no plan summary")
        return document

    def env_args(self) -> list[str]:
        return ["--env", self.inputs.environment] if self.inputs.environment else []


def _plan(runner: _Runner, outputs: MutableMapping[str, str]) -> int:
    inputs = runner.inputs
    # The CLI gets the path as given: its Markdown names it where the plan is truncated, and
    # the name the user chose (the artifact's file) means more to a reviewer than a runner path.
    given = inputs.plan_file or DEFAULT_PLAN_FILE
    plan_file = _resolve(inputs, given)
    markdown_file = _markdown_path(plan_file)
    # A file left by an earlier run must never pass for this run's plan (or be uploaded).
    for stale in (plan_file, markdown_file):
        stale.unlink(missing_ok=True)
    code = runner.cli(
        [
            "plan",
            "--detailed-exitcode",
            "--out",
            given,
            *runner.env_args(),
            *inputs.extra_args,
        ]
    )
    markdown: str | None = None
    if code in (exit_codes.OK, exit_codes.CHANGES_PENDING):
        try:
            document = runner.plan_document(given)
            markdown = runner.show(given, "markdown")
        except ShowError as exc:
            error(f"the saved plan could not be read back: {exc}", runner.log)
            code = exit_codes.ERROR
        else:
            markdown_file.write_text(markdown, encoding="utf-8")
            _fill(outputs, document, code)
            outputs["plan-file"] = str(plan_file)
            outputs["markdown-file"] = str(markdown_file)
            runner.log.write(_one_line(outputs) + "\n")
    _comment(runner, markdown, code)
    return code


def _apply(runner: _Runner, outputs: MutableMapping[str, str]) -> int:
    inputs = runner.inputs
    # The result document counts the manual steps left; --fail-on-manual makes them fail.
    result = ["--format", "json", *(["--fail-on-manual"] if inputs.fail_on_manual else [])]
    if not inputs.plan_file:
        args = ["apply", "--auto-approve", *result, *runner.env_args(), *inputs.extra_args]
        return _applied(runner, args, outputs)
    plan_file = _resolve(inputs, inputs.plan_file)
    if not plan_file.is_file():
        error(
            f"no saved plan at {plan_file}: run the action with command: plan (same job) "
            "first, or leave plan-file empty to plan and apply in one go",
            runner.log,
        )
        return exit_codes.ERROR
    outputs["plan-file"] = str(plan_file)
    try:
        _fill(outputs, runner.plan_document(plan_file), None)
    except ShowError as exc:  # apply itself decides whether the file is usable
        warning(f"the saved plan's counts are not available: {exc}", runner.log)
    # --env, when given, makes apply refuse a plan saved for another environment (exit 4).
    args = ["apply", str(plan_file), *result, *runner.env_args(), *inputs.extra_args]
    return _applied(runner, args, outputs)


def _applied(runner: _Runner, args: list[str], outputs: MutableMapping[str, str]) -> int:
    """Run apply; count and annotate the manual steps its result lists as still to do."""
    code, stdout = runner.cli_result(args)
    try:
        document = json.loads(stdout) if stdout.strip() else None
    except ValueError:
        document = None  # a refused apply prints no result: its errors are in the log
    if isinstance(document, dict) and isinstance(document.get("manual_steps"), list):
        steps = [s for s in document["manual_steps"] if isinstance(s, dict)]
        outputs["manual-steps"] = str(len(steps))
        for step in steps:
            warning(f"manual step for {step.get('address_text')}: {step.get('step')}", runner.log)
        runner.log.write(f"actito-iac: manual-steps={len(steps)}\n")
    return code


def _fill(outputs: MutableMapping[str, str], document: Mapping[str, Any], code: int | None) -> None:
    summary = document["summary"]
    for name in COUNTED:
        value = summary.get(name, 0)
        outputs[name] = str(value) if isinstance(value, int) else "0"
    steps = summary.get("manual_steps")  # plan format 1.3 and later
    if isinstance(steps, int) and not isinstance(steps, bool):
        outputs["manual-steps"] = str(steps)
    has_changes = document.get("has_changes")
    if not isinstance(has_changes, bool):
        has_changes = code == exit_codes.CHANGES_PENDING
    outputs["has-changes"] = "true" if has_changes else "false"


def _one_line(outputs: Mapping[str, str]) -> str:
    counts = ", ".join(f"{name} {outputs[name]}" for name in COUNTED)
    return f"actito-iac: has-changes={outputs['has-changes']} ({counts})"


def _resolve(inputs: ActionInputs, path: str) -> Path:
    return (inputs.working_directory / path).resolve()


def _markdown_path(plan_file: Path) -> Path:
    if plan_file.suffix == ".json":
        return plan_file.with_suffix(".md")
    return plan_file.with_name(plan_file.name + ".md")


def _comment(runner: _Runner, markdown: str | None, code: int) -> None:
    """Post or update the sticky comment of a `pull_request` plan; never fails the step.

    A failed plan creates no comment, but rewrites an existing one: a reviewer must not read the
    previous commit's plan as the current one.
    """
    inputs, log = runner.inputs, runner.log
    if not (inputs.comment and inputs.event_name == "pull_request"):
        return
    if not inputs.github_token:
        warning("github-token is empty: the plan is not posted on the pull request", log)
        return
    try:
        pr = pull_request(inputs)
    except InputError as exc:
        warning(f"the plan is not posted on the pull request: {exc}", log)
        return
    footer = _footer(inputs, pr.head_sha)
    if markdown is not None:
        marker = marker_of(markdown)
        if marker is None:  # a Markdown without its marker still gets one sticky comment
            marker = marker_for(_environment_name(inputs) or NO_ENVIRONMENT)
            markdown = f"{marker}\n{markdown}"
        body = cap_body(markdown, COMMENT_LIMIT - len(footer)) + footer
        create = True
    else:
        environment = _environment_name(inputs)
        if environment is None:
            return
        marker = marker_for(environment)
        body = _failure_body(marker, environment, code, inputs.run_url) + footer
        create = False
    try:
        with StickyComment(inputs.api_url, inputs.github_token, pr.repository, pr.number) as pc:
            posted = pc.upsert(marker, body, create=create)
    except CommentError as exc:
        if exc.status in (403, 404):
            fork = " (a pull request from a fork gets a read-only token)" if pr.from_fork else ""
            warning(
                f"cannot comment on pull request #{pr.number}{fork}: {exc}. The plan is in the "
                "job summary; the workflow needs `permissions: pull-requests: write` to comment.",
                log,
            )
        else:
            warning(f"the plan could not be posted on pull request #{pr.number}: {exc}", log)
        return
    if posted.action != "absent":
        log.write(f"Pull request comment {posted.action}: {posted.url}\n")
        log.flush()


def _footer(inputs: ActionInputs, head_sha: str) -> str:
    parts = [f"actito-iac {__version__}"]
    if head_sha:
        parts.append(f"commit `{head_sha[:7]}`")
    if inputs.run_url:
        parts.append(f"[workflow run]({inputs.run_url})")
    return "\n\n---\n<sub>" + " · ".join(parts) + "</sub>\n"


def _failure_body(marker: str, environment: str, code: int, run_url: str) -> str:
    where = f"the [run's log]({run_url})" if run_url else "the run's log"
    return (
        f"{marker}\n### ❌ actito-iac plan failed (environment `{environment}`)\n\n"
        f"The latest run could not make a plan (exit code {code}), so the plan this comment "
        f"showed before is out of date. The errors are in {where}."
    )


def _environment_name(inputs: ActionInputs) -> str | None:
    """The environment a plan's marker names, without a plan: the input, else the project's."""
    if inputs.environment:
        return inputs.environment
    project_file = _project_argument(inputs.extra_args)
    try:
        found = (
            inputs.working_directory / project_file
            if project_file
            else find_project(inputs.working_directory)
        )
        if found is None:
            return NO_ENVIRONMENT
        project = load_project(found)
    except (ActitoIacError, OSError):
        return None  # the project file is broken too: nothing names the comment
    if project.default_environment:
        return project.default_environment
    if len(project.environments) == 1:
        return next(iter(project.environments))
    return None if project.environments else NO_ENVIRONMENT


def _project_argument(args: Sequence[str]) -> str:
    for index, arg in enumerate(args):
        if arg == "--project" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--project="):
            return arg.split("=", 1)[1]
    return ""
