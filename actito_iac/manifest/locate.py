"""Field paths (pydantic `loc`s, kind `Issue.loc`s) -> places in the YAML text.

ruamel records 0-based positions on containers only: `.lc.key(k)` and `.lc.value(k)` on a
mapping, `.lc.item(i)` on a sequence. A scalar's place is asked of its parent, so the walk
keeps the deepest place found while it descends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedBase

Loc = tuple[str | int, ...]
Position = tuple[int, int]
"""1-based (line, column)."""

_ABSENT = object()


@dataclass(frozen=True)
class Spot:
    """Where a loc ends up: its position, its YAML-only path, and the node if it exists."""

    position: Position
    path: Loc
    node: Any = _ABSENT

    @property
    def found(self) -> bool:
        return self.node is not _ABSENT


def locate(tree: Any, loc: Loc, *, at_key: bool = False, absent_field: bool = False) -> Spot:
    """The place of `loc` in `tree`: the key's place when `at_key`, else the value's.

    A segment the tree does not have is skipped and left out of the path: pydantic adds such
    segments for union members (`value.str`). With `absent_field`, a missing last segment is
    a field that is not written (a missing required field): it stays in the path, and the
    place stays on the enclosing mapping.
    """
    node: Any = tree
    position = node_position(tree)
    path: list[str | int] = []
    for depth, segment in enumerate(loc):
        last = depth == len(loc) - 1
        key = _key(node, segment)
        if key is not _ABSENT:
            position = child_position(node, key, at_key=at_key and last) or position
            node = node[key]
            path.append(segment)
        elif last and absent_field:
            path.append(segment)
            return Spot(position, tuple(path))
    return Spot(position, tuple(path), node)


def node_position(node: Any, default: Position = (1, 1)) -> Position:
    """Where a container starts; plain scalars carry no position (ask their parent)."""
    if isinstance(node, CommentedBase) and hasattr(node, "lc") and node.lc.line is not None:
        return node.lc.line + 1, node.lc.col + 1
    return default


def child_position(parent: Any, key: Any, *, at_key: bool = False) -> Position | None:
    """Where a mapping value (or key) or a sequence item stands, when ruamel recorded it.

    Keys brought in by a `<<` merge have no record in the mapping that receives them.
    """
    if not isinstance(parent, CommentedBase):
        return None
    try:
        if isinstance(parent, Mapping):
            line, col = parent.lc.key(key) if at_key else parent.lc.value(key)
        else:
            line, col = parent.lc.item(key)
    except (AttributeError, KeyError, IndexError, TypeError):
        return None
    return line + 1, col + 1


def render_path(path: Loc) -> str:
    """`customTables[0].attributes[2].valueType`."""
    out = ""
    for segment in path:
        if isinstance(segment, int):
            out += f"[{segment}]"
        else:
            out += f".{segment}" if out else str(segment)
    return out


def _key(node: Any, segment: str | int) -> Any:
    """The key or index of `node` that `segment` names, or _ABSENT.

    Converted documents have text keys only, so a segment '12' may name the YAML key 12.
    """
    if isinstance(node, Mapping):
        try:
            if segment in node:
                return segment
        except TypeError:  # an unhashable segment cannot be a key
            return _ABSENT
        return next((k for k in node if str(k) == segment), _ABSENT)
    if isinstance(node, Sequence) and not isinstance(node, str) and isinstance(segment, int):
        return segment if 0 <= segment < len(node) else _ABSENT
    return _ABSENT
