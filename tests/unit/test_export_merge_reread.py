"""`export --update` merges into a file as the manifests' load read it: a file edited since
(the licence takes a while to read) is refused, never merged into at a stale place."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from actito_iac.errors import ConfigError
from actito_iac.export_merge import _load


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_a_file_as_it_was_loaded_is_read_for_the_merge(tmp_path: Path) -> None:
    path = tmp_path / "b2c.yaml"
    path.write_text("entity: B2C  # kept\n")
    _, documents = _load(path, digest("entity: B2C  # kept\n"))
    assert documents[0]["entity"] == "B2C"


def test_a_file_edited_since_it_was_loaded_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "b2c.yaml"
    path.write_text("entity: B2C\ncustomTables: [\n")  # edited, and broken, in the meantime
    with pytest.raises(ConfigError, match="changed while the licence was read"):
        _load(path, digest("entity: B2C\n"))


def test_a_file_gone_since_it_was_loaded_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"cannot read .* to merge into it"):
        _load(tmp_path / "gone.yaml", digest("entity: B2C\n"))
