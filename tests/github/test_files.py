"""The GitHub files: action.yml, the workflows and the pre-commit hook parse, and agree with
the Python (inputs passed, outputs produced, no input interpolated into a script)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from actito_iac.github.inputs import INPUT_ENV, RUNNER_ENV
from actito_iac.github.outputs import OUTPUT_NAMES

from .conftest import parse_outputs

ROOT = Path(__file__).parents[2]
ACTION = ROOT / "action.yml"
CI = ROOT / ".github" / "workflows" / "ci.yml"
EXAMPLES = sorted((ROOT / "examples" / "github").glob("*.yml"))
WORKFLOWS = [CI, *EXAMPLES]
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)

GITHUB_DEFAULT_ENV = {
    # Set by the runner on every step (GitHub's "default environment variables").
    "GITHUB_OUTPUT",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_EVENT_NAME",
    "GITHUB_EVENT_PATH",
    "GITHUB_REPOSITORY",
    "GITHUB_API_URL",
    "GITHUB_SERVER_URL",
    "GITHUB_RUN_ID",
    "GITHUB_ACTIONS",
    "GITHUB_WORKSPACE",
    "RUNNER_TEMP",
}


def load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text())


def expressions(node: Any) -> list[str]:
    """Every `${{ … }}` expression in a parsed YAML tree (keys excluded)."""
    if isinstance(node, dict):
        return [e for value in node.values() for e in expressions(value)]
    if isinstance(node, list):
        return [e for item in node for e in expressions(item)]
    if isinstance(node, str):
        return [m.strip() for m in EXPRESSION.findall(node)]
    return []


def run_scripts(steps: list[dict[str, Any]]) -> list[str]:
    return [step["run"] for step in steps if "run" in step]


@pytest.fixture(scope="module")
def action() -> Any:
    return load(ACTION)


def test_action_inputs_are_those_the_python_reads_plus_the_version(action: Any) -> None:
    assert set(action["inputs"]) == set(INPUT_ENV) | {"version"}
    assert action["inputs"]["command"]["default"] == "plan"
    assert action["inputs"]["comment"]["default"] == "true"
    assert action["inputs"]["github-token"]["default"] == "${{ github.token }}"
    assert action["inputs"]["version"]["default"] == ""


def test_every_input_used_in_action_yml_is_declared(action: Any) -> None:
    used = {
        m.group(1)
        for e in expressions(action)
        for m in re.finditer(r"\binputs\.([A-Za-z0-9_-]+)", e)
    }
    assert used <= set(action["inputs"])
    assert used == set(action["inputs"])  # and none is declared for nothing


def test_the_run_step_passes_every_input_through_env(action: Any) -> None:
    steps = action["runs"]["steps"]
    assert action["runs"]["using"] == "composite"
    [run] = [s for s in steps if s.get("id") == "run"]
    assert "-m actito_iac.github run" in run["run"]
    for name, variable in INPUT_ENV.items():
        assert run["env"][variable] == f"${{{{ inputs.{name} }}}}"


def test_no_script_interpolates_an_expression(action: Any) -> None:
    # Injection safety: values reach scripts through env:, never pasted into the script text.
    for path, document in [(ACTION, action), *[(p, load(p)) for p in WORKFLOWS]]:
        steps = (
            document["runs"]["steps"]
            if "runs" in document
            else [s for job in document["jobs"].values() for s in job["steps"]]
        )
        for script in run_scripts(steps):
            assert "${{" not in script, path.name


def test_composite_run_steps_declare_their_shell(action: Any) -> None:
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"


def test_action_outputs_are_exactly_what_the_python_writes(action: Any) -> None:
    assert set(action["outputs"]) == set(OUTPUT_NAMES)
    for name, spec in action["outputs"].items():
        assert spec["value"] == f"${{{{ steps.run.outputs.{name} }}}}"


def test_the_python_reads_only_passed_or_default_variables() -> None:
    package = ROOT / "actito_iac" / "github"
    source = "\n".join(p.read_text() for p in package.glob("*.py"))
    assert "getenv" not in source
    literal = set(re.findall(r"environ(?:\.get\(|\[)\s*\"([A-Z0-9_]+)\"", source))
    assert literal <= set(RUNNER_ENV)
    assert set(RUNNER_ENV) <= GITHUB_DEFAULT_ENV
    # Anything else is read through INPUT_ENV, all passed by the run step (test above).
    indirect = re.findall(r"environ(?:\.get\(|\[)\s*([A-Za-z_][\w\[\]\"-]*)", source)
    assert indirect
    assert all(i.startswith("INPUT_ENV[") for i in indirect), indirect


def action_steps(document: Any) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for job_id, job in document["jobs"].items():
        for step in job["steps"]:
            uses = step.get("uses", "")
            if uses == "./" or re.fullmatch(r"[\w.-]+/actito-iac@[\w.-]+", uses):
                found.append((job_id, step))
    return found


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_use_the_action_with_declared_inputs_and_outputs(path: Path, action: Any) -> None:
    document = load(path)
    assert "on" in document
    assert "permissions" in document  # least privilege, stated
    assert "pull_request_target" not in document["on"]
    uses = action_steps(document)
    if path != CI:
        assert uses, "an example that does not use the action"
    ids = {(job, step.get("id")) for job, step in uses}
    for _, step in uses:
        assert set(step.get("with", {})) <= set(action["inputs"]), step
    for job_id, job in document["jobs"].items():
        for e in expressions(job):
            for step_id, output in re.findall(r"steps\.([\w-]+)\.outputs\.([\w-]+)", e):
                if (job_id, step_id) in ids:
                    assert output in OUTPUT_NAMES, (path.name, output)
                else:
                    assert any(s.get("id") == step_id for s in job["steps"]), (path.name, step_id)


def test_ci_runs_make_test_and_cancels_superseded_runs() -> None:
    ci = load(CI)
    assert set(ci["on"]) == {"push", "pull_request"}
    assert ci["permissions"] == {"contents": "read"}
    assert ci["concurrency"]["cancel-in-progress"] is True
    scripts = run_scripts(ci["jobs"]["test"]["steps"])
    assert any("make test" in s for s in scripts)
    python = [s for s in ci["jobs"]["test"]["steps"] if "setup-python" in s.get("uses", "")]
    assert python[0]["with"]["python-version"] == "${{ matrix.python }}"
    assert "3.11" in ci["jobs"]["test"]["strategy"]["matrix"]["python"]


def examples() -> dict[str, Any]:
    return {p.name: load(p) for p in EXAMPLES}


def test_the_three_examples_exist() -> None:
    assert set(examples()) == {
        "plan-on-pull-request.yml",
        "apply-on-merge.yml",
        "drift-nightly.yml",
    }


def test_plan_on_pull_request_comments_with_least_privilege() -> None:
    plan = examples()["plan-on-pull-request.yml"]
    assert set(plan["on"]) == {"pull_request"}
    assert plan["permissions"] == {"contents": "read", "pull-requests": "write"}
    steps = plan["jobs"]["plan"]["steps"]
    assert any("upload-artifact" in s.get("uses", "") for s in steps)
    [(_, step)] = action_steps(plan)
    assert step["with"]["command"] == "plan"


def test_apply_on_merge_is_serialised_and_applies_the_saved_plan() -> None:
    apply = examples()["apply-on-merge.yml"]
    assert apply["on"]["push"]["branches"] == ["main"]
    assert apply["concurrency"]["cancel-in-progress"] is False
    assert apply["jobs"]["production"]["environment"] == "production"
    for job_id in ("staging", "production"):
        steps = {
            step["with"]["command"]: step for job, step in action_steps(apply) if job == job_id
        }
        assert steps["apply"]["with"]["plan-file"] == "${{ steps.plan.outputs.plan-file }}"
        assert steps["plan"]["id"] == "plan"


def test_drift_runs_nightly_and_may_write_issues() -> None:
    drift = examples()["drift-nightly.yml"]
    assert "schedule" in drift["on"]
    assert drift["permissions"] == {"contents": "read", "issues": "write"}


def test_pre_commit_hook_is_the_documented_offline_validate() -> None:
    [hook] = load(ROOT / ".pre-commit-hooks.yaml")
    assert hook["id"] == "actito-iac-validate"
    assert hook["entry"] == "actito-iac validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["require_serial"] is True
    files = re.compile(hook["files"])
    assert files.search("manifests/b2c/orders.yaml")
    assert files.search("actito-iac.yml")
    assert not files.search("plan.json")
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert hook["entry"].split()[0] in scripts


FAKE_PYTHON = """#!/usr/bin/env bash
# Stands in for the interpreter: `-m venv DIR` makes DIR/bin/python a copy of this script,
# anything else is recorded, one argument a line.
if [ "$1" = -m ] && [ "$2" = venv ]; then
  mkdir -p "$3/bin" && cp "$0" "$3/bin/python" && exit 0
