"""Hostile manifest and project files: each is one diagnostic with its place, never a traceback,
never a hang, and nothing is skipped silently."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from actito_iac.errors import ManifestError, Severity, SourceLocation
from actito_iac.manifest import reader
from actito_iac.manifest.loader import load
from actito_iac.manifest.project import load_project
from actito_iac.manifest.reader import MAX_FILE_BYTES

from .conftest import ORDERS, Problems, Write, only, place

TABLE = """\
entity: B2C
customTables:
  - name: T
    primaryKey: id
    attributes:
      - {name: id, valueType: STRING, mandatory: true, unique: true}
"""


def with_attribute(fields: str) -> str:
    return TABLE + f"      - {{name: a, valueType: STRING, {fields}}}\n"


def with_condition(value: str) -> str:
    return TABLE + (
        "    events:\n"
        "      - name: e\n"
        "        rules:\n"
        "          - operation: UPDATE\n"
        f"            after: [{{attribute: id, operator: '=', value: {value}}}]\n"
    )


@pytest.mark.parametrize(
    ("text", "fragment", "words"),
    [
        (with_attribute("maxLength: !!int abc"), "!!int abc", "!!int"),
        (with_attribute("maxLength: !!float abc"), "!!float abc", "!!float"),
        (with_attribute("mandatory: !!bool maybe"), "!!bool maybe", "!!bool"),
        (with_attribute("maxLength: !!int ''"), "!!int ''", "!!int"),
        (with_attribute("maxLength: " + "9" * 5000), "9999", "digits"),
        (with_attribute("maxLength: 0x" + "f" * 5000), "0xfff", "digits"),
        (with_attribute("minLength: !!int 1" + "0" * 5000), "!!int 1", "digits"),
    ],
    ids=["int", "float", "bool", "empty-int", "long-int", "long-hex", "long-tagged"],
)
def test_a_scalar_that_cannot_be_built_is_a_diagnostic_at_its_place(
    write: Write, problems: Problems, text: str, fragment: str, words: str
) -> None:
    path = write("bad.yaml", text)

    (diagnostic,) = problems([path])

    assert diagnostic.location == SourceLocation("bad.yaml", *place(text, fragment))
    assert words in diagnostic.message
    assert len(diagnostic.message) < 300  # a value of 5,000 digits is not printed back


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (with_attribute('acceptedValues: ["ok", "bad \\ud800"]'), '"bad'),
        (with_attribute('displayName: "\\udfff"'), '"\\udfff"'),
        (TABLE + '    description: "x\\uDBFFy"\n', '"x'),
    ],
    ids=["list item", "display name", "mixed case escape"],
)
def test_a_lone_surrogate_is_not_text(
    write: Write, problems: Problems, text: str, fragment: str
) -> None:
    path = write("s.yaml", text)

    (diagnostic,) = problems([path])

    assert diagnostic.location == SourceLocation("s.yaml", *place(text, fragment))
    assert "surrogate" in diagnostic.message
    str(diagnostic).encode("utf-8")  # the diagnostic itself prints


def test_a_lone_surrogate_in_a_key_is_reported(write: Write, problems: Problems) -> None:
    text = TABLE + '    "k\\ud800": 1\n'
    path = write("k.yaml", text)

    found = problems([path])

    surrogate = only(found, "surrogate")
    assert surrogate.location is not None
    assert surrogate.location.line == place(text, '"k')[0]
    for diagnostic in found:
        str(diagnostic).encode("utf-8")


def test_a_surrogate_pair_is_one_character_and_fine(write: Write) -> None:
    path = write("ok.yaml", with_attribute('displayName: "emoji \\ud83d\\ude00"'))

    desired = load([path], {})

    [table] = desired.objects
    assert table.spec.model_dump()["attributes"][1]["displayName"] == "emoji 😀"


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "!!float nan"])
def test_nan_and_infinity_are_not_numbers_acti_to_store(
    write: Write, problems: Problems, value: str
) -> None:
    text = with_condition(value)
    path = write("nan.yaml", text)

    (diagnostic,) = problems([path])

    assert diagnostic.location == SourceLocation("nan.yaml", *place(text, value))
    assert "finite" in diagnostic.message


def test_nan_anywhere_is_refused(write: Write, problems: Problems) -> None:
    text = ORDERS.replace("mandatory: true, unique", "mandatory: .nan, unique", 1)
    path = write("nan.yaml", text)

    assert any("finite" in d.message for d in problems([path]))


def test_an_anchor_defined_twice_is_a_warning_at_its_line(write: Write) -> None:
    path = write("anchors.yaml", "entity: &e B2C\ncustomTables: &e []\n")

    desired = load([path], {})

    (warning,) = desired.warnings
    assert warning.severity is Severity.WARNING
    assert warning.location == SourceLocation("anchors.yaml", 2, 15)
    assert "anchor" in warning.message


# -- what a path names -------------------------------------------------------------------------


def finishes(action: Callable[[], Any], seconds: float = 20) -> Any:
    """The action's result, failing the test (instead of hanging it) if it blocks."""
    result: list[Any] = []

    def run() -> None:
        try:
            result.append(action())
        except BaseException as exc:
            result.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "blocked instead of refusing"
    return result[0]


def unblock(fifo: Path) -> None:
    """Open the FIFO for writing (non-blocking), so a reader stuck on it gets end-of-file."""
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return  # no reader is waiting
    os.close(fd)


