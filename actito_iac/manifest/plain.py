"""A ruamel round-trip tree -> plain Python (dict/list/str/int/float/bool/None), with diagnostics.

Why convert at all: pydantic's strict mode refuses some of ruamel's scalar types. An anchored
boolean (`&x true`) is a `ScalarBoolean`, an int subclass, not a bool; tagged scalars, dates
and YAML sets are not JSON-like at all. Each such value is reported once, here, at its line,
and replaced by a stand-in close to what the user meant, so validation can go on and report
the other problems without repeating this one.

`${source:NAME}` references in string values are substituted on the way (see substitute.py).
"""

from __future__ import annotations

import datetime
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
            return str(key)
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
            return int(node)
        if isinstance(node, float):
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

    def _string(self, text: str, at: _At) -> Scalar:
        if self.known is None:
            return text
        value, problems = substitute_value(text, self.known)
        for problem in problems:
            self.report(at, problem)
        return value

    def report(self, at: _At, message: str) -> None:
        location = SourceLocation(self.file, *at.position)
        self.diagnostics.append(Diagnostic(Severity.ERROR, message, location, render_path(at.path)))
