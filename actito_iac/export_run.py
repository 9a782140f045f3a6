"""The `export` command's flow: read the licence, write one manifest per object, check them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from actito_iac import __version__, exit_codes
from actito_iac.errors import ConfigError, Diagnostic, ManifestError, Severity
from actito_iac.export import ExportedFile, Exporter
from actito_iac.export_merge import Merged, merge
from actito_iac.kinds.registry import KINDS
from actito_iac.live import read_entity_names, read_objects
from actito_iac.manifest.desired import Desired
from actito_iac.manifest.loader import load, manifest_files
from actito_iac.manifest.project import find_project, load_project
from actito_iac.manifest.reader import read_text
from actito_iac.session import (
    Chosen,
    Inputs,
    api_key_values,
    connection_for,
    environment_for,
    open_client,
)
from actito_iac.terminal import Terminal
from actito_iac.vocabulary import SECRET_REFERENCE
from actito_iac.writing import differs, inside, write


async def export_now(
    term: Terminal,
    project_file: Path | None,
    env_name: str | None,
    entities: tuple[str, ...],
    out_dir: Path,
    force: bool,
    update: bool = False,
) -> int:
    found = project_file or find_project(Path.cwd())
    project = load_project(found) if found else None
    inputs = Inputs(project, ())
    term.learn(api_key_values(inputs, term.environ))
    chosen = environment_for(inputs, env_name, term.environ, required=False)
    connection = connection_for(inputs, env_name, term.environ)
    term.masker.add(connection.api_key)
    manifests = list(project.manifests) if project else []
    scope = _merge_scope(manifests, out_dir, update)
    existing = _existing(term, scope, chosen) if update else None
    secrets = _secret_references(inputs, term.environ)
    async with open_client(connection) as client:
        listed = await read_entity_names(client)
        unknown = sorted(set(entities) - set(listed))
        if unknown:
            raise ConfigError(
                f"no entity {', '.join(map(repr, unknown))} in the licence "
                f"(existing entities: {', '.join(listed) or 'none'})"
            )
        wanted = sorted(entities or listed)
        objects = await read_objects(client, wanted, progress=term.progress)
    header = (
        f"Exported by actito-iac {__version__} from environment {connection.environment} "
        f"({connection.api_url})."
    )
    variables = chosen[1].variables if chosen[1] is not None else {}
    exporter = Exporter(
        header, lambda text: _placeholders(text, secrets, term), KINDS, variables
    )
    if existing is not None:
        merged = merge(existing, objects, exporter, set(wanted))
        files = merged.new
    else:
        merged = None
        files = exporter.files(objects)
    # Every target is checked before anything is written: a refusal changes nothing.
    targets = [(inside(out_dir, f.path), f) for f in files]
    beside = [(inside(out_dir, path), data) for f in files for path, data in f.files]
    merged_beside = [(inside(d, rel), data) for d, rel, data in merged.beside] if merged else []
    clashes = [str(t) for t, f in targets if t.exists() and differs(t, f.text.encode())]
    clashes += [str(t) for t, data in beside if t.exists() and differs(t, data)]
    if clashes and not force:
        raise ConfigError(
            f"{len(clashes)} file(s) already exist with other content ({', '.join(clashes[:5])}"
            f"{', …' if len(clashes) > 5 else ''}); pass --force to overwrite them"
        )
    for target, f in targets:
        if f.renamed:
            term.diagnostics([Diagnostic(Severity.WARNING, _case_note(f), None)])
        write(target, f.text.encode())
    for target, data in beside:
        write(target, data)
    if merged is not None:
        _write_merged(term, merged, merged_beside)
    else:
        term.err().print(f"Exported {len(files)} object(s) to {out_dir}.")
    unnamed = sorted({name for f in files for name in f.secrets})
    if unnamed:
        term.diagnostics(
            [
                Diagnostic(
                    Severity.WARNING,
                    "secret values were written as references, never in clear; set "
                    f"{', '.join(unnamed)} to their values before planning these files",
                )
            ]
        )
    used = merged.variables if merged is not None else [n for f in files for n in f.variables]
    if used:
        term.diagnostics([_variables_note(used, chosen[0])])
    if not files and merged is None:
        return exit_codes.OK
    written = [out_dir] if out_dir.exists() else []
    return _check(term, sorted({*scope, *written}), unnamed, chosen)


def _merge_scope(manifests: list[Path], out_dir: Path, update: bool) -> list[Path]:
    """The manifests `--update` merges into: the project's, where the export folder overlaps
    them, else what the export folder holds. Without `--update`, an export into a folder the
    project loads manifests from is refused: it would declare every object a second time."""
    overlapping = [m for m in manifests if _overlaps(m, out_dir)]
    if not update:
        holding = [m for m in overlapping if _holds_manifests(m)]
        if holding:
            where = ", ".join(str(m) for m in holding)
            raise ConfigError(
                f"export would write into {out_dir}, where the project loads its manifests from "
                f"({where}): every object they declare would be declared a second time. Pass "
                "--update to merge the licence into them (their files, comments and key order "
                "are kept), or --out another folder"
            )
        return []
    if overlapping:
        return manifests
    return [out_dir] if out_dir.is_dir() else []


def _overlaps(manifest: Path, out_dir: Path) -> bool:
    a, b = manifest.resolve(), out_dir.resolve()
    return a == b or b in a.parents or a in b.parents


def _holds_manifests(path: Path) -> bool:
    try:
        return bool(manifest_files([path]))
    except ManifestError:
        return False


def _existing(term: Terminal, scope: list[Path], chosen: Chosen) -> Desired:
    """The manifests `--update` merges into, loaded like `validate` loads them (the chosen
    environment's variables): a merge must know what each value means."""
    if not scope:
        return Desired(())
    name, environment = chosen
    variables = environment.variables if environment is not None else None
    try:
        return load(scope, term.environ, variables, environment=name, on_secret=term.masker.add)
    except ManifestError as problems:
        term.diagnostics(problems.diagnostics)
        raise ConfigError(
            "export --update reads the manifests it merges into first, as validate does: "
            "fix the problems above"
        ) from None


def _write_merged(term: Terminal, merged: Merged, beside: list[tuple[Path, bytes]]) -> None:
    for path, text in merged.changed.items():
        write(path, text.encode())
    for path, data in beside:
        write(path, data)
    term.err().print(
        f"Updated {len(merged.changed)} file(s); {len(merged.new)} new object(s) written, "
        f"{len(merged.unchanged)} already up to date."
    )
    term.diagnostics(
        [
            Diagnostic(
                Severity.WARNING,
                f"{o.address} is no longer in the licence; it stays in the file (remove it "
                "there to stop declaring it)",
                o.location,
            )
            for o in merged.gone
        ]
    )


def _variables_note(used: list[str], environment: str) -> Diagnostic:
    counts = Counter(used)
    listed = ", ".join(f"{name} ×{n}" for name, n in sorted(counts.items()))
    return Diagnostic(
        Severity.WARNING,
        f"{len(used)} value(s) equal to a variable of environment {environment!r} were "
        f"written as ${{var:…}} references ({listed}): review them, a value may equal a "
        "variable by chance",
    )


def _case_note(exported: ExportedFile) -> str:
    return (
        f"{exported.address} is written to {exported.path}: its path differs from another "
        "only in case, which a macOS or Windows disk would store as one file"
    )


def _secret_references(inputs: Inputs, environ: Mapping[str, str]) -> dict[str, str]:
    """value -> `${secret:NAME}` for every secret the project's manifests reference.

    An exported file is committed to git: a secret the licence holds (a token in a
    description, say) goes back into the file as the reference it came from, never in clear.
    A manifest that cannot be read might reference one: the export stops and says which.
    """
    if inputs.project is None:
        return {}
    present = [p for p in inputs.project.manifests if p.exists()]  # none yet: none referenced
    texts, problems = [], []
    for file in manifest_files(present):
        text, unread = read_text(file, str(file))
        texts.append(text or "")
        problems += unread
    if problems:
        raise ManifestError(problems)
    names = {n for text in texts for n in SECRET_REFERENCE.findall(text)}
    return {environ[n]: f"${{secret:{n}}}" for n in sorted(names) if environ.get(n)}


def _placeholders(text: str, secrets: Mapping[str, str], term: Terminal) -> str:
    for value in sorted(secrets, key=len, reverse=True):
        text = text.replace(value, secrets[value])
    return term.masker.text(text)  # any other secret the run knows (an API key): masked


def _check(term: Terminal, paths: list[Path], unnamed: list[str], chosen: Chosen) -> int:
    """Load what was written, with the environment's variables, as `plan --env` would: a live
    value this version does not know shows up here. The secret variables the export named but
    the user has not set yet are not its problem."""
    environ = {**dict.fromkeys(unnamed, "unset"), **term.environ}
    name, environment = chosen
    variables = environment.variables if environment is not None else None
    try:
        load(paths, environ, variables, environment=name)
    except ManifestError as problems:
        term.diagnostics(problems.diagnostics)
        note = "the licence holds values this version cannot express; edit these files"
        term.diagnostics([Diagnostic(Severity.ERROR, note)])
        return exit_codes.ERROR
    return exit_codes.OK
