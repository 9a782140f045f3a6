"""A ruamel round-trip tree -> plain Python (dict/list/str/int/float/bool/None), with diagnostics.

Why convert at all: pydantic's strict mode refuses some of ruamel's scalar types. An anchored
boolean (`&x true`) is a `ScalarBoolean`, an int subclass, not a bool; tagged scalars, dates
and YAML sets are not JSON-like at all. Each such value is reported once, here, at its line,
and replaced by a stand-in close to what the user meant, so validation can go on and report
the other problems without repeating this one.

`${source:NAME}` references in string values are substituted on the way (see substitute.py).

Values no API call can carry are refused here, at their line: NaN and infinities (JSON has no
such numbers: a payload holding one cannot even be encoded), integers too long to print, and
text holding a lone surrogate (`"\\ud800"` is a valid YAML escape but not a character; it
cannot be printed or sent). A surrogate pair written as two escapes, as JSON does, is joined.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.comments import TaggedScalar
from ruamel.yaml.scalarbool import ScalarBoolean

from actito_iac.errors import Diagnostic, Severity, SourceLocation
from actito_iac.manifest.locate import Loc, Position, child_position, node_position, render_path
from actito_iac.manifest.substitute import Scalar, Sources, substitute_value

_STR_TAG = "tag:yaml.org,2002:str"
_SURROGATE = re.compile("[\ud800-\udfff]")


def to_plain(tree: Any, file: str, known: Sources | None) -> tuple[Any, list[Diagnostic]]:
    """The plain value of a document, and every problem found in its values.

    `known` are the `${…}` sources; None leaves strings untouched (the project file).
    """
    converter = _Converter(file, known)
    root = _At(node_position(tree), ())
    try:
        value = converter.convert(tree, root)
    except RecursionError:  # the parser nests deeper than we can walk when called deep itself
        converter.report(root, "the document is nested too deeply")
        return None, converter.diagnostics
    return value, converter.diagnostics


@dataclass(frozen=True)
class _At:
    """Where the value being converted stands: its place in the text and its field path."""

    position: Position
    path: Loc

    def child(self, parent: Any, segment: str | int, key: Any) -> _At:
        return _At(child_position(parent, key) or self.position, (*self.path, segment))


@dataclass
class _Converter:
    file: str
    known: Sources | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Aliases make a tree a graph: converting each container once keeps `*ref` fan-out linear
    # and lets a recursive alias be caught instead of recursing forever.
    _done: dict[int, Any] = field(default_factory=dict)
    _active: set[int] = field(default_factory=set)

    def convert(self, node: Any, at: _At) -> Any:
        if isinstance(node, Mapping | list | AbstractSet):
            return self._container(node, at)
        return self._scalar(node, at)

    def _container(self, node: Any, at: _At) -> Any:
        ident = id(node)
        if ident in self._done:
            return self._done[ident]
        if ident in self._active:
            self.report(at, "a recursive alias refers to itself; YAML manifests must be trees")
            return None
        self._check_tag(node, at)
        self._active.add(ident)
        try:
            value = self._children(node, at)
        finally:
            self._active.discard(ident)
        self._done[ident] = value
        return value

    def _children(self, node: Any, at: _At) -> Any:
        if isinstance(node, Mapping):
            out: dict[str, Any] = {}
            for key, value in node.items():
                name = self._key(node, key, at)
                out[name] = self.convert(value, at.child(node, name, key))
            return out
        if isinstance(node, list):
            return [self.convert(item, at.child(node, i, i)) for i, item in enumerate(node)]
        self.report(at, "YAML sets (!!set) are not supported; write a list")
        return [self.convert(item, at) for item in node]

    def _key(self, node: Any, key: Any, at: _At) -> str:
        if isinstance(key, str):
            text, problem = characters(str(key))
            if problem:
                where = _At(child_position(node, key, at_key=True) or at.position, at.path)
                self.report(where, f"the key {problem}")
            return text
        where = _At(child_position(node, key, at_key=True) or at.position, (*at.path, str(key)))
        self.report(where, f"keys must be text; quote the key {key!r}")
        return str(key)

    def _scalar(self, node: Any, at: _At) -> Any:
        if isinstance(node, TaggedScalar):
            return self._tagged(node, at)
        if isinstance(node, bool) or node is None:
            return node
        if isinstance(node, ScalarBoolean):  # anchored booleans: an int subclass, not a bool
            return bool(node)
        if isinstance(node, int):
            return self._integer(int(node), at)
        if isinstance(node, float):
            if not math.isfinite(node):
                self.report(at, f"{node} is not a finite number; only finite numbers can be sent")
                return None
            return float(node)
        if isinstance(node, str):
            return self._string(str(node), at)
        if isinstance(node, datetime.date):
            text = node.isoformat()
            self.report(at, f"{text} is read as a date, not text; quote it: '{text}'")
            return text
        kind = "binary (!!binary)" if isinstance(node, bytes) else type(node).__name__
        self.report(at, f"unsupported YAML value: {kind}")
        return None

    def _tagged(self, node: TaggedScalar, at: _At) -> Any:
        if node.tag.value != _STR_TAG:
            self.report(at, f"YAML tag {node.tag.value} is not supported; remove it")
        return self._string(str(node.value), at)

    def _check_tag(self, node: Any, at: _At) -> None:
        value = getattr(getattr(node, "tag", None), "value", None)
        if value is not None and value != _STR_TAG:
            self.report(at, f"YAML tag {value} is not supported; remove it")

    def _integer(self, value: int, at: _At) -> int | None:
        try:
            str(value)  # what every output does with it; Python refuses very long ones
        except ValueError:
            digits = int(value.bit_length() * math.log10(2)) + 1
            self.report(at, f"a number of about {digits:,} digits is longer than numbers may be")
            return None
        return value

    def _string(self, raw: str, at: _At) -> Scalar:
        text, problem = characters(raw)
        if problem:
            self.report(at, f"the text {problem}")
            return text
        if self.known is None:
            return text
        value, problems = substitute_value(text, self.known)
        for problem in problems:
            self.report(at, problem)
        if isinstance(value, str):
            value, problem = characters(value)
            if problem:  # an environment value that was not UTF-8 (decoded with escapes)
                self.report(at, f"the value its reference gives {problem}")
        return value

    def report(self, at: _At, message: str) -> None:
        location = SourceLocation(self.file, *at.position)
        self.diagnostics.append(Diagnostic(Severity.ERROR, message, location, render_path(at.path)))


def characters(text: str) -> tuple[str, str]:
    """`text` with surrogate pairs joined, and a problem when a lone surrogate remains (the
    text returned then shows U+FFFD in its place, so it can still be printed)."""
    if not _SURROGATE.search(text):
        return text, ""
    joined = text.encode("utf-16-le", "surrogatepass")
    try:
        return joined.decode("utf-16-le"), ""
    except UnicodeDecodeError as exc:
        lone = int.from_bytes(joined[exc.start : exc.start + 2], "little")
        shown = joined.decode("utf-16-le", "replace")
        return shown, (
            f"holds \\u{lone:04x}, a lone surrogate, which is not a character "
            "(write the character itself, or \\U and its 8-digit code point)"
        )
