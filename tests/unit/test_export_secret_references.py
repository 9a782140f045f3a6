"""The secrets an export writes back as references: every name the manifests may reference,
and no export at all when a manifest that might reference one cannot be read."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from actito_iac.errors import ManifestError
from actito_iac.export_run import _secret_references


def inputs(*manifests: Path) -> Any:
    return SimpleNamespace(project=SimpleNamespace(manifests=manifests))


def test_every_secret_name_a_manifest_may_write_is_recognised(tmp_path: Path) -> None:
    (tmp_path / "hooks.yaml").write_text("token: ${secret:crm.api-token}\nother: ${secret:B}\n")
    found = _secret_references(inputs(tmp_path), {"crm.api-token": "s3cr3t", "B": "bee"})
    assert found == {"s3cr3t": "${secret:crm.api-token}", "bee": "${secret:B}"}


def test_no_manifests_yet_reference_nothing(tmp_path: Path) -> None:
    assert _secret_references(inputs(tmp_path / "manifests"), {"A": "x"}) == {}


def test_a_manifest_that_cannot_be_read_stops_the_export(tmp_path: Path) -> None:
    (tmp_path / "hooks.yaml").write_bytes(b"token: \xff${secret:A}\n")  # not UTF-8
    with pytest.raises(ManifestError) as refused:
        _secret_references(inputs(tmp_path), {"A": "x"})
    assert "hooks.yaml" in str(refused.value.diagnostics[0])