fi
printf '%s\\n' "$@" > "$RECORD"
"""


@pytest.mark.parametrize(
    ("version", "spec"),
    [
        ("", "{action_path}"),
        ("0.2.0", "actito-iac==0.2.0"),
        ("1.0.0rc1", "actito-iac==1.0.0rc1"),
        ("actito-iac>=0.1,<0.2", "actito-iac>=0.1,<0.2"),
        ("--index-url=https://evil.example", "--index-url=https://evil.example"),
        ("$(touch pwned); `touch pwned`", "$(touch pwned); `touch pwned`"),
    ],
)
def test_the_install_step_passes_the_version_as_one_requirement(
    action: Any, tmp_path: Path, version: str, spec: str
) -> None:
    [install] = [s for s in action["runs"]["steps"] if s.get("id") == "install"]
    fake = tmp_path / "python"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    output = tmp_path / "output"
    output.touch()
    env = {
        "PATH": os.environ["PATH"],
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_OUTPUT": str(output),
        "RECORD": str(tmp_path / "record"),
        "BASE_PYTHON": str(fake),
        "VERSION": version,
        "ACTION_PATH": str(tmp_path / "action"),
    }
    assert set(install["env"]) == {"BASE_PYTHON", "VERSION", "ACTION_PATH"}
    subprocess.run(["bash", "-c", install["run"]], env=env, cwd=tmp_path, check=True, timeout=30)
    argv = (tmp_path / "record").read_text().splitlines()
    assert argv[:3] == ["-m", "pip", "install"]
    assert argv[-2:] == ["--", spec.format(action_path=tmp_path / "action")]
    venv_python = tmp_path / "actito-iac-venv" / "bin" / "python"
    assert parse_outputs(output.read_text()) == {"python": str(venv_python)}
    assert not (tmp_path / "pwned").exists()


def test_the_run_step_script_runs_the_module(action: Any, tmp_path: Path) -> None:
    [run] = [s for s in action["runs"]["steps"] if s.get("id") == "run"]
    output = tmp_path / "output"
    output.touch()
    env = {
        "PATH": os.environ["PATH"],
        "ACTITO_IAC_PYTHON": sys.executable,
        "GITHUB_OUTPUT": str(output),
        "INPUT_COMMAND": "no-such-command",
    }
    result = subprocess.run(
        ["bash", "-c", run["run"]],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "command must be one of" in result.stdout
    assert parse_outputs(output.read_text())["exit-code"] == "1"
