"""Manifest files -> `Desired`, or a ManifestError carrying every problem of every file.

Nothing stops at the first problem: each file is read, each document checked, and only then
are the diagnostics sorted (file order, then line) and raised together. Warnings alone do not
fail a load; they travel in `Desired.warnings`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from actito_iac.construct import share_fields_sets
from actito_iac.errors import Diagnostic, ManifestError, Severity, SourceLocation
from actito_iac.heap import collector_paused
from actito_iac.manifest.desired import Desired, DesiredObject
from actito_iac.manifest.document import (
    DocumentResult,
    FoundObject,
    TreesOnDemand,
    read_document,
    read_plain_document,
)
from actito_iac.manifest.fast import fast_documents
from actito_iac.manifest.files import NearbyFiles
from actito_iac.manifest.project import PROJECT_FILE
from actito_iac.manifest.reader import display_path, display_paths, parse, read_text
from actito_iac.manifest.substitute import Resolved, Scalar, Sources, sources
from actito_iac.vocabulary import Address

SUFFIXES = (".yaml", ".yml")


def manifest_files(paths: Sequence[Path]) -> list[Path]:
    """The files to read: folders give their YAML files recursively, sorted; files as given."""
    files, problems = _find_files(paths)
    if any(p.severity is Severity.ERROR for p in problems):
        raise ManifestError(problems)
    return files


def load(
    paths: Sequence[Path],
    environ: Mapping[str, str],
    variables: Mapping[str, Scalar] | None = None,
    *,
    environment: str = "",
    on_secret: Callable[[str], None] | None = None,
) -> Desired:
    """Read, substitute, validate and check every manifest under `paths`.

    `variables` are those of the chosen `environment` (None: no environment chosen);
    `on_secret` is told each `${secret:…}` value as it is read.
    """
    with collector_paused():
        return _load(paths, environ, variables, environment, on_secret)


def _load(
    paths: Sequence[Path],
    environ: Mapping[str, str],
    variables: Mapping[str, Scalar] | None,
    environment: str,
    on_secret: Callable[[str], None] | None,
) -> Desired:
    files, problems = _find_files(paths)
    resolved = Resolved(on_secret=on_secret)
    collected = _Collected(diagnostics=problems, resolved=resolved)
    known = sources(environ, variables, environment=environment, resolved=resolved)
    for path, shown in zip(files, display_paths(files), strict=True):
        collected.files.append(shown)
        _load_file(path, shown, known, collected)
    return collected.result()


def _find_files(paths: Sequence[Path]) -> tuple[list[Path], list[Diagnostic]]:
    files: list[Path] = []
    problems: list[Diagnostic] = []
    seen: set[str] = set()
    for path in paths:
        if path.is_dir():
            before = len(problems)
            found = _walk(path, problems)
            if not found and len(problems) == before:
                where = SourceLocation(display_path(path))
                message = f"no {' or '.join(SUFFIXES)} file in this folder"
                problems.append(Diagnostic(Severity.WARNING, message, where))
        elif path.exists() or path.is_symlink():
            # Whatever it is (a FIFO, a device, a dangling link): reading it says why not.
            found = [(path, str(path.resolve()))]
        else:
            where = SourceLocation(display_path(path))
            problems.append(Diagnostic(Severity.ERROR, "no such file or folder", where))
            continue
        for file, key in found:
            if key not in seen:  # a file named twice (or inside a named folder) is read once
                seen.add(key)
                files.append(file)
    return files, problems


def _walk(folder: Path, problems: list[Diagnostic]) -> list[tuple[Path, str]]:
    """YAML files under `folder`, skipping hidden entries (`.git`, editor backups) and the
    project file, which is not a manifest.

    A folder that cannot be listed is an error, never skipped: its manifests would be missing
    from the plan. Entries named like manifests are kept whatever they are, so that a FIFO or
    a dangling link is refused when read rather than ignored. Linked folders are followed
    once each (a link loop ends).

    Each file comes with its real path (what `Path.resolve` gives), built from its folder's:
    only links are resolved one by one (resolving every file took a second for 10,000). The
    files are sorted by their parts below `folder`, which the walk also keeps.
    """
    found: list[tuple[tuple[str, ...], Path, str]] = []
    visited: set[tuple[int, int]] = set()
    pending: list[tuple[Path, str, tuple[str, ...]]] = [(folder, os.path.realpath(folder), ())]
    while pending:
        current, real, parts = pending.pop()
        try:
            info = current.stat()
            if (info.st_dev, info.st_ino) in visited:
                continue
            visited.add((info.st_dev, info.st_ino))
            with os.scandir(current) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            where = SourceLocation(display_path(current))
            message = f"cannot read the folder: {exc.strerror or exc}"
            problems.append(Diagnostic(Severity.ERROR, message, where))
            continue
        for entry in listed:
            name = entry.name
            if name.startswith("."):
                continue
            path = current / name
            real_path = os.path.realpath(path) if _is_link(entry) else os.path.join(real, name)
            if _is_folder(entry):
                pending.append((path, real_path, (*parts, name)))
            elif name.endswith(SUFFIXES) and name != PROJECT_FILE:
                found.append(((*parts, name), path, real_path))
    found.sort(key=lambda file: file[0])
    return [(path, real_path) for _, path, real_path in found]


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:  # resolve it the slow way, which copes with anything
        return True


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link to a place we may not look at: reading it will say why
        return False


def _load_file(path: Path, shown: str, known: Sources, collected: _Collected) -> None:
    text, problems = read_text(path, shown)
    collected.diagnostics.extend(problems)
    if text is None:
        return
    collected.digests[shown] = hashlib.sha256(text.encode()).hexdigest()
    if _load_fast(path, text, shown, known, collected):
        return
    documents, problems = parse(text, shown)
    collected.diagnostics.extend(problems)
    if not documents and not problems:
        message = "no YAML document in this file: it declares nothing"
        collected.diagnostics.append(Diagnostic(Severity.WARNING, message, SourceLocation(shown)))
    files = NearbyFiles(path)
    for number, tree in enumerate(documents, start=1):
        collected.add(read_document(tree, shown, number, known, files))
    collected.digests.update(files.digests)  # what the objects read beside the manifest


def _load_fast(path: Path, text: str, shown: str, known: Sources, collected: _Collected) -> bool:
    """Read the file with the fast reader; False when it has anything to report (nothing is
    collected then, and the round-trip reader reads it again to place every problem)."""
    documents = fast_documents(text, known)
    if documents is None:
        return False
    files = NearbyFiles(path)
    trees = TreesOnDemand(text, shown)
    results = []
    for number, document in enumerate(documents, start=1):
        result = read_plain_document(document.value, document.places, shown, number, files, trees)
        if result is None:
            return False
        results.append(result)
    if not documents:
        message = "no YAML document in this file: it declares nothing"
        collected.diagnostics.append(Diagnostic(Severity.WARNING, message, SourceLocation(shown)))
    for result in results:
        collected.add(result)
    collected.digests.update(files.digests)  # what the objects read beside the manifest
    return True


@dataclass
class _Collected:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    objects: dict[Address, DesiredObject] = field(default_factory=dict)
    entities: dict[str, list[SourceLocation]] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    resolved: Resolved = field(default_factory=Resolved)

    def add(self, document: DocumentResult) -> None:
        self.diagnostics.extend(document.diagnostics)
        if document.entity is None:
            return
        assert document.entity_location is not None
        self.entities.setdefault(document.entity, []).append(document.entity_location)
        for found in document.objects:
            self._add_object(document.entity, found)

    def _add_object(self, entity: str, found: FoundObject) -> None:
        key = found.kind.key(found.spec)
        address = Address(entity, found.kind.name, key)
        first = self.objects.get(address)
        if first is None:
            share_fields_sets(found.spec)  # kept until the command ends: make it small
            self.objects[address] = DesiredObject(
                address,
                found.spec,
                found.location,
                found.places,
                found.document,
                found.item,
            )
            return
        where = f"{first.location.file}:{first.location.line}"
        what = f"{found.kind.name} {key!r} of entity {entity!r}"
        message = f"{what} is already defined at {where}"
        self.diagnostics.append(Diagnostic(Severity.ERROR, message, found.location, found.field))

    def result(self) -> Desired:
        diagnostics = _in_file_order(self.diagnostics, self.files)
        if any(d.severity is Severity.ERROR for d in diagnostics):
            raise ManifestError(diagnostics)
        return Desired(
            objects=tuple(self.objects[a] for a in sorted(self.objects)),
            entities={name: tuple(self.entities[name]) for name in sorted(self.entities)},
            files=tuple(self.files),
            warnings=tuple(diagnostics),
            digests=dict(self.digests),
            variables=dict(sorted(self.resolved.variables.items())),
            secrets=frozenset(self.resolved.secrets.values()),
        )


def _in_file_order(diagnostics: Iterable[Diagnostic], files: list[str]) -> list[Diagnostic]:
    """Files in the order read, then line and column; problems with no file come first."""
    rank = {file: i for i, file in enumerate(files)}

    def key(d: Diagnostic) -> tuple[int, int, int]:
        if d.location is None:
            return (-1, 0, 0)
        return (rank.get(d.location.file, -1), d.location.line, d.location.column)

    return sorted(diagnostics, key=key)
