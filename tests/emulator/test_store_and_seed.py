"""The SQLite store (persistence, ordering, uniqueness) and seed documents."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from actito_iac.emulator.app import create_app
from actito_iac.emulator.seed import SeedError, apply_seed, apply_seed_file
from actito_iac.emulator.store import CUSTOM_TABLE, DuplicateName, Store

TABLE = {
    "name": "Stores",
    "type": "REPOSITORY",
    "primaryKeyAttribute": "storeId",
    "attributes": [{"name": "storeId", "valueType": "LONG", "mandatory": True, "unique": True}],
}

SEED_YAML = """\
entities:
  - {name: B2C, comment: Consumers}
  - {name: B2B}
customTables:
  - entity: B2C
    definition:
      name: Orders
      type: INTERACTIONS
      primaryKeyAttribute: orderId
      attributes:
        - {name: orderId, valueType: STRING, mandatory: true, unique: true}
        - {name: status, valueType: STRING, acceptedValues: [NEW, SHIPPED]}
        - {name: code, valueType: STRING, valueRestriction: {maxLength: 8}, minLength: 2}
"""

EMPTY_DUMP: dict[str, Any] = {"entities": [], "objects": {}, "rows": {}}
NOTHING_ADDED: dict[str, Any] = {
    "entities": [],
    "profileTables": [],
    "customTables": [],
    "profiles": 0,
    "records": 0,
}


# -- store ------------------------------------------------------------------------------------


def test_a_file_store_survives_a_restart(tmp_path: Path) -> None:
    path = str(tmp_path / "licence.db")
    store = Store(path)
    entity = store.insert_entity("B2C", "Consumers")
    stored = store.insert_custom_table("B2C", {"name": "Orders", "type": "INTERACTIONS"})
    store.close()

    reopened = Store(path)
    try:
        assert reopened.list_entities() == [entity]
        assert reopened.get_custom_table("B2C", stored["id"]) == stored
        assert reopened.find_custom_table("B2C", "Orders") == stored
    finally:
        reopened.close()


def test_a_file_store_uses_write_ahead_logging(tmp_path: Path) -> None:
    path = tmp_path / "licence.db"
    Store(str(path)).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


@pytest.mark.anyio
async def test_tables_created_over_the_api_survive_a_restart(tmp_path: Path) -> None:
    path = str(tmp_path / "licence.db")
    first = Store(path)
    apply_seed(first, {"entities": [{"name": "B2C"}]})
    async with _client(first) as client:
        created = (await client.post("/v5/entities/B2C/custom-tables", json=TABLE)).json()
    first.close()

    second = Store(path)
    try:
        async with _client(second) as client:
            read = await client.get(f"/v5/entities/B2C/custom-tables/{created['id']}")
        assert read.status_code == 200
        assert read.json() == created
    finally:
        second.close()


def _client(store: Store) -> httpx.AsyncClient:
    """A client whose first request fetches a token (the app is new: tokens are not stored)."""
    app = create_app(store, api_keys=["k"])

    async def authenticate(request: httpx.Request) -> None:
        if request.url.path != "/auth/token":
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1"
            ) as plain:
                answer = await plain.get("/auth/token", headers={"Authorization": "k"})
            request.headers["Authorization"] = f"Bearer {answer.json()['accessToken']}"

    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://127.0.0.1",
        event_hooks={"request": [authenticate]},
    )


def test_entities_get_increasing_ids_and_unique_names() -> None:
    store = Store()
    try:
        assert [store.insert_entity(n).id for n in ("A", "B")] == [1, 2]
        with pytest.raises(DuplicateName):
            store.insert_entity("A")
        assert store.get_entity("B") is not None
        assert store.get_entity("C") is None
    finally:
        store.close()


def test_object_names_are_unique_per_entity_and_kind() -> None:
    store = Store()
    try:
        for entity in ("A", "B"):
            store.insert_entity(entity)
        store.insert_object("A", CUSTOM_TABLE, "1", "Orders", {"name": "Orders"})
        store.insert_object("B", CUSTOM_TABLE, "2", "Orders", {"name": "Orders"})
        store.insert_object("A", "webhook", "3", "Orders", {"name": "Orders"})
        with pytest.raises(DuplicateName):
            store.insert_object("A", CUSTOM_TABLE, "4", "Orders", {"name": "Orders"})
        with pytest.raises(sqlite3.IntegrityError):  # objects hang off an existing entity
            store.insert_object("Z", CUSTOM_TABLE, "5", "Orders", {"name": "Orders"})
    finally:
        store.close()


def test_replace_keeps_the_list_position_and_refuses_unknown_ids() -> None:
    store = Store()
    try:
        store.insert_entity("A")
        first = store.insert_custom_table("A", {"name": "One"})
        second = store.insert_custom_table("A", {"name": "Two"})
        store.replace_custom_table("A", first["id"], {"name": "One", "changed": True})
        assert store.list_custom_tables("A") == [{**first, "changed": True}, second]
        with pytest.raises(KeyError):
            store.replace_custom_table("A", "no-such-id", {"name": "Three"})
    finally:
        store.close()


def test_reset_and_dump() -> None:
    store = Store()
    try:
        store.insert_entity("A", "first")
        table = store.insert_custom_table("A", {"name": "One"})
        assert store.dump() == {
            "entities": [{"id": 1, "name": "A", "comment": "first"}],
            "objects": {"A": {CUSTOM_TABLE: [table]}},
            "rows": {},
        }
        store.reset()
        assert store.dump() == EMPTY_DUMP
    finally:
        store.close()


# -- seed -------------------------------------------------------------------------------------


@pytest.fixture
def store() -> Any:
    store = Store()
    yield store
    store.close()


def test_a_seed_file_loads_entities_and_validated_tables(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(SEED_YAML)
    result = apply_seed_file(store, path)
    assert result.to_json() == {
        **NOTHING_ADDED,
        "entities": ["B2C", "B2B"],
        "customTables": ["B2C/Orders"],
    }
    assert [e.to_json() for e in store.list_entities()] == [
        {"id": 1, "name": "B2C", "comment": "Consumers"},
        {"id": 2, "name": "B2B", "comment": None},
    ]
    (orders,) = store.list_custom_tables("B2C")
    assert orders["bigTable"] is False  # the same normalisation as an API create
    status, code = orders["attributes"][1:]
    assert status["valueRestriction"] == {"acceptedValues": ["NEW", "SHIPPED"]}
    assert code["valueRestriction"] == {"minLength": 2, "maxLength": 8}


def test_a_seed_pasted_from_an_answer_keeps_its_ids_and_drops_technical_fields(
    store: Store,
) -> None:
    """A seed describes tables that exist: `id` and generated attributes are stripped, not
    refused as in an API create, and the given ids are kept, so links may use them."""
    apply_seed(
        store,
        {
            "entities": [{"name": "B2C"}],
            "settings": {"profileTableParts": "hidden"},
            "profileTables": [
                {
                    "entity": "B2C",
                    "definition": {
                        "id": "97",
                        "name": "Customers",
                        "attributes": [
                            {"type": "CUSTOM", "name": "profileId", "unique": True,
                             "mandatory": True, "valueType": "INTEGER", "multiValued": False},
                            {"type": "EMAIL_ADDRESS", "name": "emailAddress", "unique": True},
                            {"type": "CUSTOM", "name": "customerId", "unique": True,
                             "valueType": "LONG"},
                        ],
                    },
                }
            ],
            "customTables": [
                {
                    "entity": "B2C",
                    "definition": {
                        "id": "d4d85214-66d4-4072-b98b-a86c9253b980",
                        "name": "Orders",
                        "type": "INTERACTIONS",
                        "primaryKeyAttribute": "orderId",
                        "attributes": [
                            {"name": "orderId", "valueType": "STRING", "mandatory": True,
                             "unique": True},
                            {"name": "customerId", "valueType": "LONG"},
                            {"name": "creationMoment", "valueType": "TIMESTAMP"},
                        ],
                        "foreignKeys": [
                            {"name": "link", "attribute": "customerId", "onDelete": "CASCADE",
                             "reference": {"tableType": "PROFILE_TABLE", "tableId": "97",
                                           "attribute": "customerId"}}
                        ],
                    },
                }
            ],
        },
    )  # fmt: skip
    (customers,) = store.list_profile_tables("B2C")
    assert customers["id"] == "97"
    names = [a["name"] for a in customers["attributes"]]
    assert names.count("profileId") == 1  # generated once, not taken from the seed
    (orders,) = store.list_custom_tables("B2C")
    assert orders["id"] == "d4d85214-66d4-4072-b98b-a86c9253b980"
    assert [a["name"] for a in orders["attributes"]] == ["orderId", "customerId"]
    with pytest.raises(SeedError, match="'97' is already the id of another table"):
        apply_seed(
            store,
            {
                "profileTables": [
                    {"entity": "B2C", "definition": {"id": "97", "name": "Prospects",
                                                     "attributes": []}}
                ]
            },
        )  # fmt: skip


def test_seeding_twice_keeps_what_exists(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(SEED_YAML)
    apply_seed_file(store, path)
    before = store.dump()
    again = apply_seed_file(store, path)
    assert again.to_json() == NOTHING_ADDED
    assert store.dump() == before


def test_an_existing_entity_keeps_its_comment(store: Store) -> None:
    store.insert_entity("B2C", "original")
    apply_seed(store, {"entities": [{"name": "B2C", "comment": "other"}]})
    assert store.list_entities()[0].comment == "original"


def test_an_empty_seed_file_adds_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("")
    assert apply_seed_file(store, path).to_json() == NOTHING_ADDED


def test_a_seed_may_use_entities_already_stored(store: Store) -> None:
    store.insert_entity("B2C")
    apply_seed(store, {"customTables": [{"entity": "B2C", "definition": TABLE}]})
    assert [t["name"] for t in store.list_custom_tables("B2C")] == ["Stores"]


BAD_SEEDS: list[tuple[str, str, str]] = [
    ("yaml", "entities: [\n", "invalid YAML"),
    ("duplicate-key", "entities: []\nentities: []\n", "invalid YAML"),
    ("not-a-mapping", "- B2C\n", "the document must be a mapping"),
    ("unknown-top-key", "entities: []\ntables: []\n", "the document: unknown key(s) tables"),
    ("entities-not-list", "entities: B2C\n", "`entities` must be a list of mappings"),
    ("entity-without-name", "entities: [{comment: x}]\n", "entities[0]: `name` must be"),
    ("entity-unknown-key", "entities: [{name: A, id: 3}]\n", "entities[0]: unknown key(s) id"),
    (
        "table-unknown-entity",
        "customTables: [{entity: Nope, definition: {}}]\n",
        "customTables[0]: unknown entity 'Nope'",
    ),
    (
        "table-breaks-a-rule",
        "entities: [{name: A}]\ncustomTables: [{entity: A, definition: "
        "{name: T, type: INTERACTIONS, primaryKeyAttribute: k, "
        "attributes: [{name: k, valueType: STRING}]}}]\n",
        "customTables[0] (entity 'A'): table 'T': primary key attribute 'k' must be mandatory",
    ),
    (
        "same-table-twice",
        "entities: [{name: A}]\ncustomTables:\n"
        + "  - {entity: A, definition: {name: T, type: INTERACTIONS, primaryKeyAttribute: k,"
        " attributes: [{name: k, valueType: STRING, mandatory: true, unique: true}]}}\n" * 2,
        "customTables[1] (entity 'A'): table 'T': a table with this name already exists",
    ),
]


@pytest.mark.parametrize(
    ("text", "message"), [pytest.param(t, m, id=name) for name, t, m in BAD_SEEDS]
)
def test_a_bad_seed_file_names_the_file_and_the_problem(
    store: Store, tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(text)
    with pytest.raises(SeedError) as raised:
        apply_seed_file(store, path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert store.dump() == EMPTY_DUMP  # nothing half-applied


def test_a_missing_seed_file_is_a_seed_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(SeedError, match="cannot read the file"):
        apply_seed_file(store, tmp_path / "missing.yaml")


def test_a_seed_is_checked_whole_before_anything_is_stored(
    store: Store, orders: Callable[..., dict[str, Any]]
) -> None:
    document = {
        "entities": [{"name": "B2C"}],
        "customTables": [
            {"entity": "B2C", "definition": orders()},
            {"entity": "B2C", "definition": orders(name="Bad", type="NOPE")},
        ],
    }
    with pytest.raises(SeedError, match=r"customTables\[1\]"):
        apply_seed(store, document)
    assert store.list_entities() == []
