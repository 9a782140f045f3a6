"""The action's step, run as the runner runs it, against the emulator and a fake GitHub API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from actito_iac.github.action import COUNTED
from actito_iac.github.comment import COMMENT_LIMIT
from actito_iac.github.outputs import OUTPUT_NAMES

from .conftest import HEAD_SHA, PR_NUMBER, RUN_URL, FakeGitHub, Runner, pull_request_event

MARKER = "<!-- actito-iac-plan:local -->"
"""The examples' project file has defaultEnvironment: local."""


def sticky(github: FakeGitHub) -> list[dict[str, object]]:
    return [c for c in github.on() if str(c["body"]).startswith(MARKER)]


def test_plan_posts_one_sticky_comment_then_updates_it(
    run_action: Runner, github: FakeGitHub
) -> None:
    # A long thread (the marker comment lands on the second page), another pull request's
    # comments, and a reply quoting the marker, none of which may be taken for ours.
    for i in range(120):
        github.add(PR_NUMBER, f"review comment {i}")
    github.add(PR_NUMBER + 1, f"{MARKER}\nthe plan of another pull request")
    github.add(PR_NUMBER, f"> {MARKER}\n> quoted by a reviewer")

    first = run_action(command="plan")

    assert first.code == 0, first.stdout + first.stderr  # changes pending is not a failure
    assert set(first.outputs) == set(OUTPUT_NAMES)
    assert first.outputs["exit-code"] == "2"
    assert first.outputs["has-changes"] == "true"
    plan_file = Path(first.outputs["plan-file"])
    assert plan_file.name == "actito-iac-plan.json"
    summary = json.loads(plan_file.read_text())["summary"]
    assert summary["create"] > 0
    assert summary["unmanaged"] == 1  # the seed's LegacyCoupons
    for name in COUNTED:
        assert first.outputs[name] == str(summary[name]), name
    assert Path(first.outputs["markdown-file"]).read_text().startswith(MARKER)
    assert [m for m, _ in github.writes()] == ["POST"]
    [comment] = sticky(github)
    body = str(comment["body"])
    assert body.startswith(MARKER + "\n")
    assert "Orders" in body
    assert f"commit `{HEAD_SHA[:7]}`" in body
    assert RUN_URL in body
    # The job summary is the CLI's (plan appends it); the action adds no second copy.
    assert first.summary.count(MARKER) == 1

    second = run_action(command="plan", payload=pull_request_event(sha="fedcba9" + "0" * 33))

    assert second.code == 0, second.stdout + second.stderr
    assert [m for m, _ in github.writes()] == ["POST", "PATCH"]
    [again] = sticky(github)
    assert again["id"] == comment["id"]
    assert "commit `fedcba9`" in str(again["body"])
    assert len(github.on()) == 122
    assert github.unauthorised == 0  # the token was sent, as a bearer token


def test_saved_plan_applied_then_nothing_left(
    run_action: Runner, github: FakeGitHub, licence: Any
) -> None:
    plan = run_action(command="plan", event="push", plan_file="reviewed.json")
    assert plan.code == 0, plan.stdout + plan.stderr
    assert plan.outputs["has-changes"] == "true"
    assert plan.outputs["manual-steps"] == "4"  # the scenarios and the form

    apply = run_action(command="apply", event="push", plan_file=plan.outputs["plan-file"])

    assert apply.code == 0, apply.stdout + apply.stderr
    assert apply.outputs["exit-code"] == "0"
    assert apply.outputs["create"] == plan.outputs["create"]  # the plan that was applied
    # What is left to a person is counted and annotated, one warning a step.
    assert apply.outputs["manual-steps"] == "4"
    assert apply.stdout.count("::warning title=actito-iac::manual step for B2C/") == 4
    licence.design_examples_in_ui()
    after = run_action(command="plan", event="push")
    assert after.code == 0, after.stdout + after.stderr
    assert after.outputs["exit-code"] == "0"
    assert after.outputs["has-changes"] == "false"
    assert after.outputs["create"] == "0"
    assert after.outputs["manual-steps"] == "0"
    assert github.requests == []  # not a pull request: GitHub is never called


