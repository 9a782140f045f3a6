"""The action's pieces on their own: outputs file, workflow commands, caps, inputs, the comment
client against the fake GitHub API (over loopback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from actito_iac.github import outputs as outputs_module
from actito_iac.github.comment import (
    COMMENT_LIMIT,
    TRUNCATED_NOTE,
    CommentError,
    StickyComment,
    cap_body,
    marker_for,
    marker_of,
)
from actito_iac.github.inputs import InputError, pull_request, read_inputs
from actito_iac.github.outputs import command, format_outputs

from .conftest import PR_NUMBER, REPOSITORY, TOKEN, FakeGitHub, parse_outputs, pull_request_event


def test_outputs_use_the_multiline_form_and_survive_hostile_values() -> None:
    values = {
        "plan-file": "/tmp/plan.json",
        "markdown": "line one\nhas-changes=false\n\nlast",
        "empty": "",
    }
    text = format_outputs(values)
    assert parse_outputs(text) == values
    assert all("<<ghadelimiter_" in line for line in text.splitlines()[::1] if "<<" in line)


def test_a_delimiter_found_in_the_value_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = iter(["aaaa", "bbbb"])
    monkeypatch.setattr(outputs_module.secrets, "token_hex", lambda n: next(tokens))
    value = "x\nghadelimiter_aaaa\ny"
    text = format_outputs({"name": value})
    assert text.startswith("name<<ghadelimiter_bbbb\n")
    assert parse_outputs(text) == {"name": value}


@pytest.mark.parametrize("name", ["", "a<<b", "a=b", "a\nb"])
def test_invalid_output_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="invalid output name"):
        format_outputs({name: "v"})


def test_workflow_commands_escape_newlines_and_percent() -> None:
    line = command("warning", "50% done\n::error::injected", "a: b, c")
    assert line == "::warning title=a%3A b%2C c::50%25 done%0A::error::injected"
    assert "\n" not in line


def test_cap_body_keeps_short_bodies() -> None:
    assert cap_body("short") == "short"
    exact = "x" * COMMENT_LIMIT
    assert cap_body(exact) == exact


def test_cap_body_cuts_at_a_line_and_closes_what_was_open() -> None:
    head = "<!-- actito-iac-plan:prod -->\n<details><summary>all</summary>\n\n```diff\n"
    body = head + "".join(f"+ line {i}\n" for i in range(20_000))
    capped = cap_body(body)
    assert len(capped) <= COMMENT_LIMIT
    assert capped.startswith("<!-- actito-iac-plan:prod -->\n")
    assert capped.endswith(TRUNCATED_NOTE)
    before_note = capped[: -len(TRUNCATED_NOTE)]
    assert before_note.endswith("\n```\n</details>")
    assert before_note.count("```") == 2
    kept = before_note.removesuffix("\n```\n</details>")
    assert kept.endswith(tuple(f"+ line {i}" for i in range(20_000)))  # whole lines only


def test_cap_body_honours_a_smaller_limit() -> None:
    assert len(cap_body("a\n" * 50_000, 10_000)) <= 10_000


def test_markers() -> None:
    assert marker_for("production") == "<!-- actito-iac-plan:production -->"
    odd = marker_for("a b-->c\nd")  # the CLI's own marker: it cannot close early
    assert odd.count("-->") == 1
    assert "\n" not in odd
    assert marker_of(odd + "\n## Plan") == odd
    assert marker_of("<!-- actito-iac-plan:staging -->\n## Plan") == (
        "<!-- actito-iac-plan:staging -->"
    )
    assert marker_of("## Plan\n<!-- actito-iac-plan:staging -->") is None
    assert marker_of("") is None


def sticky_client(url: str, token: str = TOKEN, number: int = PR_NUMBER) -> StickyComment:
    return StickyComment(url, token, REPOSITORY, number)


def test_the_oldest_marker_comment_is_found_across_pages(
    github: FakeGitHub, github_url: str
) -> None:
    marker = marker_for("production")
    for i in range(230):
        github.add(PR_NUMBER, f"comment {i}")
    github.add(PR_NUMBER, f"{marker}\nfirst")
    github.add(PR_NUMBER, f"{marker}\nsecond")
    github.add(PR_NUMBER + 1, f"{marker}\nother pull request")
    with sticky_client(github_url) as client:
        found = client.find(marker)
    assert found is not None
    assert found["body"].endswith("first")
    assert [m for m, _ in github.requests] == ["GET", "GET", "GET"]


def test_upsert_creates_updates_and_skips_an_identical_body(
    github: FakeGitHub, github_url: str
) -> None:
    marker = marker_for("staging")
    with sticky_client(github_url) as client:
        created = client.upsert(marker, f"{marker}\none")
        updated = client.upsert(marker, f"{marker}\ntwo")
        unchanged = client.upsert(marker, f"{marker}\ntwo")
    assert (created.action, updated.action, unchanged.action) == ("created", "updated", "unchanged")
    assert created.comment_id == updated.comment_id == unchanged.comment_id
    assert [m for m, _ in github.writes()] == ["POST", "PATCH"]
    assert github.on()[0]["body"] == f"{marker}\ntwo"


def test_upsert_without_create_touches_nothing_new(github: FakeGitHub, github_url: str) -> None:
    with sticky_client(github_url) as client:
        assert client.upsert(marker_for("x"), "body", create=False).action == "absent"
    assert github.writes() == []


def test_upsert_caps_the_body(github: FakeGitHub, github_url: str) -> None:
    marker = marker_for("x")
    with sticky_client(github_url) as client:
        client.upsert(marker, marker + "\n" + "word " * 40_000)
    assert len(github.on()[0]["body"]) <= COMMENT_LIMIT


def test_errors_carry_the_status_and_never_the_token(github: FakeGitHub, github_url: str) -> None:
    with (
        sticky_client(github_url, token="ghs_wrong_token_1234") as client,
        pytest.raises(CommentError) as raised,
    ):
        client.upsert(marker_for("x"), "body")
    assert raised.value.status == 401
    assert "Bad credentials" in str(raised.value)
    assert "ghs_wrong_token_1234" not in str(raised.value)
    github.read_only = True
    with sticky_client(github_url) as client, pytest.raises(CommentError) as forbidden:
        client.upsert(marker_for("x"), "body")
    assert forbidden.value.status == 403
    assert "not accessible" in str(forbidden.value)


def test_a_next_page_elsewhere_is_not_followed(github: FakeGitHub, github_url: str) -> None:
    # The token goes to the configured API only, whatever a Link header says.
    github.link_base = "http://127.0.0.2:1"
    for i in range(150):
        github.add(PR_NUMBER, f"comment {i}")
    with sticky_client(github_url) as client, pytest.raises(CommentError, match="outside"):
        client.find(marker_for("x"))
    assert len(github.requests) == 1


def test_an_unreachable_api_is_a_comment_error() -> None:
    with sticky_client("http://127.0.0.1:9") as client, pytest.raises(CommentError) as raised:
        client.find(marker_for("x"))
    assert raised.value.status == 0


def env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {f"INPUT_{k.upper()}": v for k, v in values.items()} | {
        "GITHUB_REPOSITORY": REPOSITORY,
        "GITHUB_RUN_ID": "9",
        "GITHUB_OUTPUT": str(tmp_path / "out"),
    }


def test_input_defaults(tmp_path: Path) -> None:
    inputs = read_inputs(env(tmp_path), tmp_path)
    assert inputs.command == "plan"
    assert inputs.comment is True
    assert inputs.plan_file == ""
    assert inputs.fail_on_manual is False
    assert inputs.working_directory == tmp_path / "."
    assert inputs.api_url == "https://api.github.com"
    assert inputs.run_url == f"https://github.com/{REPOSITORY}/actions/runs/9"


def test_fail_on_manual_is_true_or_false(tmp_path: Path) -> None:
    assert read_inputs(env(tmp_path, fail_on_manual="true"), tmp_path).fail_on_manual is True
    with pytest.raises(InputError, match="fail-on-manual must be true or false, not 'sometimes'"):
        read_inputs(env(tmp_path, fail_on_manual="sometimes"), tmp_path)


def test_inputs_split_extra_args_and_hide_the_token(tmp_path: Path) -> None:
    inputs = read_inputs(
        env(tmp_path, extra_args="--target 'B2C/customTable/My Table' --x", github_token=TOKEN),
        tmp_path,
    )
    assert inputs.extra_args == ("--target", "B2C/customTable/My Table", "--x")
    assert TOKEN not in repr(inputs)
    assert TOKEN not in str(inputs)


def test_the_pull_request_comes_from_the_event_file(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps(pull_request_event(head_repo="someone/fork")))
    inputs = read_inputs(env(tmp_path) | {"GITHUB_EVENT_PATH": str(event)}, tmp_path)
    pr = pull_request(inputs)
    assert (pr.number, pr.repository, pr.from_fork) == (PR_NUMBER, REPOSITORY, True)
    event.write_text(json.dumps({"pull_request": {"number": "7; rm -rf /"}}))
    with pytest.raises(InputError, match="not a number"):
        pull_request(inputs)
    event.write_text("{}")
    with pytest.raises(InputError, match="no pull request number"):
        pull_request(inputs)


def test_a_repository_that_is_not_owner_name_is_refused(tmp_path: Path) -> None:
    inputs = read_inputs(env(tmp_path) | {"GITHUB_REPOSITORY": "../../evil"}, tmp_path)
    with pytest.raises(InputError, match="owner/name"):
        pull_request(inputs)
