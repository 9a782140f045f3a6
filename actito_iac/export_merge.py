"""`export --update`: the live licence merged into the manifests a team already has.

An object a manifest already declares keeps its file, its place, its comments and its key
order (a ruamel round trip): only what differs from the licence is rewritten, key by key, and
an item of a list (an attribute, a link) by its name. A value that still means the same — a
`${var:…}` or `${secret:…}` reference, a default written out, a text the licence does not
return — is left as written. A key the licence now holds at its default is removed; a list
item it no longer holds goes, a new one is added at the end. Parts a kind manages only where
declared (display texts, a profile table's subscriptions) are not added to an object that
leaves them out; parts the licence's answer does not carry are not known, so never removed.

Objects no file declares are written as new files, as a plain export does. Objects a file
declares that the licence no longer holds are reported, never deleted from the file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path, PurePosixPath
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from actito_iac.actual import LiveObject
from actito_iac.errors import ConfigError
from actito_iac.export import ExportedFile, Exporter, file_paths
from actito_iac.export_yaml import new_yaml
from actito_iac.kinds.base import Kind
from actito_iac.manifest.desired import Desired, DesiredObject
from actito_iac.manifest.reader import read_text
from actito_iac.plan.diff import drop_undeclared
from actito_iac.vocabulary import JSON, UNREAD, Address, matching

IDENTITIES = ("name", "attribute")
"""What names an item of a list (an attribute, a link; a retention rule by its attribute)."""


@dataclass
class Merged:
    changed: dict[Path, str] = field(default_factory=dict)
    """Existing manifest files, with their new text (only those that change)."""
    beside: list[tuple[Path, PurePosixPath, bytes]] = field(default_factory=list)
    """Files a merged object names (an e-mail's content): the manifest's folder, the path
    inside it, the bytes (checked to stay inside that folder before anything is written)."""
    new: list[ExportedFile] = field(default_factory=list)
    """Objects no file declares: written as new files by a plain export."""
    unchanged: list[Address] = field(default_factory=list)
    gone: list[DesiredObject] = field(default_factory=list)
    """Declared in a file, no longer in the licence: reported, kept in the file."""
    variables: list[str] = field(default_factory=list)
    """`${var:…}` references written (one entry per value)."""


def merge(
    existing: Desired,
    objects: Mapping[Address, LiveObject],
    exporter: Exporter,
    entities: set[str],
) -> Merged:
    """What `export --update` writes: `objects` (the licence) merged into the files that
    declare them, the others as new files; `entities` are those exported (a declared object
    of another entity is not "gone")."""
    merged = Merged()
    declared = existing.by_address()
    by_file: dict[str, list[tuple[DesiredObject, LiveObject]]] = {}
    fresh = {a: live for a, live in objects.items() if a not in declared}
    paths = file_paths(fresh, exporter.sections)
    for address in sorted(objects):
        found = declared.get(address)
        if found is None or not found.document:
            merged.new.append(exporter.one(address, objects[address], paths[address]))
        else:
            by_file.setdefault(found.location.file, []).append((found, objects[address]))
    merged.gone = [
        o for o in existing.objects if o.address not in objects and o.address.entity in entities
    ]
    for shown, pairs in sorted(by_file.items()):
        _merge_file(Path(shown), existing.digests.get(shown), pairs, exporter, merged)
    merged.variables += [n for f in merged.new for n in f.variables]
    return merged


def _merge_file(
    path: Path,
    digest: str | None,
    pairs: list[tuple[DesiredObject, LiveObject]],
    exporter: Exporter,
    merged: Merged,
) -> None:
    edits = []
    for declared, live in pairs:
        kind = exporter.kinds[declared.address.kind]
        old = declared.spec.model_dump(mode="json", by_alias=True)
        new = live.spec.model_dump(mode="json", by_alias=True)
        _keep_unknown(kind, old, new)
        _same_meaning(kind, declared, live, old, new)
        if old == new:  # `_merge_map` would touch no key
            merged.unchanged.append(declared.address)
        else:
            edits.append((declared, live, kind, old, new))
    if not edits:
        return  # the file is not read again: of ten thousand in sync, each took 5 ms
    yaml, documents = _load(path, digest)
    changed = False
    for declared, live, kind, old, new in edits:
        section, index = declared.item
        node = documents[declared.document - 1][section][index]
        written = exporter.one(declared.address, live, PurePosixPath(path.name))
        # The file holds the manifest form, where attributes and other parts are list items
        # named by a `name` field, never keys: the declared-only fields' own names suffice.
        fields = frozenset(p[-1] for p in kind.declared_only)
        touched = _merge_map(node, old, new, written.item, fields)
        if not touched:
            merged.unchanged.append(declared.address)
            continue
        changed = True
        merged.variables += [n for n in written.variables if n in _references(node)]
        merged.beside += [(path.parent, rel, data) for rel, data in written.files]
    if changed:
        merged.changed[path] = _dump(yaml, documents)


def _same_meaning(
    kind: Kind,
    declared: DesiredObject,
    live: LiveObject,
    old: dict[str, Any],
    new: dict[str, Any],
) -> None:
    """A top-level field whose canonical form is the same on both sides means the same,
    however each side spells it (an e-mail's content as files beside the manifest, or as the
    zip the licence holds): it is taken as the file says."""
    before = drop_undeclared(
        kind.canonical(live.spec), kind.canonical(declared.spec), kind.declared_only
    )
    after = kind.canonical(declared.spec)
    for key in set(before) | set(after):
        if key in old and before.get(key) == after.get(key):
            new[key] = old[key]


def _keep_unknown(kind: Kind, old: dict[str, Any], new: dict[str, Any]) -> None:
    """What the licence's answer does not tell (a part it leaves out, a value it does not
    return, a secret compared by digest only) is taken as the file says: not known is not a
    difference."""
    for key in kind.live_optional:
        if new.get(key) is None and key in old:
            new[key] = old[key]
    for pattern in kind.secret_fields:
        for loc, value in matching(old, pattern):
            _put(new, loc, value)
    _unread(old, new)


def _unread(old: JSON, new: JSON) -> None:
    """Values the API does not return (UNREAD) take the file's value, at any depth."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key, value in list(new.items()):
            if value == UNREAD and key in old:
                new[key] = old[key]
            elif key in old:
                _unread(old[key], value)


