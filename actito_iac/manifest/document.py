"""One manifest document -> its entity, its valid specs, and every problem in it.

The whole document is validated once, for the complete list of errors. Specs are then taken
item by item, so the items that are valid still get their kind's semantic checks (and take part
in the duplicate check) even when a sibling item is broken: the user sees all problems at once.

An empty document (a stray `---`, a trailing one) is a warning, not an error: it declares
nothing, so nothing can go wrong because of it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from actito_iac.errors import Diagnostic, Severity, SourceLocation
from actito_iac.kinds.base import Kind, ManifestFiles
from actito_iac.kinds.registry import KINDS
from actito_iac.manifest.explain import at, explain
from actito_iac.manifest.locate import Loc, Position, locate, node_position, render_path
from actito_iac.manifest.model import ENTITY_FIELD, manifest_model
from actito_iac.manifest.plain import to_plain
from actito_iac.manifest.reader import parse
from actito_iac.manifest.substitute import Sources
from actito_iac.vocabulary import SECRET_REFERENCE, SpecModel, matching


@dataclass(frozen=True)
class FoundObject:
    kind: Kind
    spec: SpecModel
    location: SourceLocation
    field: str
    """Its path in the document, e.g. `customTables[1]`."""
    places: Mapping[Loc, SourceLocation]
    """Where each reference it holds is written (see DesiredObject.places)."""
    document: int = 0
    """The 1-based number of its document in the file."""
    item: tuple[str, int] = ("", 0)
    """Its section and index in that document (what `export --update` rewrites)."""


@dataclass
class DocumentResult:
    entity: str | None = None
    entity_location: SourceLocation | None = None
    objects: list[FoundObject] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_document(
    tree: Any, file: str, number: int, known: Sources, files: ManifestFiles
) -> DocumentResult:
    """Validate document `number` (1-based) of `file`; `known` are the `${…}` sources,
    `files` those beside the manifest that its objects may name."""
    result = DocumentResult()
    if tree is None:
        message = f"document {number} is empty: it declares nothing"
        result.diagnostics.append(Diagnostic(Severity.WARNING, message, SourceLocation(file)))
        return result
    if not isinstance(tree, Mapping):
        result.diagnostics.append(_not_a_mapping(tree, file, number))
        return result
    plain, problems = to_plain(tree, file, known)
    result.diagnostics.extend(problems)
    broken = _validate(tree, plain, file, result, {d.field for d in problems})
    entity = plain.get(ENTITY_FIELD)
    if isinstance(entity, str) and entity and (ENTITY_FIELD,) not in broken:
        result.entity = entity
        result.entity_location = _location(tree, file, (ENTITY_FIELD,))
    for kind in KINDS:
        for index, spec in _valid_specs(kind, plain.get(kind.section), broken):
            _add_object(result, tree, file, kind, index, spec, files, number)
    return result


def _places(
    kind: Kind, spec: SpecModel, tree: Any, file: str, where: Loc
) -> dict[Loc, SourceLocation]:
    """The line of every reference the object holds, found now, while the YAML tree is here.
    (The entity does not change where a reference is written: any name builds the uses.)"""
    return {
        use.at: _location(tree, file, (*where, *use.at)) for use in kind.uses("", spec) if use.at
    }


def read_plain_document(
    value: Any,
    places: Mapping[Loc, Position],
    file: str,
    number: int,
    files: ManifestFiles,
    trees: TreesOnDemand,
) -> DocumentResult | None:
    """Document `number` of `file` as the fast reader gave it (plain values, the places of its
    entity and objects), or None when it has any problem: the round-trip reader then reads the
    file again and reports every problem at its place. `files` are those beside the manifest
    that its objects may name; `trees` reads the file with positions if a reference of one of
    its objects is ever reported."""
    result = DocumentResult()
    if value is None:
        message = f"document {number} is empty: it declares nothing"
        result.diagnostics.append(Diagnostic(Severity.WARNING, message, SourceLocation(file)))
        return result
    try:
        # Validated once, whole: the specs are taken from the result instead of item by item.
        document = manifest_model().model_validate(value)
    except ValidationError:
        return None
    entity = (ENTITY_FIELD,)
    if entity not in places:
        return None
    result.entity = getattr(document, ENTITY_FIELD)
    result.entity_location = SourceLocation(file, *places[entity])
    for kind in KINDS:
        specs = getattr(document, kind.section)
        if specs and kind.secret_fields:
            # Secret fields are checked as written, before `${…}` substitution, which this
            # reader has already done: the round-trip reader reads such files.
            return None
        for index, spec in enumerate(specs):
            where: Loc = (kind.section, index)
            completed, issues = kind.complete(spec, result.entity or "", files)
            if issues or kind.check(completed) or where not in places:
                return None  # warnings too: they are placed by the other reader
            location = SourceLocation(file, *places[where])
            ats = tuple(use.at for use in kind.uses("", completed) if use.at)
            found = _PlacesOnDemand(trees, number, where, ats) if ats else {}
            path = render_path(where)
            result.objects.append(
                FoundObject(kind, completed, location, path, found, number, (kind.section, index))
            )
    return result


class TreesOnDemand:
    """The documents of one file read with positions, once, the first time they are needed."""

    def __init__(self, text: str, file: str) -> None:
        self.text, self.file = text, file
        self._trees: list[Any] | None = None

    def tree(self, number: int) -> Any:
        if self._trees is None:
            self._trees, _ = parse(self.text, self.file)
        return self._trees[number - 1] if number <= len(self._trees) else None


class _PlacesOnDemand(Mapping[Loc, SourceLocation]):
    """Where each reference of an object the fast reader read is written. The fast reader
    keeps no position below an object; the file is read again with positions only when a
    problem with one of its references is reported."""

    def __init__(self, trees: TreesOnDemand, number: int, where: Loc, ats: tuple[Loc, ...]):
        self.trees, self.number, self.where, self.ats = trees, number, where, ats
        self._found: dict[Loc, SourceLocation] | None = None

    def _places(self) -> dict[Loc, SourceLocation]:
        if self._found is None:
            tree = self.trees.tree(self.number)
            file = self.trees.file
            self._found = (
                {at: _location(tree, file, (*self.where, *at)) for at in self.ats}
                if tree is not None
                else {}
            )
        return self._found

    def __getitem__(self, at: Loc) -> SourceLocation:
        return self._places()[at]

    def __iter__(self) -> Iterator[Loc]:
        return iter(self._places())

    def __len__(self) -> int:
        return len(self._places())


def _validate(
    tree: Any, plain: dict[str, Any], file: str, result: DocumentResult, reported: set[str]
) -> set[Loc]:
    """Report the document's validation errors; return the locs they hit, cut to 2 segments."""
    model = manifest_model()
    try:
        model.model_validate(plain)
    except ValidationError as error:
        result.diagnostics.extend(explain(error, tree, file, model, reported=reported))
        return {tuple(e["loc"][:2]) for e in error.errors(include_url=False)}
    return set()


