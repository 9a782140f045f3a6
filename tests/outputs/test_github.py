"""Workflow-command annotations (format, escaping, the per-step cap) and the job summary."""

from __future__ import annotations

from pathlib import Path

from actito_iac.errors import Diagnostic, Severity, SourceLocation
from actito_iac.render.github import Annotations, append_step_summary, workflow_command


def error(message: str, file: str = "m.yaml", line: int = 3, col: int = 5) -> Diagnostic:
    return Diagnostic(Severity.ERROR, message, SourceLocation(file, line, col))


def test_an_error_with_its_place_and_field() -> None:
    diagnostic = Diagnostic(
        Severity.ERROR, "unknown field", SourceLocation("manifests/b2c/orders.yaml", 12, 5), "x[0]"
    )

    assert workflow_command(diagnostic) == (
        "::error file=manifests/b2c/orders.yaml,line=12,col=5,title=actito-iac::x[0]: unknown field"
    )


def test_a_warning_without_a_line_and_a_diagnostic_without_a_file() -> None:
    warning = Diagnostic(Severity.WARNING, "empty file", SourceLocation("a.yaml"))

    assert workflow_command(warning) == "::warning file=a.yaml,title=actito-iac::empty file"
    assert workflow_command(Diagnostic(Severity.ERROR, "boom")) == "::error title=actito-iac::boom"


def test_message_and_properties_are_escaped() -> None:
    diagnostic = error("100% wrong\r\nsecond line: a, b", file="dir,odd:name%.yaml")

    assert workflow_command(diagnostic) == (
        "::error file=dir%2Codd%3Aname%25.yaml,line=3,col=5,title=actito-iac"
        "::100%25 wrong%0D%0Asecond line: a, b"
    )


def test_ten_errors_and_ten_warnings_per_step_then_a_count() -> None:
    budget = Annotations()
    errors = [error(f"e{i}") for i in range(12)]
    warnings = [Diagnostic(Severity.WARNING, f"w{i}") for i in range(3)]

    first = budget.lines(errors[:4] + warnings)
    second = budget.lines(errors[4:])

    assert sum(line.startswith("::error") for line in first + second) == 10
    assert sum(line.startswith("::warning") for line in first) == 3
    assert second[-1].startswith("2 more error(s) not annotated")
    assert all("e10" not in line and "e11" not in line for line in second)


def test_the_step_summary_is_appended_only_when_set(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")

    made: list[str] = []

    def markdown() -> str:
        made.append("# plan")
        return "# plan"

    assert not append_step_summary({}, markdown)
    assert made == []  # no summary to append to: the Markdown is not even made
    assert append_step_summary({"GITHUB_STEP_SUMMARY": str(summary)}, markdown)
    assert summary.read_text() == "earlier step\n# plan\n"