def test_a_plan_saved_for_another_environment_is_refused(run_action: Runner, licence: Any) -> None:
    plan = run_action(command="plan", event="push")
    before = licence.store.dump()
    apply = run_action(
        command="apply",
        event="push",
        environment="production",
        plan_file=plan.outputs["plan-file"],
    )
    assert apply.code == 4, apply.stdout + apply.stderr  # stale: not this environment's plan
    assert apply.outputs["exit-code"] == "4"
    assert licence.store.dump() == before


def test_a_destructive_saved_plan_is_refused_without_the_flag(
    run_action: Runner, config: Path
) -> None:
    assert run_action(command="apply", event="push").code == 0
    stores = config / "manifests" / "b2c" / "stores.yaml"
    text = stores.read_text()
    city = next(line for line in text.splitlines() if "name: city" in line)
    stores.write_text(text.replace(city + "\n", ""))
    plan = run_action(command="plan", event="push")
    assert plan.outputs["destructive"] == "1"
    refused = run_action(command="apply", event="push", plan_file=plan.outputs["plan-file"])
    assert refused.code == 3, refused.stdout + refused.stderr
    allowed = run_action(
        command="apply",
        event="push",
        plan_file=plan.outputs["plan-file"],
        extra_args="--allow-destructive",
    )
    assert allowed.code == 0, allowed.stdout + allowed.stderr


def test_apply_without_a_plan_file_plans_and_applies(run_action: Runner, licence: Any) -> None:
    apply = run_action(command="apply", event="push")
    assert apply.code == 0, apply.stdout + apply.stderr
    assert apply.outputs["exit-code"] == "0"
    assert apply.outputs["has-changes"] == ""  # no saved plan: nothing to count from
    assert apply.outputs["manual-steps"] == "4"  # from the apply's own result
    licence.design_examples_in_ui()
    after = run_action(command="plan", event="push")
    assert after.outputs["has-changes"] == "false"


def test_fail_on_manual_fails_the_step_until_a_person_has_done_the_steps(
    run_action: Runner, licence: Any
) -> None:
    first = run_action(command="apply", event="push", fail_on_manual="true")
    assert first.code == 5, first.stdout + first.stderr  # applied, but steps are left
    assert first.outputs["exit-code"] == "5"
    assert first.outputs["manual-steps"] == "4"
    assert "✓ done" in first.stdout + first.stderr  # the API's part was made all the same

    licence.design_examples_in_ui()
    again = run_action(command="apply", event="push", fail_on_manual="true")
    assert again.code == 0, again.stdout + again.stderr
    assert again.outputs["manual-steps"] == "0"


def test_a_missing_saved_plan_is_an_error(run_action: Runner) -> None:
    result = run_action(command="apply", event="push", plan_file="nowhere.json")
    assert result.code == 1
    assert "::error" in result.stdout
    assert "nowhere.json" in result.stdout
    assert result.outputs["exit-code"] == "1"


def test_a_broken_manifest_fails_without_posting(
    run_action: Runner, github: FakeGitHub, config: Path
) -> None:
    (config / "manifests" / "b2c" / "orders.yaml").write_text("entity: B2C\ncustomTables: [\n")

    result = run_action(command="plan")

    assert result.code == 1
    assert result.outputs["exit-code"] == "1"
    assert result.outputs["has-changes"] == ""
    assert result.outputs["plan-file"] == ""
    assert "orders.yaml" in result.stdout + result.stderr
    assert github.writes() == []
    assert github.on() == []


def test_a_failed_plan_rewrites_an_existing_comment_but_posts_no_new_one(
    run_action: Runner, github: FakeGitHub, config: Path
) -> None:
    assert run_action(command="plan").code == 0
    (config / "manifests" / "b2c" / "orders.yaml").write_text("entity: B2C\ncustomTables: [\n")

    failed = run_action(command="plan")

    assert failed.code == 1
    assert [m for m, _ in github.writes()] == ["POST", "PATCH"]
    [comment] = sticky(github)
    assert "plan failed" in str(comment["body"])
    assert "Orders" not in str(comment["body"])  # the stale plan is gone