def _put(document: Any, loc: tuple[str | int, ...], value: Any) -> None:
    """Set `value` at `loc` where `document` has that place (nothing otherwise)."""
    node = document
    try:
        for key in loc[:-1]:
            node = node[key]
        if isinstance(node, dict) or (isinstance(node, list) and isinstance(loc[-1], int)):
            node[loc[-1]] = value  # type: ignore[index]
    except (KeyError, IndexError, TypeError):
        return


def _merge_map(
    node: CommentedMap,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    written: Mapping[str, Any],
    declared_only: frozenset[str],
) -> bool:
    """Make `node` (the file's mapping, whose meaning is `old`) mean `new`; True if changed."""
    changed = False
    for key in list(node):
        if key not in new or old.get(key) == new.get(key):
            continue
        changed = True
        if key not in written:  # the licence holds the default: left implicit
            del node[key]
        else:
            _replace(node, key, old.get(key), new[key], written[key], declared_only)
    for key in written:
        if key in node or key in declared_only or old.get(key) == new.get(key):
            continue
        node[key] = written[key]
        changed = True
    return changed


def _replace(
    node: CommentedMap,
    key: str,
    old: Any,
    new: Any,
    written: Any,
    declared_only: frozenset[str],
) -> None:
    current = node[key]
    maps = isinstance(old, dict) and isinstance(new, dict) and isinstance(written, Mapping)
    if isinstance(current, CommentedMap) and maps:
        _merge_map(current, old, new, written, declared_only)
        return
    listed = isinstance(current, CommentedSeq) and isinstance(written, list)
    if listed and _merge_list(current, old, new, written, declared_only):
        return
    node[key] = written


def _merge_list(
    seq: CommentedSeq,
    old: Any,
    new: Any,
    written: list[Any],
    declared_only: frozenset[str],
) -> bool:
    """Items matched by their identity: kept in the file's order and merged, removed when
    the licence no longer holds them, added at the end. False when the list has no identity
    (a list of values): the caller replaces it whole."""
    identity = _identity(old, new)
    if identity is None or len(seq) != len(old):
        return False
    wanted = {item[identity]: (item, written[j]) for j, item in enumerate(new)}
    for index in reversed(range(len(old))):
        name = old[index][identity]
        if name not in wanted:
            del seq[index]
        elif isinstance(seq[index], CommentedMap) and old[index] != wanted[name][0]:
            item, item_written = wanted[name]
            _merge_map(seq[index], old[index], item, item_written, declared_only)
    present = {item[identity] for item in old}
    seq.extend(w for item, w in zip(new, written, strict=True) if item[identity] not in present)
    return True


def _identity(old: Any, new: Any) -> str | None:
    if not (isinstance(old, list) and isinstance(new, list)):
        return None
    items = [*old, *new]
    if not all(isinstance(i, dict) for i in items):
        return None
    for key in IDENTITIES:
        if all(key in i for i in items) and all(
            len({i[key] for i in side}) == len(side) for side in (old, new)
        ):
            return key
    return None


def _references(node: Any) -> str:
    """The text of the node's values, to see which `${var:…}` references it holds."""
    if isinstance(node, Mapping):
        return " ".join(_references(v) for v in node.values())
    if isinstance(node, list):
        return " ".join(_references(v) for v in node)
    return str(node)


def _load(path: Path, digest: str | None) -> tuple[YAML, list[Any]]:
    """The file's documents for a round trip (comments, key order and quotes kept), read
    again now: the objects are found in it where the manifests' load placed them, so a file
    edited since then (the licence takes a while to read) is refused, never merged into at
    the wrong place."""
    text, problems = read_text(path, str(path))
    if text is None:
        raise ConfigError(f"cannot read {path} to merge into it: {problems[0].message}")
    if hashlib.sha256(text.encode()).hexdigest() != digest:
        raise ConfigError(
            f"{path} changed while the licence was read: nothing was written; run export "
            "--update again"
        )
    yaml = new_yaml()  # the examples' and export's layout
    yaml.preserve_quotes = True
    return yaml, list(yaml.load_all(text))


def _dump(yaml: YAML, documents: list[Any]) -> str:
    buffer = StringIO()
    if len(documents) == 1:
        yaml.dump(documents[0], buffer)
    else:
        yaml.dump_all(documents, buffer)
    return buffer.getvalue()