@pytest.fixture
def fifo(workdir: Path) -> Any:
    path = workdir / "pipe.yaml"
    os.mkfifo(path)
    yield path
    unblock(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_on_the_command_line_is_refused_without_reading_it(fifo: Path) -> None:
    failure = finishes(lambda: load([Path("pipe.yaml")], {}))

    assert isinstance(failure, ManifestError)
    (diagnostic,) = failure.diagnostics
    assert diagnostic.location == SourceLocation("pipe.yaml")
    assert "not a regular file" in diagnostic.message
    assert "FIFO" in diagnostic.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_inside_a_folder_is_refused_not_skipped(write: Write, workdir: Path) -> None:
    write("m/ok.yaml", ORDERS)
    os.mkfifo(workdir / "m" / "queue.yaml")
    try:
        failure = finishes(lambda: load([Path("m")], {}))
    finally:
        unblock(workdir / "m" / "queue.yaml")

    assert isinstance(failure, ManifestError)
    (diagnostic,) = failure.diagnostics
    assert diagnostic.location == SourceLocation(os.path.join("m", "queue.yaml"))
    assert "not a regular file" in diagnostic.message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_refused_without_reading_it() -> None:
    failure = finishes(lambda: load([Path("/dev/zero")], {}))

    assert isinstance(failure, ManifestError)
    (diagnostic,) = failure.diagnostics
    assert "not a regular file" in diagnostic.message
    assert "device" in diagnostic.message


def test_a_file_over_the_size_limit_is_refused_unread(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = workdir / "big.yaml"
    with big.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)

    def no_parsing(*args: Any) -> Any:
        raise AssertionError("a file over the limit must not be parsed")

    monkeypatch.setattr("actito_iac.manifest.loader.parse", no_parsing)

    with pytest.raises(ManifestError) as failure:
        load([Path("big.yaml")], {})

    (diagnostic,) = failure.value.diagnostics
    assert diagnostic.location == SourceLocation("big.yaml")
    assert "52,428,800 bytes" in diagnostic.message
    assert f"{MAX_FILE_BYTES:,}" in diagnostic.message


def test_a_file_at_the_size_limit_is_read(write: Write) -> None:
    text = ORDERS + "#" * (MAX_FILE_BYTES - len(ORDERS.encode()) - 1) + "\n"
    path = write("full.yaml", text)

    assert len(load([path], {}).objects) == 1


def test_a_file_that_grows_past_the_limit_while_read_is_refused(
    write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write("growing.yaml", ORDERS)
    # The size seen before opening is small; what is read is not (a file appended to meanwhile).
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", len(ORDERS) - 10)
    real_fstat = os.fstat

    def small_fstat(fd: int) -> os.stat_result:
        seen = real_fstat(fd)
        fields = list(seen)
        fields[stat.ST_SIZE] = 1
        return os.stat_result(fields)

    monkeypatch.setattr(reader.os, "fstat", small_fstat)

    with pytest.raises(ManifestError) as failure:
        load([path], {})

    assert "larger than" in failure.value.diagnostics[0].message


# -- folders that cannot be read ---------------------------------------------------------------


def test_a_folder_that_cannot_be_listed_is_an_error_not_skipped(
    write: Write, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("m/ok.yaml", ORDERS)
    write("m/locked/hidden.yaml", ORDERS.replace("Orders", "Hidden"))
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)

    with pytest.raises(ManifestError) as failure:
        load([Path("m")], {})

    (diagnostic,) = failure.value.diagnostics
    assert diagnostic.severity is Severity.ERROR
    assert diagnostic.location == SourceLocation(os.path.join("m", "locked"))
    assert "cannot read the folder" in diagnostic.message
    assert "Permission denied" in diagnostic.message


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads all")
def test_an_unreadable_folder_for_real(write: Write, workdir: Path) -> None:
    write("m/ok.yaml", ORDERS)
    locked = workdir / "m" / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        with pytest.raises(ManifestError) as failure:
            load([Path("m")], {})
    finally:
        locked.chmod(0o755)

    assert "cannot read the folder" in failure.value.diagnostics[0].message


def test_a_symlink_loop_in_a_folder_is_not_followed_forever(write: Write, workdir: Path) -> None:
    write("m/ok.yaml", ORDERS)
    (workdir / "m" / "loop").symlink_to(workdir / "m", target_is_directory=True)

    desired = finishes(lambda: load([Path("m")], {}))

    assert not isinstance(desired, BaseException), desired
    assert len(desired.objects) == 1


# -- the project file gets the same care ---------------------------------------------------------

PROJECT = """\
manifests: [manifests]
environments:
  local: {apiUrl: 'http://127.0.0.1:8787'}
"""


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (PROJECT + "defaultEnvironment: !!int abc\n", "!!int"),
        (PROJECT.replace("'http", '"\\ud800http').replace(":8787'", ':8787"'), "surrogate"),
        (PROJECT + "x: .nan\n", "finite"),
    ],
    ids=["tag", "surrogate", "nan"],
)
def test_a_hostile_project_file_is_a_diagnostic(workdir: Path, text: str, words: str) -> None:
    path = workdir / "actito-iac.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ManifestError) as failure:
        load_project(path)

    assert any(words in d.message for d in failure.value.diagnostics)
    assert all(d.location and d.location.line for d in failure.value.diagnostics)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_project_file_that_is_a_fifo_is_refused(workdir: Path) -> None:
    path = workdir / "actito-iac.yaml"
    os.mkfifo(path)
    try:
        failure = finishes(lambda: load_project(path))
    finally:
        unblock(path)

    assert isinstance(failure, ManifestError)
    assert "not a regular file" in failure.diagnostics[0].message


def test_a_project_file_over_the_limit_is_refused(workdir: Path) -> None:
    path = workdir / "actito-iac.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)

    with pytest.raises(ManifestError) as failure:
        load_project(path)

    assert "larger than" in failure.value.diagnostics[0].message
