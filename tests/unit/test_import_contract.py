"""The planner, the renderers, the manifest loader and the kinds do no I/O: importing them must
not load the HTTP library or the API client (design: `plan/` imports no I/O; renderers do not
import the executor; a kind is data and rules, its endpoints are data the API client reads).
The vocabulary every stage speaks is a leaf. Checked in a fresh interpreter, where nothing
else has loaded them yet."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

PURE = ("actito_iac.plan", "actito_iac.render", "actito_iac.manifest", "actito_iac.kinds")
FORBIDDEN = ("httpx", "actito_iac.api", "actito_iac.apply", "actito_iac.live")

PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys
    packages = {packages!r}
    loaded = []
    for name in packages:
        package = importlib.import_module(name)
        loaded.append(name)
        for module in pkgutil.walk_packages(getattr(package, "__path__", []), name + "."):
            importlib.import_module(module.name)
            loaded.append(module.name)
    forbidden = {forbidden!r}
    found = sorted(
        m for m in sys.modules if any(m == f or m.startswith(f + ".") for f in forbidden)
    )
    project = sorted(m for m in sys.modules if m.startswith("actito_iac."))
    print(json.dumps({{"loaded": loaded, "forbidden": found, "project": project}}))
    """
)


def probe(packages: tuple[str, ...]) -> dict[str, list[str]]:
    code = PROBE.format(packages=packages, forbidden=FORBIDDEN)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    answer: dict[str, list[str]] = json.loads(result.stdout)
    return answer


@pytest.mark.parametrize("package", PURE)
def test_importing_a_pure_package_loads_no_http(package: str) -> None:
    answer = probe((package,))
    assert len(answer["loaded"]) > 1, "the probe imported no module of the package"
    assert answer["forbidden"] == []


def test_the_probe_sees_an_import_of_the_client() -> None:
    # The same probe on a package that does I/O must report it, or the test above proves nothing.
    answer = probe(("actito_iac.api",))
    assert "httpx" in answer["forbidden"]


@pytest.mark.parametrize(
    ("module", "project"),
    [
        # construct.py is the one module the vocabulary may import: a leaf too (its docstring).
        ("actito_iac.vocabulary", ["actito_iac.construct", "actito_iac.vocabulary"]),
        ("actito_iac.construct", ["actito_iac.construct"]),
    ],
)
def test_the_vocabulary_is_a_leaf(module: str, project: list[str]) -> None:
    assert probe((module,))["project"] == project


def test_the_probe_sees_a_module_of_the_project_loaded_by_another() -> None:
    # A module that imports others must show them, or the leaf test above proves nothing.
    assert "actito_iac.vocabulary" in probe(("actito_iac.kinds.base",))["project"]
