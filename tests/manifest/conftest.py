"""Fixtures of the manifest tests: each test runs in its own empty folder (the cwd), so file
names in diagnostics are the short relative names the tests write."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest

from actito_iac.errors import Diagnostic, ManifestError
from actito_iac.manifest.loader import load

Write = Callable[[str, str], Path]
Problems = Callable[..., list[Diagnostic]]

ORDERS = """\
# yaml-language-server: $schema=../schemas/manifest.schema.json
entity: B2C
customTables:
  - name: Orders
    type: INTERACTIONS
    primaryKey: orderId
    creationTime: orderMoment
    attributes:
      - {name: orderId, valueType: STRING, mandatory: true, unique: true, indexed: true}
      - {name: orderMoment, valueType: TIMESTAMP, mandatory: true, indexed: true}
      - {name: status, valueType: STRING, acceptedValues: [NEW, SHIPPED, CANCELED]}
"""
"""A valid manifest; its table starts at line 4, column 5."""


@pytest.fixture
def orders() -> str:
    return ORDERS


@pytest.fixture(autouse=True)
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def write() -> Write:
    def write(name: str, text: str) -> Path:
        path = Path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def problems() -> Problems:
    """Load paths that must fail; return every diagnostic of the ManifestError."""

    def problems(
        paths: Sequence[Path], environ: Mapping[str, str] | None = None
    ) -> list[Diagnostic]:
        with pytest.raises(ManifestError) as info:
            load(list(paths), environ or {})
        return info.value.diagnostics

    return problems


def place(text: str, fragment: str, nth: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the `nth` occurrence of `fragment` in `text`."""
    start = -1
    for _ in range(nth):
        start = text.index(fragment, start + 1)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return line, column


def only(diagnostics: list[Diagnostic], fragment: str) -> Diagnostic:
    """The one diagnostic whose text holds `fragment`."""
    matching = [d for d in diagnostics if fragment in str(d)]
    assert len(matching) == 1, [str(d) for d in diagnostics]
    return matching[0]