def _valid_specs(kind: Kind, items: object, broken: set[Loc]) -> Iterator[tuple[int, SpecModel]]:
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        if (kind.section, index) in broken:
            continue
        try:
            yield index, kind.spec_type.model_validate(item)
        except ValidationError:  # reported with the whole document already
            continue


def _add_object(
    result: DocumentResult,
    tree: Any,
    file: str,
    kind: Kind,
    index: int,
    spec: SpecModel,
    files: ManifestFiles,
    number: int,
) -> None:
    where: Loc = (kind.section, index)
    # An object of a document whose entity is broken is reported, never planned.
    spec, issues = kind.complete(spec, result.entity or "", files)
    places = _places(kind, spec, tree, file, where)
    place = _location(tree, file, where)
    item = (kind.section, index)
    found = FoundObject(kind, spec, place, render_path(where), places, number, item)
    result.objects.append(found)
    for issue in [*issues, *kind.check(spec)]:
        severity = Severity.WARNING if issue.warning else Severity.ERROR
        message = issue.message
        result.diagnostics.append(at(tree, file, (*where, *issue.loc), message, severity))
    if not kind.secret_fields:
        return
    # Secret fields are checked as written, before `${…}` substitution (strings untouched).
    written = to_plain(locate(tree, where).node, file, None)[0]
    for pattern in kind.secret_fields:
        for loc, raw in matching(written, pattern):
            if not (isinstance(raw, str) and SECRET_REFERENCE.fullmatch(raw)):
                result.diagnostics.append(at(tree, file, (*where, *loc), NOT_A_REFERENCE))


NOT_A_REFERENCE = (
    "a secret: write it as a ${secret:NAME} reference (its value then comes from the "
    "environment variable NAME), never the value itself, which would be committed with the file"
)


def _location(tree: Any, file: str, loc: Loc) -> SourceLocation:
    return SourceLocation(file, *locate(tree, loc).position)


def _not_a_mapping(tree: Any, file: str, number: int) -> Diagnostic:
    what = "a list" if isinstance(tree, list) else f"the value {str(tree)[:40]!r}"
    message = (
        f"document {number} is {what}; a manifest document is a mapping with "
        f"'{ENTITY_FIELD}:' and kind sections ({', '.join(k.section for k in KINDS)})"
    )
    if isinstance(tree, list):
        return Diagnostic(Severity.ERROR, message, SourceLocation(file, *node_position(tree)))
    return Diagnostic(Severity.ERROR, message, SourceLocation(file))
