"""`validate --format json`: one versioned document of diagnostics; exit codes as for people."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run

BROKEN = (
    "entity: B2C\n"
    "customTables:\n"
    "  - name: T\n"
    "    primaryKey: k\n"
    "    atributes: []\n"
    "    attributes:\n"
    "      - {name: k, valueType: LONGG, mandatory: true, unique: true}\n"
)
KEYS = {"file", "line", "column", "path", "severity", "message"}


def document(stdout: str) -> dict[str, object]:
    parsed = json.loads(stdout)
    assert isinstance(parsed, dict)
    assert parsed["format_version"] == "1.0"
    return parsed


def test_valid_manifests_give_an_empty_list_and_exit_0() -> None:
    result = run("validate", "--format", "json")
    assert result.returncode == 0, result.stderr
    parsed = document(result.stdout)
    assert parsed["valid"] is True
    assert parsed["diagnostics"] == []
    assert parsed["checked"] == {"files": 8, "entities": 1, "objects": 15}


def test_each_problem_has_its_file_line_column_and_path(config: Path) -> None:
    (config / "manifests" / "b2c" / "orders.yaml").write_text(BROKEN)
    result = run("validate", "--format", "json", cwd=config)
    assert result.returncode == 1
    parsed = document(result.stdout)
    assert parsed["valid"] is False
    assert parsed["summary"] == {"errors": 2, "warnings": 0}
    first, second = parsed["diagnostics"]
    assert set(first) == KEYS
    assert first["file"] == "manifests/b2c/orders.yaml"
    assert (first["line"], first["column"]) == (5, 5)
    assert first["path"] == "customTables[0].atributes"
    assert first["severity"] == "error"
    assert "did you mean 'attributes'?" in first["message"]
    assert (second["line"], second["column"], second["path"]) == (
        7,
        30,
        "customTables[0].attributes[0].valueType",
    )
    assert "manifests/b2c/orders.yaml:5:5" in result.stderr  # people still read stderr


def test_warnings_are_listed_on_a_valid_run(config: Path) -> None:
    (config / "manifests" / "empty.yaml").write_text("# nothing yet\n")
    result = run("validate", "--format", "json", cwd=config)
    assert result.returncode == 0
    parsed = document(result.stdout)
    assert parsed["valid"] is True
    [warning] = parsed["diagnostics"]
    assert warning["severity"] == "warning"
    assert warning["file"] == "manifests/empty.yaml"


def test_a_problem_without_a_place_has_null_coordinates() -> None:
    result = run("validate", "--format", "json", "--env", "nowhere")
    assert result.returncode == 1
    [problem] = document(result.stdout)["diagnostics"]
    assert problem["file"] is None
    assert problem["line"] is None
    assert "unknown environment 'nowhere'" in problem["message"]
