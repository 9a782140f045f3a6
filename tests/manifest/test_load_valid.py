"""Loading valid manifests: objects, addresses, places, entities, files, warnings."""

from __future__ import annotations

from pathlib import Path

from actito_iac.errors import Severity, SourceLocation
from actito_iac.kinds.custom_table import CustomTableSpec
from actito_iac.manifest.loader import load
from actito_iac.vocabulary import Address

from .conftest import Write

STORES = """\
entity: B2C
customTables:
  - name: Stores
    primaryKey: storeId
    attributes:
      - {name: storeId, valueType: LONG, mandatory: true, unique: true}
"""

B2B = """\
entity: B2B
customTables:
  - name: Orders
    primaryKey: id
    attributes:
      - {name: id, valueType: STRING, mandatory: true, unique: true}
"""


def test_one_file_gives_its_objects_with_address_spec_and_place(
    write: Write, orders: str
) -> None:
    path = write("orders.yaml", orders)

    desired = load([path], {})

    (table,) = desired.objects
    assert table.address == Address("B2C", "customTable", "Orders")
    assert isinstance(table.spec, CustomTableSpec)
    assert table.spec.primaryKey == "orderId"
    assert [a.name for a in table.spec.attributes] == ["orderId", "orderMoment", "status"]
    assert table.location == SourceLocation("orders.yaml", 4, 5)
    assert desired.entities == {"B2C": (SourceLocation("orders.yaml", 2, 9),)}
    assert desired.files == ("orders.yaml",)
    assert desired.warnings == ()


def test_two_files_of_one_entity_and_a_folder_walk(write: Write, orders: str) -> None:
    write("manifests/b2c/orders.yaml", orders)
    write("manifests/b2c/stores.yml", STORES)
    write("manifests/b2b.yaml", B2B)
    write("manifests/notes.txt", "not a manifest")
    write("manifests/.hidden/draft.yaml", "entity: [broken")

    desired = load([Path("manifests")], {})

    assert desired.files == (
        "manifests/b2b.yaml",
        "manifests/b2c/orders.yaml",
        "manifests/b2c/stores.yml",
    )
    assert [str(o.address) for o in desired.objects] == [
        "B2B/customTable/Orders",
        "B2C/customTable/Orders",
        "B2C/customTable/Stores",
    ]
    assert desired.entities["B2C"] == (
        SourceLocation("manifests/b2c/orders.yaml", 2, 9),
        SourceLocation("manifests/b2c/stores.yml", 1, 9),
    )


def test_several_documents_in_one_file(write: Write, orders: str) -> None:
    path = write("all.yaml", orders + "---\n" + STORES + "---\n" + B2B)

    desired = load([path], {})

    assert [(str(o.address), o.location.line) for o in desired.objects] == [
        ("B2B/customTable/Orders", 22),
        ("B2C/customTable/Orders", 4),
        ("B2C/customTable/Stores", 15),
    ]
    assert [loc.line for loc in desired.entities["B2C"]] == [2, 13]


def test_a_file_named_twice_is_read_once(write: Write, orders: str) -> None:
    path = write("m/orders.yaml", orders)

    desired = load([Path("m"), path, Path("./m/orders.yaml")], {})

    assert desired.files == ("m/orders.yaml",)
    assert len(desired.objects) == 1


def test_an_absolute_path_is_shown_relative_to_the_cwd(
    write: Write, orders: str, workdir: Path
) -> None:
    write("m/orders.yaml", orders)

    desired = load([workdir / "m"], {})

    assert desired.files == ("m/orders.yaml",)
    assert desired.objects[0].location.file == "m/orders.yaml"


def test_the_project_file_in_a_folder_is_not_a_manifest(write: Write, orders: str) -> None:
    write("actito-iac.yaml", "manifests: [.]\n")
    write("orders.yaml", orders)

    assert load([Path(".")], {}).files == ("orders.yaml",)


def test_an_anchored_boolean_is_a_boolean(write: Write) -> None:
    path = write(
        "t.yaml",
        """\
        entity: B2C
        customTables:
          - name: T
            primaryKey: id
            bigTable: &yes true
            attributes:
              - {name: id, valueType: STRING, mandatory: *yes, unique: *yes}
        """,
    )

    (table,) = load([path], {}).objects

    assert isinstance(table.spec, CustomTableSpec)
    assert table.spec.bigTable is True
    assert table.spec.attributes[0].mandatory is True


def test_empty_files_and_documents_are_warnings_not_errors(write: Write, orders: str) -> None:
    write("a/empty.yaml", "# only a comment\n")
    write("a/orders.yaml", orders + "---\n")

    desired = load([Path("a")], {})

    assert len(desired.objects) == 1
    assert all(d.severity is Severity.WARNING for d in desired.warnings)
    assert [str(d) for d in desired.warnings] == [
        "a/empty.yaml: warning: no YAML document in this file: it declares nothing",
        "a/orders.yaml: warning: document 2 is empty: it declares nothing",
    ]


def test_a_document_with_only_an_entity_declares_the_entity(write: Write) -> None:
    desired = load([write("e.yaml", "entity: B2C\n")], {})

    assert desired.objects == ()
    assert list(desired.entities) == ["B2C"]


def test_merge_keys_are_followed(write: Write) -> None:
    path = write(
        "merge.yaml",
        """\
        entity: B2C
        customTables:
          - name: T
            primaryKey: id
            attributes:
              - &key {name: id, valueType: STRING, mandatory: true, unique: true}
              - <<: *key
                name: other
                unique: false
        """,
    )

    (table,) = load([path], {}).objects

    assert isinstance(table.spec, CustomTableSpec)
    other = table.spec.attributes[1]
    assert (other.name, other.valueType, other.mandatory, other.unique) == (
        "other",
        "STRING",
        True,
        False,
    )


def test_an_empty_folder_is_a_warning(workdir: Path) -> None:
    (workdir / "manifests").mkdir()

    desired = load([Path("manifests")], {})

    assert desired.objects == ()
    assert [str(d) for d in desired.warnings] == [
        "manifests: warning: no .yaml or .yml file in this folder"
    ]
