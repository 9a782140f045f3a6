"""Exported files: one per object, defaults left out, checked like any manifest."""

from __future__ import annotations

from pathlib import Path

import pytest

from actito_iac.actual import LiveObject
from actito_iac.errors import ManifestError
from actito_iac.export import export_files
from actito_iac.kinds.custom_table_payload import spec_from_payload
from actito_iac.manifest.loader import load
from actito_iac.vocabulary import Address

TABLE = {
    "id": "u-1",
    "name": "Stores",
    "type": "INTERACTIONS",
    "primaryKeyAttribute": "storeId",
    "bigTable": False,
    "attributes": [
        {
            "name": "storeId",
            "valueType": "LONG",
            "mandatory": True,
            "unique": True,
            "indexed": False,
        },
        {"name": "city", "valueType": "STRING", "valueRestriction": {"maxLength": 80}},
    ],
}


def live(table: dict[str, object]) -> dict[Address, LiveObject]:
    spec = spec_from_payload(table, lambda kind, table_id: None)
    return {Address("B2C", "customTable", str(table["name"])): LiveObject("u-1", spec, table)}


def test_a_table_is_written_without_its_defaults_and_loads_back(tmp_path: Path) -> None:
    [exported] = export_files(live(TABLE), "header")
    assert str(exported.path) == "B2C/customTables/Stores.yaml"
    assert exported.text.startswith("# header\n")
    assert "bigTable" not in exported.text
    assert "type:" not in exported.text
    assert "- {name: city, valueType: STRING, maxLength: 80}" in exported.text
    target = tmp_path / "stores.yaml"
    target.write_text(exported.text)
    [obj] = load([target], {}).objects
    assert obj.spec == spec_from_payload(TABLE, lambda kind, table_id: None)


def test_a_value_this_version_does_not_know_is_reported_not_hidden(tmp_path: Path) -> None:
    [exported] = export_files(live({**TABLE, "type": "AGGREGATE"}), "header")
    assert "type: AGGREGATE" in exported.text
    target = tmp_path / "stores.yaml"
    target.write_text(exported.text)
    with pytest.raises(ManifestError) as problems:
        load([target], {})
    assert "AGGREGATE" in str(problems.value.diagnostics[0])
