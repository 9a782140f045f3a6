"""export: the live licence as manifests, one file per object, ready to commit.

Each object is written as its kind's spec, without the fields that hold their default, so a
file says what differs from ACTITO's defaults and nothing else. Lists of flat items
(attributes, subscriptions, links…) are written one item per line, in flow style, as the
examples are. Exported files are checked with the same loader as any manifest: a value this
version does not know (a newer table type, say) is reported, not hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from io import StringIO
from pathlib import PurePosixPath
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from actito_iac.actual import LiveObject
from actito_iac.kinds.base import Kind
from actito_iac.kinds.registry import KINDS
from actito_iac.vocabulary import Address


@dataclass(frozen=True)
class ExportedFile:
    path: PurePosixPath
    """Relative to the export folder: ENTITY/SECTION/NAME.yaml."""
    text: str


def export_files(
    objects: Mapping[Address, LiveObject],
    header: str,
    rewrite: Callable[[str], str] = str,
    kinds: Sequence[Kind] = KINDS,
) -> list[ExportedFile]:
    """One file per object; `rewrite` is applied to every text value (secrets → references)
    before YAML quoting, so whatever it puts in stays valid YAML."""
    by_name = {k.name: k for k in kinds}
    files = []
    for address in sorted(objects):
        kind = by_name[address.kind]
        spec = objects[address].spec.model_dump(mode="json", exclude_defaults=True)
        document = CommentedMap(entity=address.entity)
        document[kind.section] = _tree([spec], rewrite)
        document.yaml_set_start_comment(header)
        path = PurePosixPath(address.entity, kind.section, f"{address.name}.yaml")
        files.append(ExportedFile(path, _dump(document)))
    return files


def _tree(value: Any, rewrite: Callable[[str], str]) -> Any:
    """ruamel containers: flat mappings inside lists in flow style, the rest in block style."""
    if isinstance(value, dict):
        return CommentedMap((k, _tree(value[k], rewrite)) for k in _key_order(value))
    if isinstance(value, str):
        return rewrite(value)
    if isinstance(value, list):
        items = CommentedSeq(_tree(v, rewrite) for v in value)
        for item in items:
            if isinstance(item, CommentedMap) and all(_flat(v) for v in item.values()):
                item.fa.set_flow_style()
        if value and all(not isinstance(v, (dict, list)) for v in value):
            items.fa.set_flow_style()
        return items
    return value


_LAST = ("minLength", "maxLength", "acceptedValues", "displayName", "description")


def _key_order(value: dict[str, Any]) -> list[str]:
    """The name first and restrictions and display texts last, as one writes an attribute."""
    head = ["name"] if "name" in value else []
    tail = [k for k in _LAST if k in value]
    return head + [k for k in value if k not in head and k not in tail] + tail


def _flat(value: Any) -> bool:
    if isinstance(value, list):
        return all(not isinstance(v, (dict, list)) for v in value)
    return not isinstance(value, dict)


def _dump(document: CommentedMap) -> str:
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # one item per line, however long
    buffer = StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()
