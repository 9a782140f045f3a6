"""Seeds with profile tables, rows and name-based foreign keys; rows surviving a restart;
the store's transactions; the admin state dump with row counts."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from actito_iac.emulator.seed import SeedError, apply_seed, apply_seed_file
from actito_iac.emulator.store import CUSTOM_TABLE, PROFILE_TABLE, Store

SEED_YAML = """\
entities:
  - {name: B2C}
profileTables:
  - entity: B2C
    definition:
      name: Customers
      attributes:
        - {type: EMAIL_ADDRESS, name: emailAddress, unique: true, mandatory: true}
        - {name: customerId, valueType: STRING, unique: true, maxLength: 12}
        - {name: tier, valueType: STRING, acceptedValues: [STD, GOLD]}
      subscriptions:
        - {name: Newsletter, channel: EMAIL}
      segmentations:
        - {name: VIP, type: SIMPLE}
customTables:
  - entity: B2C
    definition:
      name: Stores
      type: REPOSITORY
      primaryKeyAttribute: storeId
      attributes:
        - {name: storeId, valueType: LONG, mandatory: true, unique: true}
  - entity: B2C
    definition:
      name: Orders
      type: INTERACTIONS
      primaryKeyAttribute: orderId
      attributes:
        - {name: orderId, valueType: STRING, mandatory: true, unique: true}
        - {name: customerId, valueType: STRING}
        - {name: storeId, valueType: LONG}
      foreignKeys:
        - name: link-to-customer
          attribute: customerId
          reference: {tableType: PROFILE_TABLE, table: Customers, attribute: customerId}
          onDelete: CASCADE
        - name: link-to-store
          attribute: storeId
          reference: {tableType: CUSTOM_TABLE, table: Stores, attribute: storeId}
          onDelete: RESTRICT
profiles:
  - entity: B2C
    table: Customers
    rows:
      - {emailAddress: ann@example.com, customerId: C1, tier: GOLD}
      - {emailAddress: bob@example.com, customerId: C2}
records:
  - entity: B2C
    table: Stores
    rows: [{storeId: 1}, {storeId: 2}]
  - entity: B2C
    table: Orders
    rows:
      - {orderId: O1, customerId: C1, storeId: 1}
