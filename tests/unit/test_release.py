"""Releases: one version, tags the README and examples quote that the release workflow makes,
the licence and changelog in place, and every declared dependency used."""

from __future__ import annotations

import ast
import fnmatch
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from actito_iac import __version__
from actito_iac.scaffold import PRE_COMMIT_TEXT

ROOT = Path(__file__).parents[2]
RELEASE = ROOT / ".github" / "workflows" / "release.yml"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def release() -> dict[str, object]:
    loaded = YAML(typ="safe").load(RELEASE.read_text())
    assert isinstance(loaded, dict)
    return loaded


def tag_patterns() -> list[str]:
    on = release()["on"]
    assert isinstance(on, dict)
    patterns = on["push"]["tags"]
    assert patterns == ["v*.*.*"]
    return list(patterns)


def moved_major_tag(version: str) -> str | None:
    """The major tag the workflow moves along: from 1.0.0 on (see release.yml)."""
    major = version.split(".")[0]
    return f"v{major}" if major != "0" else None


def quoted_refs() -> dict[str, list[str]]:
    """Every tag a user is told to use: action refs and pre-commit revs."""
    texts = {
        "README.md": (ROOT / "README.md").read_text(),
        **{
            str(p.relative_to(ROOT)): p.read_text()
            for p in sorted((ROOT / "examples").rglob("*"))
            if p.suffix in (".yml", ".yaml", ".md")
        },
        "init's .pre-commit-config.yaml": PRE_COMMIT_TEXT,
    }
    found: dict[str, list[str]] = {}
    for name, text in texts.items():
        refs = re.findall(r"/actito-iac@([^\s#]+)", text)
        refs += re.findall(r"^\s*rev:\s*([^\s#]+)", text, re.M)
        if refs:
            found[name] = refs
    return found


def test_the_version_comes_from_one_place() -> None:
    assert "version" in PYPROJECT["project"]["dynamic"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "actito_iac/__init__.py"
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_every_quoted_tag_is_one_the_release_workflow_makes() -> None:
    patterns = tag_patterns()
    refs = quoted_refs()
    assert "README.md" in refs
    assert any(name.startswith("examples/github/") for name in refs)
    for name, quoted in refs.items():
        for ref in quoted:
            made = any(fnmatch.fnmatchcase(ref, p) for p in patterns) or ref == moved_major_tag(
                __version__
            )
            assert made, f"{name} quotes {ref}, which no release makes"
            # …and the current release, so that what the README says works today.
            assert ref in (f"v{__version__}", moved_major_tag(__version__)), (name, ref)


def test_the_release_builds_checks_and_attaches_without_interpolating() -> None:
    document = release()
    assert document["permissions"] == {"contents": "read"}
    jobs = document["jobs"]
    assert isinstance(jobs, dict)
    build = "\n".join(s.get("run", "") for s in jobs["build"]["steps"])
    assert "python -m build" in build
    assert "python scripts/check_release.py dist" in build
    assert "scripts/release_notes.py" in build
    publish = jobs["publish"]
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"contents": "write"}
    scripts = [s["run"] for job in jobs.values() for s in job["steps"] if "run" in s]
    assert any("gh release create" in s for s in scripts)
    for script in scripts:
        assert "${{" not in script  # values reach scripts through env: only


def test_licence_and_changelog_are_at_the_root() -> None:
    licence = (ROOT / "LICENSE").read_text()
    assert licence.startswith("MIT License")
    assert "actito-iac contributors" in licence
    assert PYPROJECT["project"]["license"] == "MIT"
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "Keep a Changelog" in changelog
    assert "## [Unreleased]" in changelog or f"## [{__version__}]" in changelog


def test_release_notes_are_the_versions_changelog_section(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from release_notes import section
    finally:
        sys.path.pop(0)
    text = "# Changelog\n\n## [1.1.0] - 2027-01-02\n\n### Added\n\n- B\n\n## [1.0.0]\n\n- A\n"
    assert section(text, "1.1.0") == "### Added\n\n- B\n"
    assert section(text, "1.0.0") == "- A\n"
    assert section(text, "0.9.0") is None
    refused = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "release_notes.py"), "v99.0.0"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 1
    assert "no section for 99.0.0" in refused.stderr


def imported_modules() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "actito_iac").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_declared_runtime_dependency_is_imported() -> None:
    declared = {
        normalise(re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0])
        for requirement in PYPROJECT["project"]["dependencies"]
    }
    providers = packages_distributions()
    used = {normalise(d) for module in imported_modules() for d in providers.get(module, [])}
    assert declared <= used, f"declared but never imported: {sorted(declared - used)}"
    assert "deepdiff" not in declared


@pytest.mark.slow
def test_the_built_wheel_and_sdist_carry_the_licence_and_install(tmp_path: Path) -> None:
    """What the release workflow does, on this checkout: build, then check_release.py."""
    dist = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    checked = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_release.py"), str(dist)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert f"actito-iac {__version__}: the wheel and the sdist check out" in checked.stdout
