"""Files -> ruamel round-trip documents, and every read or syntax problem as a Diagnostic.

The round-trip loader is used for its line/column records (`.lc`); it builds no arbitrary
Python objects (its constructor derives from the safe one). Duplicate keys stay rejected,
which is ruamel's default for the `YAML()` API: never switch that off, or a repeated key would
silently win over the first one.

Only regular files are read, and only up to MAX_FILE_BYTES: a FIFO would block the run
forever, a device (`/dev/zero`) would never end, and a huge file would look like a hang.
Most files never reach this module's parser (manifest/fast.py reads them); it reads the ones
with a problem to report, and the project file. A scalar the constructor cannot
build (`!!int abc`, a number of 5,000 digits) is a diagnostic at its place, not a traceback.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, ReusedAnchorWarning, StreamMark, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

from actito_iac.errors import Diagnostic, Severity, SourceLocation

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 1024 * 1024
"""The largest manifest or project file read (1 MiB, about 4,000 tables of three attributes in
the examples' flow style; split larger configurations into files): a file without problems
loads in about 2 s (manifest/fast.py), one with a problem to report is read again by the
round-trip parser to place it, in tens of seconds on a busy machine (benchmarks/
large_manifest.py measures both). Anything larger is refused at once, unread: a huge file
would look like a hang."""

_NOT_REGULAR = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the cwd when that is shorter."""
    if not path.is_absolute():
        return str(path)
    try:
        relative = os.path.relpath(path)
    except (ValueError, OSError):  # another drive on Windows; a cwd that was removed
        return str(path)
    return relative if len(relative) < len(str(path)) else str(path)


def display_paths(paths: Sequence[Path]) -> list[str]:
    """`display_path` of each path, each folder worked out once: the loader shows thousands
    of files of a few folders, and `os.path.relpath` costs tens of microseconds a call. A
    file's relative path is its folder's followed by its name, shorter than its absolute path
    exactly when its folder's is (or when the folder is the cwd)."""
    folders: dict[str, str | None] = {}
    shown: list[str] = []
    for path in paths:
        text = str(path)
        folder, _, name = text.rpartition(os.sep)
        if not path.is_absolute() or not folder or name in ("", ".", ".."):
            shown.append(display_path(path))
            continue
        if folder not in folders:
            relative = display_path(Path(folder))
            folders[folder] = None if relative == folder else relative
        start = folders[folder]
        if start is None:
            shown.append(text)
        else:
            shown.append(name if start == "." else start + os.sep + name)
    return shown


def read_text(path: Path, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """The file's text, or why it cannot be read (missing, unreadable, not a regular file,
    too large, not UTF-8)."""
    try:
        data = read_limited(path, MAX_FILE_BYTES)
    except _Refused as refused:
        return None, [_error(str(refused), shown)]
    except OSError as exc:
        return None, [_error(f"cannot read the file: {exc.strerror or exc}", shown)]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        return None, [_error(f"not UTF-8 text (byte {exc.start} cannot be decoded)", shown)]


class _Refused(OSError):
    """A file refused without reading it (not a regular file, or over the size limit)."""


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; OSError otherwise.

    The type and size are checked before opening (opening a FIFO blocks), again on the open
    file (it may have been replaced), and the read stops after `limit` + 1 bytes (it may grow).
    """
    _check(os.stat(path), limit)
    # O_NONBLOCK: if a FIFO took the file's place since the check, opening it does not block.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        _check(info, limit)
        # Asking for the size it has (not the limit) spares a buffer of the limit's size per
        # file; the loop reads what a file that grew since holds, up to one byte past the limit.
        data = os.read(fd, info.st_size + 1)
        while len(data) <= limit:
            more = os.read(fd, limit + 1 - len(data))
            if not more:
                break
            data += more
    finally:
        os.close(fd)
    if len(data) > limit:
        raise _Refused(f"the file is larger than the {limit:,} bytes a file may hold; {_SPLIT}")
    return data


_SPLIT = "split it into several files"


def _check(info: os.stat_result, limit: int) -> None:
    for test, what in _NOT_REGULAR:
        if test(info.st_mode):
            raise _Refused(f"not a regular file ({what}); refusing to read it")
    if not stat.S_ISREG(info.st_mode):
        raise _Refused("not a regular file; refusing to read it")
    if info.st_size > limit:
        raise _Refused(
            f"the file is {info.st_size:,} bytes, larger than the {limit:,} bytes "
            f"a file may hold; {_SPLIT}"
        )


def parse(text: str, shown: str) -> tuple[list[Any], list[Diagnostic]]:
    """Every document of the text, up to the first syntax problem (reported, with its place).

    Documents before a syntax error are returned: they can still be checked, so the user sees
    their problems in the same run.
    """
    docs: list[Any] = []
    # ruamel reports some oddities as Python warnings (an anchor defined twice): they become
    # warnings at their line instead of text printed by the interpreter.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        problems = _load_all(text, shown, docs)
    return docs, problems + [_warning(w.message, shown) for w in caught]


def _load_all(text: str, shown: str, docs: list[Any]) -> list[Diagnostic]:
    yaml = YAML()
    yaml.Constructor = _Constructor
    try:
        for doc in yaml.load_all(text):
            docs.append(doc)
    except DuplicateKeyError as exc:
        return [_duplicate_key(exc, text, shown)]
    except _BadScalar as exc:
        return [_error(exc.problem or "invalid value", shown, exc.problem_mark)]
    except MarkedYAMLError as exc:
        return [_syntax(exc, shown)]
    except YAMLError as exc:  # e.g. a control character the reader refuses
        return [_error(f"YAML error: {exc}", shown)]
    except RecursionError:
        return [_error("YAML error: the document is nested too deeply", shown)]
    except (ValueError, LookupError, TypeError, OverflowError) as exc:
        # A value built outside a scalar (a container's own constructor); no place is known.
        log.debug("YAML construction failed", exc_info=True)
        return [_error(f"YAML error: a value cannot be built ({type(exc).__name__})", shown)]
    return []


def _warning(warning: Warning | str, shown: str) -> Diagnostic:
    text = str(warning)
    if isinstance(warning, ReusedAnchorWarning):
        places = re.findall(r"line (\d+), column (\d+)", text)
        line, column = (int(n) for n in places[-1]) if places else (0, 0)
        anchor = re.search(r"duplicate anchor (\S+)", text)
        what = f"the anchor {anchor.group(1)}" if anchor else "an anchor"
        message = f"{what} is defined again here; aliases after this point refer to this value"
        return Diagnostic(Severity.WARNING, message, SourceLocation(shown, line, column))
    return Diagnostic(Severity.WARNING, _one_line(text), SourceLocation(shown))


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


class _BadScalar(MarkedYAMLError):
    """A scalar whose tag and text do not go together (`!!int abc`), at its place."""


_TAG_WORDS = {
    "tag:yaml.org,2002:int": ("!!int", "a whole number"),
    "tag:yaml.org,2002:float": ("!!float", "a number"),
    "tag:yaml.org,2002:bool": ("!!bool", "true or false"),
}


class _Constructor(RoundTripConstructor):
    """ruamel's round-trip constructor, with scalar construction failures placed at the
    scalar: ruamel lets `int()`, `float()` and its lookups raise bare Python errors."""

    def construct_non_recursive_object(self, node: Any, tag: str | None = None) -> Any:
        try:
            return super().construct_non_recursive_object(node, tag)
        except (ValueError, LookupError, TypeError, OverflowError) as exc:
            if not isinstance(node, ScalarNode):
                raise
            problem = _scalar_problem(node, exc)
            raise _BadScalar(problem=problem, problem_mark=node.start_mark) from None


def _scalar_problem(node: ScalarNode, exc: Exception) -> str:
    text = str(node.value)
    tag, meaning = _TAG_WORDS.get(str(node.tag), (str(node.tag), "a value of that type"))
    digits = sum(c.isdigit() for c in text)
    if "digits" in str(exc) or digits > 1000:
        return f"a number of {digits:,} digits is longer than numbers may be; shorten it"
    shown = text if len(text) <= 40 else text[:39] + "…"
    return f"{tag} {shown!r} is not {meaning}"


def _syntax(exc: MarkedYAMLError, shown: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    message = f"YAML syntax error: {exc.problem or exc.context or 'invalid YAML'}"
    context = exc.context_mark
    if exc.problem and exc.context and context is not None and context is not mark:
        message += f" ({exc.context}, line {context.line + 1}, column {context.column + 1})"
    return _error(message, shown, mark)


def _duplicate_key(exc: DuplicateKeyError, text: str, shown: str) -> Diagnostic:
    mark = exc.problem_mark
    key, first = _first_occurrence(text, exc.context_mark, mark)
    if key is None:
        return _error(f"duplicate key: {exc.problem}", shown, mark)
    where = f": already defined at line {first}" if first else ""
    return _error(f"duplicate key {key!r}{where}", shown, mark)


def _first_occurrence(
    text: str, mapping_mark: StreamMark | None, duplicate_mark: StreamMark | None
) -> tuple[str | None, int]:
    """The repeated key's name and the 1-based line of its first occurrence.

    The exception only tells where the mapping starts and where the repeat is, so the node
    tree (composed without constructing, hence without the duplicate check) is searched.
    """
    if mapping_mark is None or duplicate_mark is None:
        return None, 0
    try:
        for root in YAML().compose_all(text):
            mapping = _find_mapping(root, mapping_mark)
            if mapping is not None:
                return _key_lines(mapping, duplicate_mark)
    except YAMLError:  # a later syntax error; what was found so far is all we have
        log.debug("could not compose the file to find a duplicate key", exc_info=True)
    return None, 0


def _find_mapping(node: Node | None, mark: StreamMark) -> MappingNode | None:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, MappingNode) and _same_place(current.start_mark, mark):
            return current
        if isinstance(current, MappingNode):
            stack.extend(v for pair in current.value for v in pair)
        elif current is not None and isinstance(current.value, list):
            stack.extend(current.value)
    return None


def _key_lines(mapping: MappingNode, duplicate: StreamMark) -> tuple[str | None, int]:
    keys = [k for k, _ in mapping.value]
    repeated = next((k for k in keys if _same_place(k.start_mark, duplicate)), None)
    if repeated is None:
        return None, 0
    first = next(k for k in keys if k.value == repeated.value)
    return str(repeated.value), first.start_mark.line + 1


def _same_place(a: StreamMark, b: StreamMark) -> bool:
    return bool(a.line == b.line and a.column == b.column)


def _error(message: str, shown: str, mark: StreamMark | None = None) -> Diagnostic:
    if mark is None:
        return Diagnostic(Severity.ERROR, message, SourceLocation(shown))
    location = SourceLocation(shown, mark.line + 1, mark.column + 1)
    return Diagnostic(Severity.ERROR, message, location)
