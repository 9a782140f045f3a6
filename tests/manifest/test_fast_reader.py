"""The fast reader (libyaml) means what the round-trip reader means: wherever it does not give
up, it gives the same plain values and the same places, and it gives up on every spelling whose
meaning it does not vouch for."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.resolver import implicit_resolvers

from actito_iac.errors import ManifestError
from actito_iac.manifest import fast, loader, reader
from actito_iac.manifest.fast import RESOLVERS_1_2, available, fast_documents
from actito_iac.manifest.loader import load
from actito_iac.manifest.locate import locate
from actito_iac.manifest.plain import to_plain
from actito_iac.manifest.substitute import sources

from .test_fuzz import TREES, YAML_CHARS

ROOT = Path(__file__).resolve().parents[2]
KNOWN = sources({"X": "value", "N": "12"}, {"SIZE": 8}, environment="test")
pytestmark = pytest.mark.skipif(not available(), reason="PyYAML without libyaml")

sys.path.insert(0, str(ROOT / "benchmarks"))
from licence import Licence, write_manifests  # noqa: E402


def slow(text: str) -> list[tuple[Any, Any]]:
    """(plain value, tree) of each document, as the round-trip reader gives them."""
    documents, problems = reader.parse(text, "m.yaml")
    assert not [p for p in problems if p.severity.value == "error"]
    out = []
    for tree in documents:
        value, diagnostics = to_plain(tree, "m.yaml", KNOWN)
        assert not diagnostics
        out.append((value, tree))
    return out


def same_meaning(text: str) -> bool:
    """Assert both readers agree wherever the fast one answers; whether it answered."""
    fast = fast_documents(text, KNOWN)
    if fast is None:
        return False
    expected = slow(text)
    assert [d.value for d in fast] == [value for value, _ in expected]
    assert [type(d.value) for d in fast] == [type(value) for value, _ in expected]
    for document, (_, tree) in zip(fast, expected, strict=True):
        for loc, place in document.places.items():
            assert locate(tree, loc).position == place, loc
    return True


def test_the_resolvers_are_ruamels_for_yaml_1_2() -> None:
    theirs = [(tag, regexp.pattern) for versions, tag, regexp, _ in implicit_resolvers
              if (1, 2) in versions and not tag.endswith(":yaml")]  # fmt: skip
    assert [(tag, pattern) for tag, pattern in RESOLVERS_1_2] == theirs


def manifest_files() -> list[Path]:
    found = [*ROOT.glob("examples/**/*.yaml"), *ROOT.glob("tests/scenarios/*/manifests/**/*.yaml")]
    return sorted(p for p in found if "github" not in p.parts)


@pytest.mark.parametrize("code", range(0x80))
def test_the_quick_text_check_lets_through_only_what_the_full_one_would(code: int) -> None:
    """Text the one-character-class scan passes is never text the full check gives up on."""
    char = chr(code)
    for text in (char, f"a{char}", f"a\n{char}b", f" {char}{char}", f"[{char}]"):
        if not fast._PLAIN_TEXT.search(text):
            assert not fast._UNSURE.search(text), repr(text)


@pytest.mark.parametrize("path", manifest_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_manifest_of_the_repository_reads_the_same(path: Path) -> None:
    same_meaning(path.read_text(encoding="utf-8"))


def test_the_benchmark_manifests_are_read_fast_and_the_same(tmp_path: Path) -> None:
    write_manifests(Licence(20, "drift"), tmp_path)
    assert all(same_meaning(p.read_text()) for p in sorted(tmp_path.rglob("*.yaml")))


VALUES = [
    "plain", "'quoted'", '"double"', "12", "-3", "+4", "0", "1.5", "-0.25", "2e3", "1.5e-3",
    "true", "False", "TRUE", "null", "~", "Null", "", "yes", "no", "on", "off", "y", "n",
    "'12'", '"true"', "'null'", "'a: b'", "'${env:X}'", "x${env:X}y", "$${env:X}", "'${var:SIZE}'",
    "|\n  block\n  text", ">\n  folded\n  text", "[a, 1, true, null]", "{a: 1, b: [x]}",
    "B2C", "1-2-3", "12:30", "0.0.1", "'it''s'", '"tab\\there"', "x # comment",
]  # fmt: skip
GIVES_UP = [
    "0x1F", "0o17", "017", "1_000", "0b101", ".inf", "-.inf", ".nan", "1.", ".5", "2020-01-01",
    "2001-12-14t21:59:43.10-05:00", "!!str 12", "!!int '3'", "&a x", "*a", "<<", "=",
    '"\\ud83d\\ude00"', '"\\u00e9"', "1e999", "'${env:MISSING}'", "${nothing}",
]  # fmt: skip


@pytest.mark.parametrize("value", VALUES)
def test_a_value_reads_the_same(value: str) -> None:
    indented = value.replace("\n", "\n    ")
    text = f"entity: B2C\ncustomTables:\n  - name: T\n    v: {indented}\n    w: [{{k: 1}}]\n"
    assert same_meaning(text)


@pytest.mark.parametrize("value", GIVES_UP)
def test_the_fast_reader_gives_up_on(value: str) -> None:
    text = f"entity: B2C\ncustomTables:\n  - name: T\n    v: {value}\n"
    assert fast_documents(text, KNOWN) is None


@pytest.mark.parametrize(
    "text",
    [
        "%YAML 1.1\n---\nentity: B2C\n",  # 1.1 reads `yes` as true
        "entity: B2C\nentity: B2B\n",  # a repeated key
        "entity: B2C\n1: x\n",  # a key that is not text
        "entity: B2C\ncustomTables: [\n",  # a syntax error
        "- entity: B2C\n",  # not a mapping
        "entity: B2C\nname: \x85x\x07\n",  # a character the round-trip reader refuses
        "---\n",  # an empty document (the round-trip reader warns)
    ],
)
def test_the_fast_reader_gives_up_on_files_with_something_to_say(text: str) -> None:
    assert fast_documents(text, KNOWN) is None


def dump(tree: Any, flow: bool) -> str:
    out = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = flow
    yaml.dump(tree, out)
    return out.getvalue()


@settings(max_examples=300, deadline=None)
@given(TREES, st.booleans())
def test_any_structure_reads_the_same(tree: Any, flow: bool) -> None:
    same_meaning(dump({"entity": "B2C", "customTables": tree}, flow))


@settings(max_examples=300, deadline=None)
@given(st.text(YAML_CHARS, max_size=80))
def test_any_yaml_ish_text_reads_the_same(text: str) -> None:
    try:
        same_meaning(text)
    except AssertionError:
        raise
    except Exception:  # the round-trip reader has something to say: the fast one gave up
        assert fast_documents(text, KNOWN) is None


def test_a_file_without_problems_never_reaches_the_round_trip_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_manifests(Licence(3), tmp_path)

    def refuse(text: str, shown: str) -> Any:
        raise AssertionError(f"{shown} was read by the round-trip reader")

    monkeypatch.setattr(loader, "parse", refuse)
    desired = load([tmp_path], {})
    assert [o.address.name for o in desired.objects] == ["T00000", "T00001", "T00002", "P000"]
    assert desired.objects[0].location.line == 3  # the item, as the other reader places it


def test_a_file_with_a_problem_is_reported_by_the_round_trip_reader(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(
        "entity: B2C\ncustomTables:\n  - name: T\n    primaryKey: id\n    attributes:\n"
        "      - {name: id, valueType: STRING, mandatory: true, unique: true}\n"
        "      - {name: x, valueType: STRNG}\n"
    )
    with pytest.raises(ManifestError) as error:
        load([tmp_path / "m.yaml"], {})
    (problem,) = error.value.diagnostics
    assert (problem.location.line, problem.location.column) == (7, 30)
    assert problem.field == "customTables[0].attributes[1].valueType"


def test_a_reference_read_fast_is_placed_at_its_own_line_when_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "m.yaml").write_text(
        "entity: B2C\ncustomTables:\n  - name: Orders\n    primaryKey: id\n    attributes:\n"
        "      - {name: id, valueType: STRING, mandatory: true, unique: true}\n"
        "    events:\n      - name: shipped\n        scenario: shippingConfirmation\n"
        "        rules: [{operation: CREATE}]\n"
    )
    parsed: list[str] = []
    round_trip = loader.parse

    def counted(text: str, shown: str) -> Any:
        parsed.append(shown)
        return round_trip(text, shown)

    monkeypatch.setattr(loader, "parse", counted)
    (orders,) = load([tmp_path / "m.yaml"], {}).objects
    assert parsed == []  # read fast: no position below the object was kept
    places = [orders.place(at) for at in orders.places]
    assert places, "the trigger's reference has a place"
    assert {(p.line, p.column) for p in places} == {(9, 19)}  # its own line, found when asked
    assert orders.location.line == 3


def test_a_text_read_before_means_the_same_and_references_are_resolved_each_time() -> None:
    """Plain texts are remembered with their value; one holding `${…}` never is (its value
    depends on the environment), and a quoted text stays text."""
    first = sources({"X": "one"}, {}, environment="test")
    second = sources({"X": "two"}, {}, environment="test")
    text = "a: ${env:X}\nb: true\nc: 'true'\nd: 40\ne: STRING\n"
    for known, expected in ((first, "one"), (second, "two"), (first, "one")):
        documents = fast_documents(text, known)
        assert documents is not None
        assert documents[0].value == {"a": expected, "b": True, "c": "true", "d": 40, "e": "STRING"}
