"""export: the live licence as manifests, one file per object, ready to commit.

Each object is written as its kind's spec, without the fields that hold their default, so a
file says what differs from ACTITO's defaults and nothing else. A kind may write files beside
the manifest and name them in it (an e-mail campaign's HTML and images: `Kind.exported`).
Lists of flat items (attributes, subscriptions, links…) are written one item per line, in
flow style, as the examples are. Exported files are checked with the same loader as any
manifest: a value this version does not know (a newer table type, say) is reported, not hidden.

Names come from the licence, so they never choose a path by themselves: each becomes one path
component (`file_name`) that cannot climb out (`..`), go absolute (`/`), hide (`.x`), end in a
dot or hold a byte a file system refuses (NUL, `:`, `\\`…) — those characters are written
`%XX`, as in URLs. Paths that differ only in letter case, which a macOS or Windows disk would
store as one file, get a short digest of the exact name (`file_paths`), so no export overwrites
another object's file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from actito_iac.actual import LiveObject
from actito_iac.export_yaml import dump
from actito_iac.kinds.base import Kind
from actito_iac.kinds.registry import KINDS
from actito_iac.manifest.substitute import Scalar
from actito_iac.vocabulary import SECRET_REFERENCE, Address, matching


@dataclass(frozen=True)
class ExportedFile:
    path: PurePosixPath
    """Relative to the export folder: ENTITY/SECTION/NAME.yaml (see `file_paths`)."""
    text: str
    address: Address
    renamed: bool = False
    """The file name carries a digest: the plain one differs from another only in case."""
    secrets: tuple[str, ...] = ()
    """Names of the `${secret:NAME}` references written for secret values the run could not
    name (the variable the user must set before planning these files)."""
    files: tuple[tuple[PurePosixPath, bytes], ...] = ()
    """Files beside the manifest that it names (an e-mail's HTML and images), by their path
    relative to the export folder."""
    item: Any = None
    """The object's item as written (a ruamel mapping): what `export --update` merges."""
    variables: tuple[str, ...] = ()
    """Names of the `${var:NAME}` references written for values equal to a variable, one
    entry per value written so."""


class Exporter:
    """Writes live objects as manifest items: secrets as references, `${` as `$${`, and values
    equal to a variable of the chosen environment as `${var:NAME}` references.

    A value equal to one variable only is written as its reference, whole values only (never
    part of a text), and never a boolean (`true` is everywhere) nor an object's own name (its
    identity); a value two variables hold is written as it is: which one is meant cannot be
    told."""

    def __init__(
        self,
        header: str,
        rewrite: Callable[[str], str] = str,
        kinds: Sequence[Kind] = KINDS,
        variables: Mapping[str, Scalar] | None = None,
    ) -> None:
        self.header = header
        self.rewrite = rewrite
        self.kinds = {k.name: k for k in kinds}
        self.sections = {k.name: k.section for k in kinds}
        self.names = _SecretNames()
        self.by_value = _variables_by_value(variables or {})

    def files(self, objects: Mapping[Address, LiveObject]) -> list[ExportedFile]:
        """One file per object, at `file_paths`."""
        paths = file_paths(objects, self.sections)
        return [self.one(address, objects[address], paths[address]) for address in sorted(objects)]

    def one(self, address: Address, live: LiveObject, path: PurePosixPath) -> ExportedFile:
        """The object as the manifest file `path` (relative: files beside it are named from
        its stem and placed in its folder)."""
        kind = self.kinds[address.kind]
        exported = kind.exported(live.spec, address, path.stem, file_name)
        spec = exported.document
        introduced = self.names.replace_secrets(spec, kind, address, self.rewrite)
        used: list[str] = []
        # The object's own name is its identity: never a variable.
        item = _tree(spec, self.rewrite, self._variable(used), plain=frozenset({"name"}))
        document = CommentedMap(entity=address.entity)
        listed = CommentedSeq([item])
        document[kind.section] = listed
        if _flat_item(item):
            item.fa.set_flow_style()
        document.yaml_set_start_comment(self.header)
        renamed = path.name != f"{file_name(address.name)}{SUFFIX}"
        beside = tuple((path.parent / name, data) for name, data in exported.files.items())
        return ExportedFile(
            path,
            dump(document),
            address,
            renamed,
            introduced,
            beside,
            item,
            tuple(used),
        )

    def _variable(self, used: list[str]) -> Callable[[Any], str | None]:
        def reference(value: Any) -> str | None:
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                return None
            name = self.by_value.get((type(value).__name__, value))
            if name is None:
                return None
            used.append(name)
            return f"${{var:{name}}}"

        return reference


def export_files(
    objects: Mapping[Address, LiveObject],
    header: str,
    rewrite: Callable[[str], str] = str,
    kinds: Sequence[Kind] = KINDS,
    variables: Mapping[str, Scalar] | None = None,
) -> list[ExportedFile]:
    """One file per object; `rewrite` is applied to every text value (secrets → references)
    before YAML quoting, so whatever it puts in stays valid YAML."""
    return Exporter(header, rewrite, kinds, variables).files(objects)


def _variables_by_value(variables: Mapping[str, Scalar]) -> dict[tuple[str, Scalar], str]:
    """(type, value) → the one variable holding it; values held by two variables, booleans
    and empty texts are left out."""
    seen: dict[tuple[str, Scalar], list[str]] = {}
    for name, value in variables.items():
        if isinstance(value, bool) or value == "":
            continue
        seen.setdefault((type(value).__name__, value), []).append(name)
    return {key: names[0] for key, names in seen.items() if len(names) == 1}


class _SecretNames:
    """Names for the secret values an export cannot write back as a known reference: one
    variable per kind and field, numbered when different values would share it."""

    def __init__(self) -> None:
        self.by_value: dict[tuple[str, str], str] = {}

    def replace_secrets(
        self,
        spec: dict[str, Any],
        kind: Kind,
        address: Address,
        rewrite: Callable[[str], str],
    ) -> tuple[str, ...]:
        introduced = []
        for pattern in kind.secret_fields:
            for loc, value in matching(spec, pattern):
                written = rewrite(value) if isinstance(value, str) else None
                if written is not None and SECRET_REFERENCE.fullmatch(written):
                    continue
                name = self._name(kind, loc, str(value))
                _put(spec, loc, _Reference(f"${{secret:{name}}}"))
                introduced.append(name)
        return tuple(introduced)

    def _name(self, kind: Kind, loc: tuple[str | int, ...], value: str) -> str:
        base = re.sub(r"[^A-Z0-9]+", "_", "_".join([kind.name, *map(str, loc)]).upper())
        taken = {n for (b, _), n in self.by_value.items() if b == base}
        found = self.by_value.get((base, value))
        if found is None:
            found = base if not taken else f"{base}_{len(taken) + 1}"
            self.by_value[(base, value)] = found
        return found


def _put(document: Any, loc: tuple[str | int, ...], value: str) -> None:
    for key in loc[:-1]:
        document = document[key]
    document[loc[-1]] = value


SUFFIX = ".yaml"
MAX_NAME_BYTES = 200
"""File systems allow 255 bytes per name; the digest and the suffix need the rest."""
_KEPT = re.compile(r"[A-Za-z0-9_\-. ]")
_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9]|lpt[0-9])$")
"""Names Windows reserves for devices, with or without an extension."""


