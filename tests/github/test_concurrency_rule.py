"""The CI rule for concurrent applies (README, "Interrupted and concurrent applies"): every
job of the example workflows that applies to an environment runs in the concurrency group
`actito-iac-apply-<environment>` with `cancel-in-progress: false`, so no two jobs of any
workflow change one licence at once and none is cancelled half way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples" / "github").glob("*.yml"))


def load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def applies(step: dict[str, Any]) -> bool:
    """A step that runs `apply`: the action with `command: apply`, or the command itself."""
    uses = str(step.get("uses", ""))
    if "actito-iac" in uses or uses.startswith("./"):
        return (step.get("with") or {}).get("command") == "apply"
    return "actito-iac apply" in str(step.get("run", "")) or "actito_iac apply" in str(
        step.get("run", "")
    )


def environment_of(job: dict[str, Any]) -> str | None:
    environment = job.get("environment")
    return environment.get("name") if isinstance(environment, dict) else environment


def broken_rule(workflow: dict[str, Any]) -> list[str]:
    """The jobs of a workflow that apply outside the rule, each with why."""
    problems = []
    for job_id, job in (workflow.get("jobs") or {}).items():
        if not any(applies(step) for step in job.get("steps") or []):
            continue
        environment = environment_of(job)
        concurrency = job.get("concurrency")
        if environment is None:
            problems.append(f"{job_id}: applies without an environment")
        elif not isinstance(concurrency, dict):
            problems.append(f"{job_id}: applies without a job concurrency group")
        elif concurrency.get("group") != f"actito-iac-apply-{environment}":
            problems.append(f"{job_id}: group is not actito-iac-apply-{environment}")
        elif concurrency.get("cancel-in-progress") is not False:
            problems.append(f"{job_id}: an apply in progress could be cancelled")
    return problems


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_workflow_follows_the_rule(path: Path) -> None:
    assert broken_rule(load(path)) == []


def test_the_rule_is_exercised() -> None:
    applying = [
        job_id
        for path in EXAMPLES
        for job_id, job in load(path)["jobs"].items()
        if any(applies(step) for step in job.get("steps") or [])
    ]
    assert sorted(applying) == ["production", "staging"]


def job(**fields: Any) -> dict[str, Any]:
    steps = [{"uses": "OWNER/actito-iac@v1", "with": {"command": "apply"}}]
    return {"jobs": {"deploy": {"runs-on": "ubuntu-latest", "steps": steps, **fields}}}


@pytest.mark.parametrize(
    ("workflow", "words"),
    [
        (job(environment="production"), "without a job concurrency group"),
        (job(), "without an environment"),
        (
            job(environment="production", concurrency={"group": "deploy"}),
            "group is not actito-iac-apply-production",
        ),
        (
            job(
                environment={"name": "production"},
                concurrency={"group": "actito-iac-apply-production", "cancel-in-progress": True},
            ),
            "could be cancelled",
        ),
        (
            job(
                environment="staging",
                concurrency={"group": "actito-iac-apply-staging"},
            ),
            "could be cancelled",
        ),
    ],
)
def test_the_check_finds_a_job_that_breaks_the_rule(workflow: dict[str, Any], words: str) -> None:
    [problem] = broken_rule(workflow)
    assert words in problem


def test_a_run_step_that_applies_counts_too() -> None:
    workflow = {"jobs": {"j": {"environment": "e", "steps": [{"run": "actito-iac apply p.json"}]}}}
    assert broken_rule(workflow) == ["j: applies without a job concurrency group"]
