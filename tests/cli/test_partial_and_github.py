"""--target / --exclude through the command, warnings, and what a run inside GitHub Actions adds."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from actito_iac import exit_codes
from actito_iac.cli import _main
from actito_iac.exit_codes import ALL
from actito_iac.render.markdown import render_markdown

from .conftest import ROOT, no_traceback, run


def created(result: Any) -> list[str]:
    return [
        c["address_text"] for c in json.loads(result.stdout)["changes"] if c["action"] == "create"
    ]


def test_a_target_plans_its_dependencies_and_nothing_else(live: dict[str, str]) -> None:
    result = run("plan", "--format", "json", "--target", "customTable/Stores", env=live)
    chain = run("plan", "--format", "json", "--target", "B2C/customTable/OrderLines", env=live)

    assert created(result) == ["B2C/customTable/Stores"]
    names = created(chain)
    assert "B2C/customTable/LoyaltyEvents" not in names
    assert names.index("B2C/customTable/Orders") < names.index("B2C/customTable/OrderLines")
    assert {"B2C/customTable/Stores", "B2C/customTable/Orders"} <= set(names)
    document = json.loads(chain.stdout)
    assert document["selection"] == {
        "targets": ["B2C/customTable/OrderLines"],
        "excludes": [],
        "prune": [],
    }
    assert document["summary"]["unmanaged"] == 0  # not selected


def test_a_targeted_apply_then_a_saved_plan_keep_their_selection(
    live: dict[str, str], config: Path
) -> None:
    first = run("apply", "--auto-approve", "--target", "customTable/Stores", cwd=config, env=live)
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.count("✓ done") == 1

    saved = run(
        "plan", "--out", "p.json", "--exclude", "customTable/LoyaltyEvents", cwd=config, env=live
    )
    assert saved.returncode == 0, saved.stderr
    applied = run("apply", "p.json", cwd=config, env=live)

    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "LoyaltyEvents" not in applied.stdout
    left = run("plan", "--format", "json", cwd=config, env=live)
    assert created(left) == ["B2C/customTable/LoyaltyEvents"]


def test_unknown_targets_and_excluded_dependencies_are_refused(
    live: dict[str, str], licence: Any
) -> None:
    before = licence.store.dump()

    unknown = run("apply", "--auto-approve", "--target", "customTable/Nope", env=live)
    needed = run(
        "apply",
        "--auto-approve",
        "--target",
        "customTable/Orders",
        "--exclude",
        "customTable/Stores",
        env=live,
    )

    assert unknown.returncode == needed.returncode == exit_codes.ERROR
    assert "--target customTable/Nope: no such object" in unknown.stderr
    assert "--exclude customTable/Stores: customTable/Orders depends on it" in needed.stderr
    assert licence.store.dump() == before
    no_traceback(needed)


def test_inside_github_actions_problems_become_annotations(config: Path) -> None:
    (config / "manifests" / "empty.yaml").write_text("")
    (config / "manifests" / "bad.yaml").write_text(
        "entity: B2C\ncustomTables:\n  - name: T\n    primaryKey: k\n    atributes: []\n"
    )

    plain = run("validate", cwd=config)
    annotated = run("validate", cwd=config, env={"GITHUB_ACTIONS": "true"})

    assert "::error" not in plain.stderr
    assert "manifests/empty.yaml: warning: no YAML document" in plain.stderr
    assert annotated.returncode == exit_codes.ERROR
    assert (
        "::error file=manifests/bad.yaml,line=5,col=5,title=actito-iac::customTables[0].atributes"
        in annotated.stderr
    )
    assert "::warning file=manifests/empty.yaml,title=actito-iac::" in annotated.stderr
    assert annotated.stdout == ""  # stdout stays data


def test_warnings_are_printed_by_plan_and_the_summary_is_appended(
    live: dict[str, str], config: Path, tmp_path: Path
) -> None:
    (config / "manifests" / "empty.yaml").write_text("")
    summary = tmp_path / "summary.md"
    github = {**live, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}

    result = run("plan", "--format", "json", cwd=config, env=github)

    assert result.returncode == 0, result.stderr
    json.loads(result.stdout)  # annotations and warnings never mix into the data
    assert "no YAML document in this file" in result.stderr
    assert summary.read_text().startswith("<!-- actito-iac-plan:local -->\n")


def test_the_summary_is_written_as_markdown_only_when_there_is_one_to_append_to(
    live: dict[str, str],
    config: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # In this process, to count the renderings: a plan of ten thousand creates takes a second
    # to write as Markdown, which a run with no step summary would throw away.
    made: list[str] = []

    def counted(*args: Any, **kwargs: Any) -> str:
        made.append("summary")
        return render_markdown(*args, **kwargs)

    monkeypatch.setattr("actito_iac.runs.render_markdown", counted)
    for name, value in {**live, "NO_COLOR": "1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(config)

    assert _main(["plan"]) == exit_codes.OK
    assert made == []
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert _main(["plan"]) == exit_codes.OK
    assert made == ["summary"]
    assert summary.read_text().startswith("<!-- actito-iac-plan:local -->\n")
    assert "Plan:" in capsys.readouterr().out


def test_the_readme_documents_every_exit_code() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = re.findall(r"^\| (\d+) \|", readme, flags=re.MULTILINE)

    assert sorted(int(code) for code in table) == sorted(ALL.values())
    defined = {k: v for k, v in vars(exit_codes).items() if k.isupper() and isinstance(v, int)}
    assert defined == ALL