def file_name(name: str) -> str:
    """`name` as one path component: ASCII letters, digits, `_ - . space` kept; any other
    character, a leading dot or space, a trailing one, and the first letter of a reserved
    device name written `%XX` (UTF-8 bytes)."""
    last = len(name) - 1
    out = []
    for index, char in enumerate(name):
        edge = index in (0, last) and char in ". "
        kept = _KEPT.fullmatch(char) and not edge and char != "%"
        out.append(char if kept else _escaped(char))
    text = "".join(out) or "%"
    if _RESERVED.match(name.split(".")[0]):
        text = _escaped(text[0]) + text[1:]
    if len(text.encode()) > MAX_NAME_BYTES:
        text = text[: MAX_NAME_BYTES - 10] + "~" + _digest(name)
    return text


def _escaped(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def file_paths(
    addresses: Iterable[Address], sections: Mapping[str, str]
) -> dict[Address, PurePosixPath]:
    """ENTITY/SECTION/NAME.yaml for each address; paths equal but for letter case get the
    exact address's digest in the file name, so each object keeps a file of its own."""
    plain = {
        a: PurePosixPath(file_name(a.entity), sections[a.kind], file_name(a.name) + SUFFIX)
        for a in addresses
    }
    folded: dict[str, int] = {}
    for path in plain.values():
        folded[str(path).casefold()] = folded.get(str(path).casefold(), 0) + 1
    return {
        address: (
            path.with_name(f"{path.stem}~{_digest(str(address))}{SUFFIX}")
            if folded[str(path).casefold()] > 1
            else path
        )
        for address, path in plain.items()
    }


class _Reference(str):
    """A `${secret:NAME}` reference export put in place of a secret value: written as it is,
    where any other `${` in a value from the licence is written `$${` (a literal)."""

    __slots__ = ()


def _tree(
    value: Any,
    rewrite: Callable[[str], str],
    variable: Callable[[Any], str | None] = lambda value: None,
    plain: frozenset[str] = frozenset(),
) -> Any:
    """ruamel containers: flat mappings inside lists in flow style, the rest in block style.

    A `${` in a text from the licence (ACTITO's personalisation `${firstName}`) is written
    `$${`, so that loading the file gives the text back instead of reading a reference. A
    mapping's value equal to a variable of the environment is written as its reference
    (`variable`); list items never are, nor this mapping's `plain` keys."""
    if isinstance(value, dict):
        out = CommentedMap()
        for key in _key_order(value):
            item = value[key]
            kept = isinstance(item, _Reference) or key in plain
            reference = None if kept else variable(item)
            out[key] = reference if reference else _tree(item, rewrite, variable)
        return out
    if isinstance(value, str):
        return rewrite(str(value) if isinstance(value, _Reference) else value.replace("${", "$${"))
    if isinstance(value, list):
        items = CommentedSeq(_tree(v, rewrite, variable) for v in value)
        for item in items:
            if isinstance(item, CommentedMap) and _flat_item(item):
                item.fa.set_flow_style()
        if value and all(not isinstance(v, (dict, list)) for v in value):
            items.fa.set_flow_style()
        return items
    return value


def _flat_item(item: CommentedMap) -> bool:
    return all(_flat(v) for v in item.values())


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


