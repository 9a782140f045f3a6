"""export writes only where it is told: names read from the licence never choose a path, and
no symbolic link leads a write out of --out."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from ruamel.yaml import YAML

from actito_iac.export import file_name, file_paths
from actito_iac.vocabulary import Address

from .conftest import no_traceback, run

HOSTILE_TABLES = ["../../escaped", "/etc/absolute", "a/b", "back\\slash", "c:drive", ".", ".."]


def table(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "type": "INTERACTIONS",
        "primaryKeyAttribute": "k",
        "attributes": [{"name": "k", "valueType": "STRING", "mandatory": True, "unique": True}],
    }


def everything_under(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


def exported_object(path: Path) -> tuple[str, str]:
    document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return document["entity"], document["customTables"][0]["name"]


@pytest.fixture
def hostile(licence: Any, served: str) -> dict[str, str]:
    """A licence whose names were made to escape: written to the store directly, as a licence
    holding them (or an API answering them) would give them."""
    licence.store.insert_entity("B2C")
    licence.store.insert_entity("b2c")
    for name in HOSTILE_TABLES:
        licence.store.insert_custom_table("B2C", table(name))
    licence.store.insert_custom_table("B2C", table("Orders"))
    licence.store.insert_custom_table("B2C", table("orders"))
    licence.store.insert_custom_table("b2c", table("Orders"))
    return {"ACTITO_API_URL": served, "ACTITO_API_KEY": licence.api_key}


def test_no_name_from_the_licence_writes_outside_out(
    hostile: dict[str, str], tmp_path: Path
) -> None:
    work = tmp_path / "work"
    out = work / "out"
    work.mkdir()
    before = everything_under(tmp_path)

    result = run("export", "--out", str(out), cwd=work, env=hostile)

    no_traceback(result)
    written = everything_under(tmp_path) - before
    assert written, result.stderr
    assert all(p == out or out in p.parents for p in written), sorted(map(str, written))
    files = [p for p in written if p.is_file()]
    # Every object has its own file: nothing was lost to a collision or a refusal.
    exported = sorted(exported_object(p) for p in files)
    expected = [("B2C", n) for n in [*HOSTILE_TABLES, "Orders", "orders"]] + [("b2c", "Orders")]
    assert exported == sorted(expected)
    # Paths that differ only in case (a macOS or Windows disk keeps one) differ otherwise.
    relative = [str(p.relative_to(out)).casefold() for p in files]
    assert len(set(relative)) == len(relative)
    assert "differs from another only in case" in result.stderr


def test_a_name_with_a_nul_byte_is_refused_and_nothing_written(
    licence: Any, served: str, tmp_path: Path
) -> None:
    licence.store.insert_entity("B2C")
    licence.store.insert_custom_table("B2C", table("Orders"))
    licence.store.insert_custom_table("B2C", table("nul\x00byte"))
    env = {"ACTITO_API_URL": served, "ACTITO_API_KEY": licence.api_key}

    result = run("export", "--out", str(tmp_path / "out"), cwd=tmp_path, env=env)

    assert result.returncode == 1
    assert "cannot be printed" in result.stderr
    assert "item 2 of the list" in result.stderr
    no_traceback(result)
    assert not (tmp_path / "out").exists()


def test_force_never_writes_through_a_link_to_a_folder(
    hostile: dict[str, str], tmp_path: Path
) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    (out / "B2C").mkdir(parents=True)
    elsewhere.mkdir()
    (out / "B2C" / "customTables").symlink_to(elsewhere, target_is_directory=True)

    result = run("export", "--out", str(out), "--force", cwd=tmp_path, env=hostile)

    assert result.returncode == 1
    assert "symbolic link" in result.stderr
    no_traceback(result)
    assert list(elsewhere.iterdir()) == []


def test_force_never_writes_through_a_link_to_a_file(
    hostile: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (out / "B2C" / "customTables").mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (out / "B2C" / "customTables" / "a%2Fb.yaml").symlink_to(victim)

    result = run("export", "--out", str(out), "--force", cwd=tmp_path, env=hostile)

    assert result.returncode == 1
    assert "symbolic link" in result.stderr
    assert victim.read_text() == "precious\n"
    # Refused before anything was written.
    assert sorted(p.name for p in (out / "B2C" / "customTables").iterdir()) == ["a%2Fb.yaml"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Orders", "Orders"),
        ("order_lines-2", "order_lines-2"),
        ("..", "%2E%2E"),
        (".hidden", "%2Ehidden"),
        ("a/b", "a%2Fb"),
        ("/etc/passwd", "%2Fetc%2Fpasswd"),
        ("c:\\x", "c%3A%5Cx"),
        ("nul\x00", "nul%00"),
        ("Société", "Soci%C3%A9t%C3%A9"),
        ("CON", "%43ON"),
        ("lpt1", "%6Cpt1"),
        ("trailing.", "trailing%2E"),
        ("two words", "two words"),
        (" lead", "%20lead"),
        ("", "%"),
    ],
)
def test_a_name_becomes_one_safe_path_component(name: str, expected: str) -> None:
    assert file_name(name) == expected


def test_a_long_name_is_cut_with_a_digest_that_keeps_it_unique() -> None:
    first, second = file_name("é" * 200 + "a"), file_name("é" * 200 + "b")
    assert len(first.encode()) <= 200
    assert first != second


def test_paths_that_collide_without_case_are_told_apart() -> None:
    addresses = [
        Address("B2C", "customTable", "Orders"),
        Address("B2C", "customTable", "orders"),
        Address("b2c", "customTable", "ORDERS"),
        Address("B2C", "customTable", "Stores"),
    ]
    sections = {"customTable": "customTables"}

    paths = file_paths(addresses, sections)

    folded = {str(p).casefold() for p in paths.values()}
    assert len(folded) == 4
    assert paths[Address("B2C", "customTable", "Stores")] == PurePosixPath(
        "B2C/customTables/Stores.yaml"
    )
    assert paths == file_paths(list(reversed(addresses)), sections)  # stable