def test_a_stale_plan_file_from_an_earlier_run_is_never_reported(
    run_action: Runner, config: Path
) -> None:
    (config / "actito-iac-plan.json").write_text('{"summary": {"create": 99}}')
    (config / "manifests" / "b2c" / "orders.yaml").write_text("entity: B2C\ncustomTables: [\n")
    result = run_action(command="plan")
    assert result.code == 1
    assert not (config / "actito-iac-plan.json").exists()


def test_a_read_only_token_warns_and_succeeds(run_action: Runner, github: FakeGitHub) -> None:
    github.read_only = True
    event = pull_request_event(head_repo="contributor/licences")

    result = run_action(command="plan", payload=event)

    assert result.code == 0, result.stdout + result.stderr
    assert result.outputs["has-changes"] == "true"
    warnings = [line for line in result.stdout.splitlines() if line.startswith("::warning")]
    assert len(warnings) == 1
    assert "403" in warnings[0]
    assert "fork" in warnings[0]
    assert github.on() == []


def test_no_comment_when_disabled_or_not_a_pull_request(
    run_action: Runner, github: FakeGitHub
) -> None:
    assert run_action(command="plan", comment="false").code == 0
    assert run_action(command="plan", event="push").code == 0
    assert github.requests == []


def test_validate_is_offline(run_action: Runner, github: FakeGitHub) -> None:
    result = run_action(command="validate")
    assert result.code == 0, result.stdout + result.stderr
    assert result.outputs["exit-code"] == "0"
    assert github.requests == []


def test_validate_takes_the_environment(run_action: Runner) -> None:
    result = run_action(command="validate", environment="nowhere")
    assert result.code == 1
    assert "nowhere" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"command": "destroy"}, "command must be one of"),
        ({"command": "plan", "comment": "maybe"}, "comment must be true or false"),
        ({"command": "plan", "extra_args": "--target 'unclosed"}, "extra-args"),
        ({"command": "plan", "working_directory": "missing"}, "working-directory"),
    ],
)
def test_bad_inputs_are_one_error(
    run_action: Runner, github: FakeGitHub, inputs: dict[str, str], message: str
) -> None:
    result = run_action(**inputs)
    assert result.code == 1
    assert result.stdout.startswith("::error")
    assert message in result.stdout
    assert result.outputs["exit-code"] == "1"
    assert github.requests == []


def test_extra_args_reach_the_command(run_action: Runner) -> None:
    result = run_action(command="plan", event="push", extra_args="--no-such-option")
    assert result.code == 1
    assert "no-such-option" in result.stderr


def write_large_manifest(config: Path, tables: int = 60, attributes: int = 40) -> None:
    """Enough new tables that the Markdown plan would pass GitHub's comment limit."""
    columns = "\n".join(
        f"      - {{name: attribute{i:02}WithALongEnoughName, valueType: STRING, "
        "indexed: true, maxLength: 200}"
        for i in range(attributes)
    )
    documents = "\n".join(
        f"  - name: Generated{t:03}\n    type: INTERACTIONS\n    primaryKey: key\n"
        "    attributes:\n"
        "      - {name: key, valueType: STRING, mandatory: true, unique: true}\n"
        f"{columns}"
        for t in range(tables)
    )
    (config / "manifests" / "b2c" / "generated.yaml").write_text(
        f"entity: B2C\ncustomTables:\n{documents}\n"
    )


def test_the_comment_of_a_plan_over_githubs_limit_is_capped(
    run_action: Runner, github: FakeGitHub, config: Path
) -> None:
    write_large_manifest(config)

    result = run_action(command="plan")

    assert result.code == 0, result.stdout + result.stderr
    assert int(result.outputs["create"]) > 60
    [comment] = sticky(github)
    body = str(comment["body"])
    assert len(body) <= COMMENT_LIMIT
    assert "truncated" in body  # the whole plan would not have fitted
    assert "`actito-iac-plan.json`" in body  # where it is, as the reviewer knows the file
    assert body.startswith(MARKER)
    assert body.rstrip().endswith("</sub>")  # the footer survives the cut
