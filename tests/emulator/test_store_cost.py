"""The emulator's own cost per write does not grow with the licence: a create looks its name up
instead of listing the entity, and a change finds the tables pointing at it in an index of
references (kept through changes and deletes, and rebuilt for a file of an older version)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from actito_iac.emulator.seed import apply_seed
from actito_iac.emulator.store import CUSTOM_TABLE, PROFILE_TABLE, Store
from actito_iac.emulator.structures.tables import CUSTOM, PROFILE, Structures

CUSTOMERS: dict[str, Any] = {
    "name": "Customers",
    "attributes": [
        {"name": "emailAddress", "type": "EMAIL_ADDRESS", "mandatory": True, "unique": True},
        {"name": "customerId", "valueType": "LONG", "unique": True},
    ],
    "subscriptions": [{"name": "Newsletter", "channel": "EMAIL"}],
}


def orders(name: str, customers_id: str | None = None) -> dict[str, Any]:
    table: dict[str, Any] = {
        "name": name,
        "type": "INTERACTIONS",
        "primaryKeyAttribute": "orderId",
        "attributes": [
            {"name": "orderId", "valueType": "STRING", "mandatory": True, "unique": True},
            {"name": "customerId", "valueType": "LONG"},
        ],
    }
    if customers_id is not None:
        table["foreignKeys"] = [
            {
                "name": f"{name.lower()}-customer",
                "attribute": "customerId",
                "reference": {
                    "tableType": "PROFILE_TABLE",
                    "tableId": customers_id,
                    "attribute": "customerId",
                },
                "onDelete": "CASCADE",
            }
        ]
    return table


def _not_unique(table: dict[str, Any]) -> dict[str, Any]:
    body = {k: v for k, v in table.items() if k != "id"}
    body["attributes"] = [
        {**a, "unique": False} if a["name"] == "customerId" else a for a in body["attributes"]
    ]
    return body


@pytest.fixture
def store() -> Store:
    store = Store()
    apply_seed(store, {"entities": [{"name": "B2C"}]})
    return store


def test_a_create_never_lists_the_entity(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    structures = Structures(store)
    structures.create("B2C", CUSTOM, orders("Orders"))

    def listing(*args: object) -> list[dict[str, Any]]:
        raise AssertionError("a create listed every table of the entity")

    monkeypatch.setattr(store, "list_objects", listing)
    structures.create("B2C", CUSTOM, orders("Returns"))
    structures.create("B2C", PROFILE, CUSTOMERS)
    with pytest.raises(Exception, match="a table with this name already exists"):
        structures.create("B2C", CUSTOM, orders("Orders"))


def test_a_change_finds_the_tables_pointing_at_it_without_listing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    structures = Structures(store)
    customers = structures.create("B2C", PROFILE, CUSTOMERS)
    structures.create("B2C", CUSTOM, orders("Orders", customers["id"]))
    structures.create("B2C", CUSTOM, orders("Unrelated"))
    monkeypatch.setattr(store, "list_objects", None)
    monkeypatch.setattr(store, "list_custom_tables", None)
    with pytest.raises(Exception, match="referenced by foreign key 'orders-customer'"):
        structures.change("B2C", PROFILE, customers, _not_unique(customers))


def test_the_index_follows_changes_and_deletes(store: Store) -> None:
    structures = Structures(store)
    customers = structures.create("B2C", PROFILE, CUSTOMERS)
    linked = structures.create("B2C", CUSTOM, orders("Orders", customers["id"]))
    target = f"PROFILE_TABLE:{customers['id']}"
    assert [t["name"] for t in store.referring("B2C", CUSTOM_TABLE, target)] == ["Orders"]
    unlinked = orders("Orders")
    structures.change("B2C", CUSTOM, linked, unlinked)
    assert store.referring("B2C", CUSTOM_TABLE, target) == []
    relinked = structures.create("B2C", CUSTOM, orders("Returns", customers["id"]))
    assert [t["name"] for t in store.referring("B2C", CUSTOM_TABLE, target)] == ["Returns"]
    assert store.delete_object("B2C", CUSTOM_TABLE, relinked["id"])
    assert store.referring("B2C", CUSTOM_TABLE, target) == []
    structures.change("B2C", PROFILE, customers, _not_unique(customers))  # nothing points at it


def test_an_older_file_gets_its_index_of_references_built(tmp_path: Path) -> None:
    path = str(tmp_path / "licence.db")
    store = Store(path)
    apply_seed(store, {"entities": [{"name": "B2C"}]})
    structures = Structures(store)
    customers = structures.create("B2C", PROFILE, CUSTOMERS)
    structures.create("B2C", CUSTOM, orders("Orders", customers["id"]))
    store.close()
    with sqlite3.connect(path) as db:  # as a version-4 file left it: no index
        db.execute("DELETE FROM refs")
        db.execute("PRAGMA user_version=4")
    db.close()

    reopened = Store(path)
    stored = reopened.get_object("B2C", PROFILE_TABLE, customers["id"])
    assert stored is not None
    with pytest.raises(Exception, match="referenced by foreign key 'orders-customer'"):
        Structures(reopened).change("B2C", PROFILE, stored, _not_unique(stored))
    reopened.close()
