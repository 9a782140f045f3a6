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


# -- hostile values in an otherwise valid manifest ---------------------------------------------

HOSTILE = st.sampled_from(
    [
        "!!int abc", "!!int ''", "!!int", "!!float abc", "!!float ''", "!!bool maybe",
        "!!null x", "!!binary '@@@'", "!!timestamp x", "!!timestamp 2024-13-45", "!!set {a, b}",
        "!!omap [a: 1]", "!!python/object:os.system x", "!!python/name:os.system", "!foo bar",
        "!!str", "9" * 5000, "-" + "9" * 4400, "0x" + "f" * 5000, "0b" + "1" * 20000,
        "0o" + "7" * 6000, "1e400", "-1e-400", ".nan", "-.inf", "!!float nan", '"\\ud800"',
        '"a\\udfff\\ud800b"', '"\\ud83d\\ude00"', '"\\U0010FFFF"', '"\\x00"', '"\\e"', "~",
        "2024-01-01", "12:30:00", "1_000", "0o777", '"${env:NOPE}"', '"${secret:X}"',
        "'${var:}'", "'$${'", "[" * 40 + "]" * 40, "{a: 1, a: 2}", "&a [*a]", "*undefined",
        "{<<: {a: 1}}", "[1, [2, [3, [4]]]]", "'" + "x" * 70000 + "'", '"\\t\\r\\n"',
    ]
)  # fmt: skip
PLACES = [
    "ENTITY", "NAME", "TYPE", "KEY", "ATTRS", "ANAME", "VTYPE", "MAND", "MAX", "VALUES",
    "EXTRA",
]  # fmt: skip
TEMPLATE = """\
entity: {ENTITY}
customTables:
  - name: {NAME}
    type: {TYPE}
    primaryKey: {KEY}
    attributes: {ATTRS}
      - name: {ANAME}
        valueType: {VTYPE}
        mandatory: {MAND}
        maxLength: {MAX}
        acceptedValues: {VALUES}
    description: {EXTRA}
"""
DEFAULTS = {
    "ENTITY": "B2C", "NAME": "Orders", "TYPE": "INTERACTIONS", "KEY": "orderId", "ATTRS": "",
    "ANAME": "orderId", "VTYPE": "STRING", "MAND": "true", "MAX": "20", "VALUES": "[A, B]",
    "EXTRA": "fine",
}  # fmt: skip


@EXAMPLES
@given(st.dictionaries(st.sampled_from(PLACES), HOSTILE, min_size=1, max_size=3))
def test_hostile_values_anywhere_are_diagnostics(values: dict[str, str]) -> None:
    fields = {**DEFAULTS, **values}
    if fields["ATTRS"]:  # a value there makes the list below a syntax error: also fine
        fields["ATTRS"] = fields["ATTRS"].replace("\n", " ")
    outcome = load_text(TEMPLATE.format(**fields))
    if isinstance(outcome, ManifestError):
        for diagnostic in outcome.diagnostics:
            str(diagnostic).encode("utf-8")  # every message prints
            assert len(diagnostic.message) < 2000
    else:
        for found in outcome.objects:
            found.spec.model_dump_json()  # what loads can be sent


PROJECT_PLACES = ["MANIFESTS", "DEFAULT", "URL", "KEYENV", "VAR"]
PROJECT_TEMPLATE = """\
manifests: {MANIFESTS}
defaultEnvironment: {DEFAULT}
environments:
  local:
    apiUrl: {URL}
    apiKeyEnv: {KEYENV}
    variables: {{N: {VAR}}}
"""
PROJECT_DEFAULTS = {
    "MANIFESTS": "[manifests]", "DEFAULT": "local", "URL": "'http://127.0.0.1:8787'",
    "KEYENV": "ACTITO_API_KEY", "VAR": "8",
}  # fmt: skip


@EXAMPLES
@given(st.dictionaries(st.sampled_from(PROJECT_PLACES), HOSTILE, min_size=1, max_size=2))
def test_hostile_values_in_a_project_file_are_diagnostics(values: dict[str, str]) -> None:
    text = PROJECT_TEMPLATE.format(**{**PROJECT_DEFAULTS, **values})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "actito-iac.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_project(path)
            return
        except ManifestError as error:
            failed = error
    assert failed.diagnostics
    for diagnostic in failed.diagnostics:
        str(diagnostic).encode("utf-8")