"""


@pytest.fixture
def store() -> Iterator[Store]:
    store = Store()
    yield store
    store.close()


@pytest.fixture
def seed_file(tmp_path: Path) -> Path:
    path = tmp_path / "seed.yaml"
    path.write_text(SEED_YAML)
    return path


def test_a_seed_loads_profile_tables_rows_and_name_based_links(
    store: Store, seed_file: Path
) -> None:
    result = apply_seed_file(store, seed_file)
    assert result.to_json() == {
        "entities": ["B2C"],
        "profileTables": ["B2C/Customers"],
        "customTables": ["B2C/Stores", "B2C/Orders"],
        "profiles": 2,
        "records": 3,
    }
    customers = store.find_profile_table("B2C", "Customers")
    assert customers is not None
    assert [a["name"] for a in customers["attributes"][:3]] == [
        "profileId",
        "creationMoment",
        "updateMoment",
    ]
    tier = next(a for a in customers["attributes"] if a["name"] == "tier")
    assert tier["valueRestriction"] == {"acceptedValues": ["STD", "GOLD"]}  # shorthand lifted
    assert customers["segmentations"] == [{"name": "VIP", "type": "SIMPLE", "history": False}]
    stores, orders = store.list_custom_tables("B2C")
    references = [k["reference"] for k in orders["foreignKeys"]]
    assert references == [
        {"tableType": "PROFILE_TABLE", "attribute": "customerId", "tableId": customers["id"]},
        {"tableType": "CUSTOM_TABLE", "attribute": "storeId", "tableId": stores["id"]},
    ]
    ann = store.rows.get("B2C", PROFILE_TABLE, customers["id"], "1")
    assert ann is not None
    assert ann["values"]["emailAddress"] == "ann@example.com"
    assert store.dump()["rows"] == {
        "B2C": {PROFILE_TABLE: {"Customers": 2}, CUSTOM_TABLE: {"Stores": 2, "Orders": 1}}
    }


def test_seeding_again_adds_nothing_and_changes_nothing(store: Store, seed_file: Path) -> None:
    apply_seed_file(store, seed_file)
    before = store.dump()
    again = apply_seed_file(store, seed_file)
    assert again.to_json() == {
        "entities": [],
        "profileTables": [],
        "customTables": [],
        "profiles": 0,
        "records": 0,
    }
    assert store.dump() == before
    customers = store.find_profile_table("B2C", "Customers")
    assert customers is not None
    rows = store.rows.read("B2C", PROFILE_TABLE, customers["id"])
    apply_seed_file(store, seed_file)
    assert store.rows.read("B2C", PROFILE_TABLE, customers["id"]) == rows  # updateMoment too


def test_seeded_rows_update_existing_ones(store: Store, seed_file: Path) -> None:
    apply_seed_file(store, seed_file)
    result = apply_seed(
        store,
        {
            "profiles": [
                {
                    "entity": "B2C",
                    "table": "Customers",
                    "rows": [{"emailAddress": "ann@example.com", "tier": "STD"}],
                }
            ]
        },
    )
    assert result.profiles == 0
    customers = store.find_profile_table("B2C", "Customers")
    assert customers is not None
    ann = store.rows.get("B2C", PROFILE_TABLE, customers["id"], "1")
    assert ann is not None
    assert (ann["values"]["tier"], ann["values"]["customerId"]) == ("STD", "C1")


BAD_SEEDS: list[tuple[str, dict[str, Any], str]] = [
    (
        "profile-table-without-email-subscription",
        {
            "profileTables": [
                {
                    "entity": "B2C",
                    "definition": {"name": "Leads", "attributes": [], "subscriptions": []},
                }
            ]
        },
        "profileTables[0] (entity 'B2C'): profile table 'Leads': at least one EMAIL subscription",
    ),
    (
        "rows-of-an-unknown-table",
        {"records": [{"entity": "B2C", "table": "Returns", "rows": [{}]}]},
        "records[0]: unknown custom table 'Returns' in entity 'B2C'",
    ),
    (
        "row-breaking-a-rule",
        {
            "profiles": [
                {
                    "entity": "B2C",
                    "table": "Customers",
                    "rows": [
                        {"emailAddress": "cat@example.com"},
                        {"emailAddress": "dan@example.com", "tier": "VIP"},
                    ],
                }
            ]
        },
        "profiles[0].rows[1] (entity 'B2C'): profile of table 'Customers': attribute 'tier': "
        "'VIP' is not one of the accepted values",
    ),
    (
        "profile-without-unique-value",
        {"profiles": [{"entity": "B2C", "table": "Customers", "rows": [{"tier": "STD"}]}]},
        "profiles[0].rows[0]: a seeded profile needs a value for a unique attribute "
        "(emailAddress, customerId)",
    ),
    (
        "reference-to-an-unknown-table",
        {
            "customTables": [
                {
                    "entity": "B2C",
                    "definition": {
                        "name": "Returns",
                        "type": "INTERACTIONS",
                        "primaryKeyAttribute": "k",
                        "attributes": [
                            {"name": "k", "valueType": "STRING", "mandatory": True, "unique": True}
                        ],
                        "foreignKeys": [
                            {
                                "name": "link",
                                "attribute": "k",
                                "reference": {
                                    "tableType": "PROFILE_TABLE",
                                    "table": "Prospects",
                                    "attribute": "customerId",
                                },
                                "onDelete": "CASCADE",
                            }
                        ],
                    },
                }
            ]
        },
        "customTables[0]: foreign key 'link': unknown profile table 'Prospects' in entity 'B2C'",
    ),
    (
        "rows-not-mappings",
        {"records": [{"entity": "B2C", "table": "Stores", "rows": [1]}]},
        "records[0]: `rows` must be a list of {attribute: value}",
    ),
]


@pytest.mark.parametrize(
    ("document", "message"), [pytest.param(d, m, id=name) for name, d, m in BAD_SEEDS]
)
def test_a_bad_seed_rolls_everything_back(
    store: Store, seed_file: Path, document: dict[str, Any], message: str
) -> None:
    apply_seed_file(store, seed_file)
    before = store.dump()
    with pytest.raises(SeedError) as raised:
        apply_seed(store, {"entities": [{"name": "Retail"}], **document})
    assert message in str(raised.value)
    assert store.dump() == before  # not even the new entity


def test_a_reference_takes_a_table_name_or_an_id_not_both(store: Store, seed_file: Path) -> None:
    text = seed_file.read_text().replace(
        "table: Stores, attribute", "table: Stores, tableId: x, attribute"
    )
    seed_file.write_text(text)
    with pytest.raises(SeedError, match="takes table or tableId, not both"):
        apply_seed_file(store, seed_file)


# -- persistence and transactions -------------------------------------------------------------


def test_rows_and_counters_survive_a_restart(tmp_path: Path, seed_file: Path) -> None:
    path = str(tmp_path / "licence.db")
    first = Store(path)
    apply_seed_file(first, seed_file)
    first.close()

    second = Store(path)
    try:
        customers = second.find_profile_table("B2C", "Customers")
        assert customers is not None
        rows = second.rows.read("B2C", PROFILE_TABLE, customers["id"])
        assert [r["values"]["emailAddress"] for r in rows.values()] == [
            "ann@example.com",
            "bob@example.com",
        ]
        apply_seed(
            second,
            {
                "profiles": [
                    {
                        "entity": "B2C",
                        "table": "Customers",
                        "rows": [{"emailAddress": "cat@example.com"}],
                    }
                ]
            },
        )
        assert list(second.rows.read("B2C", PROFILE_TABLE, customers["id"])) == ["1", "2", "3"]
        assert second.next_number(PROFILE_TABLE) == 2  # the next profile table id
    finally:
        second.close()


def _half_done(store: Store) -> None:
    with store.transaction():
        store.insert_entity("A")
        store.next_number("n")
        raise RuntimeError("abort")


def test_a_transaction_commits_together_or_not_at_all(store: Store) -> None:
    with pytest.raises(RuntimeError):
        _half_done(store)
    assert store.list_entities() == []
    assert store.next_number("n") == 1
    with store.transaction():
        store.insert_entity("A")
        with store.transaction():  # nested: joins the outer one
            store.insert_entity("B")
    assert [e.name for e in store.list_entities()] == ["A", "B"]


def test_an_older_database_gets_its_row_values_indexed(tmp_path: Path, seed_file: Path) -> None:
    path = str(tmp_path / "licence.db")
    first = Store(path)
    apply_seed_file(first, seed_file)
    first.close()
    with sqlite3.connect(path) as db:  # as a version-2 file left it: rows, no index
        db.execute("DELETE FROM row_values")
        db.execute("PRAGMA user_version=2")
    db.close()
    second = Store(path)
    try:
        customers = second.find_profile_table("B2C", "Customers")
        assert customers is not None
        found = second.rows.find("B2C", PROFILE_TABLE, customers["id"], "customerId", "C2")
        assert list(found) == ["2"]
    finally:
        second.close()


def test_a_version_1_database_gains_the_new_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.executescript(
            "CREATE TABLE entities (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
            " comment TEXT);"
            "CREATE TABLE objects (entity TEXT NOT NULL REFERENCES entities(name),"
            " kind TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL,"
            " PRIMARY KEY (entity, kind, id), UNIQUE (entity, kind, name));"
            "INSERT INTO entities (name) VALUES ('B2C'); PRAGMA user_version=1;"
        )
    db.close()
    store = Store(str(path))
    try:
        assert store.dump() == {
            "entities": [{"id": 1, "name": "B2C", "comment": None}],
            "objects": {},
            "rows": {},
        }
        assert store.next_number("x") == 1
    finally:
        store.close()


# -- admin state ------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_the_state_dump_lists_profile_tables_and_row_counts(
    raw: httpx.AsyncClient, api: httpx.AsyncClient, profile_table: dict[str, Any]
) -> None:
    await api.post(
        "/v4/entity/B2C/table/Customers/profile",
        json={"attributes": [{"name": "emailAddress", "value": "ann@example.com"}]},
    )
    state = (await raw.get("/__emulator__/state")).json()
    assert state["objects"]["B2C"]["profileTable"] == [profile_table]
    assert state["rows"] == {"B2C": {"profileTable": {"Customers": 1}}}


def test_finding_rows_by_value_keeps_json_types_apart(store: Store) -> None:
    store.insert_entity("B2C")
    store.insert_object("B2C", CUSTOM_TABLE, "t", "T", {"name": "T"})
    for key, value in (("a", 1), ("b", "1"), ("c", True), ("d", 2.0), ("e", ["x", "y"])):
        store.rows.put("B2C", CUSTOM_TABLE, "t", key, {"values": {"v": value}})
    found = {
        repr(value): list(store.rows.find("B2C", CUSTOM_TABLE, "t", "v", value))
        for value in (1, "1", True, 2, ["x", "y"], None)
    }
    assert found == {
        "1": ["a"],
        "'1'": ["b"],
        "True": ["c"],
        "2": ["d"],  # a whole float is the integer it equals
        "['x', 'y']": ["e"],
        "None": [],  # null is never indexed
    }
    assert store.rows.delete("B2C", CUSTOM_TABLE, "t", "a")
    assert store.rows.find("B2C", CUSTOM_TABLE, "t", "v", 1) == {}
