"""Whatever the input, loading ends in a Desired or a ManifestError: never a traceback."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from actito_iac.errors import ManifestError
from actito_iac.manifest.desired import Desired
from actito_iac.manifest.loader import load
from actito_iac.manifest.project import load_project

from .conftest import ORDERS

KEYS = st.sampled_from(
    [
        "entity", "customTables", "name", "type", "primaryKey", "creationTime", "bigTable",
        "attributes", "valueType", "mandatory", "unique", "indexed", "minLength", "maxLength",
        "acceptedValues", "manifests", "environments", "apiUrl", "apiKeyEnv", "apiKey", "<<",
    ]
)  # fmt: skip
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.sampled_from(["B2C", "Orders", "STRING", "TIMESTAMP", "id", "${env:X}", "$${", "1-2-3"])
    | st.text(max_size=12)
)
TREES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(KEYS | st.text(max_size=6), inner, max_size=5)
    ),
    max_leaves=30,
)
YAML_CHARS = st.sampled_from(list(":-[]{},&*!|>'\"#%@`?\n\t ") + list("abcB2C01"))
EXAMPLES = settings(
    max_examples=150,
    deadline=None,
    # the autouse cwd fixture is harmless here: each example writes its own temporary folder
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def dump(tree: Any) -> str:
    out = io.StringIO()
    YAML(typ="safe", pure=True).dump(tree, out)
    return out.getvalue()


def load_text(text: str) -> Desired | ManifestError:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            return load([path], {"X": "value"})
        except ManifestError as error:
            failed = error
    assert failed.diagnostics, "a ManifestError always says why"
    return failed


@EXAMPLES
@given(TREES)
def test_any_yaml_structure(tree: Any) -> None:
    load_text(dump({"entity": "B2C", "customTables": tree}))
    load_text(dump(tree))


@EXAMPLES
@given(st.text(YAML_CHARS, max_size=80))
def test_any_yaml_ish_text(text: str) -> None:
    load_text(text)


@EXAMPLES
@given(st.integers(0, len(ORDERS)), st.integers(0, 12), st.text(YAML_CHARS, max_size=6))
def test_a_damaged_manifest(start: int, cut: int, insert: str) -> None:
    load_text(ORDERS[:start] + insert + ORDERS[start + cut :])


@EXAMPLES
@given(TREES)
def test_any_project_file(tree: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "actito-iac.yaml"
        path.write_text(dump(tree), encoding="utf-8")
        try:
            load_project(path)
            return
        except ManifestError as error:
            failed = error
    assert failed.diagnostics, "a ManifestError always says why"
