"""The `export` command's flow: read the licence, write one manifest per object, check them."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from actito_iac import __version__, exit_codes
from actito_iac.errors import ConfigError, Diagnostic, ManifestError, Severity
from actito_iac.export import ExportedFile, export_files
from actito_iac.kinds.registry import KINDS
from actito_iac.live import read_entity_names, read_objects
from actito_iac.manifest.loader import load, manifest_files
from actito_iac.manifest.project import find_project, load_project
from actito_iac.manifest.reader import read_limited, read_text
from actito_iac.progress import Stage
from actito_iac.session import Inputs, api_key_values, connection_for, open_client
from actito_iac.terminal import Terminal


async def export_now(
    term: Terminal,
    project_file: Path | None,
    env_name: str | None,
    entities: tuple[str, ...],
    out_dir: Path,
    force: bool,
) -> int:
    found = project_file or find_project(Path.cwd())
    inputs = Inputs(load_project(found) if found else None, ())
    term.learn(api_key_values(inputs, term.environ))
    connection = connection_for(inputs, env_name, term.environ)
    term.masker.add(connection.api_key)
    secrets = _secret_references(inputs, term.environ)
    async with open_client(connection) as client:
        existing = await read_entity_names(client)
        unknown = sorted(set(entities) - set(existing))
        if unknown:
            raise ConfigError(
                f"no entity {', '.join(map(repr, unknown))} in the licence "
                f"(existing entities: {', '.join(existing) or 'none'})"
            )
        wanted = sorted(entities or existing)
        term.progress.start(Stage.READ, len(wanted) * len(KINDS))
        objects = await read_objects(client, wanted, progress=term.progress)
        term.progress.finish(Stage.READ, len(objects))
    header = (
        f"Exported by actito-iac {__version__} from environment {connection.environment} "
        f"({connection.api_url})."
    )
    files = export_files(objects, header, lambda text: _placeholders(text, secrets, term))
    # Every target is checked before anything is written: a refusal changes nothing.
    targets = [(inside(out_dir, f.path), f) for f in files]
    beside = [(inside(out_dir, path), data) for f in files for path, data in f.files]
    clashes = [str(t) for t, f in targets if t.exists() and _differs(t, f.text.encode())]
    clashes += [str(t) for t, data in beside if t.exists() and _differs(t, data)]
    if clashes and not force:
        raise ConfigError(
            f"{len(clashes)} file(s) already exist with other content ({', '.join(clashes[:5])}"
            f"{', …' if len(clashes) > 5 else ''}); pass --force to overwrite them"
        )
    for target, f in targets:
        if f.renamed:
            term.diagnostics([Diagnostic(Severity.WARNING, _case_note(f), None)])
        _write(target, f.text.encode())
    for target, data in beside:
        _write(target, data)
    err = term.err()
    err.print(f"Exported {len(files)} object(s) to {out_dir}.")
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
    if not files:
        return exit_codes.OK
    return _check(term, out_dir, unnamed)


def inside(out_dir: Path, relative: PurePosixPath) -> Path:
    """out_dir/relative, refused (ConfigError) when a part of it under out_dir is a symbolic
    link, or is not the folder or file it must be: a write never leaves out_dir."""
    if relative.is_absolute() or ".." in relative.parts:
        raise ConfigError(f"refusing to write {relative}: it is not a path inside {out_dir}")
    current = out_dir
    for depth, part in enumerate(relative.parts, start=1):
        current = current / part
        last = depth == len(relative.parts)
        if current.is_symlink():
            raise ConfigError(
                f"{current} is a symbolic link; export writes only inside {out_dir}, never "
                "through a link (remove it, or export to another folder)"
            )
        if current.exists() and (current.is_file() if not last else not current.is_file()):
            what = "a folder" if last else "not a folder"
            raise ConfigError(f"cannot write {current}: it is {what}")
    return current


def _differs(target: Path, data: bytes) -> bool:
    try:
        return read_limited(target, len(data) + 1) != data
    except OSError:  # larger than what would be written, or unreadable: not the same
        return True


def _write(target: Path, data: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # O_NOFOLLOW: a link put there since the check is not followed either.
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(target, flags, 0o666), "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from None


def _case_note(exported: ExportedFile) -> str:
    return (
        f"{exported.address} is written to {exported.path}: its path differs from another "
        "only in case, which a macOS or Windows disk would store as one file"
    )


SECRET_REFERENCE = re.compile(r"\$\{secret:([A-Za-z_][A-Za-z0-9_]*)\}")


def _secret_references(inputs: Inputs, environ: Mapping[str, str]) -> dict[str, str]:
    """value -> `${secret:NAME}` for every secret the project's manifests reference.

    An exported file is committed to git: a secret the licence holds (a token in a
    description, say) goes back into the file as the reference it came from, never in clear.
    """
    if inputs.project is None:
        return {}
    try:
        files = manifest_files(list(inputs.project.manifests))
    except ManifestError:
        return {}  # no manifests yet: nothing references a secret
    texts = [read_text(f, str(f))[0] or "" for f in files]  # what cannot be read: no secrets
    names = {n for text in texts for n in SECRET_REFERENCE.findall(text)}
    return {environ[n]: f"${{secret:{n}}}" for n in sorted(names) if environ.get(n)}


def _placeholders(text: str, secrets: Mapping[str, str], term: Terminal) -> str:
    for value in sorted(secrets, key=len, reverse=True):
        text = text.replace(value, secrets[value])
    return term.masker.text(text)  # any other secret the run knows (an API key): masked


def _check(term: Terminal, out_dir: Path, unnamed: list[str]) -> int:
    """Load what was written: a live value this version does not know shows up here. The
    secret variables the export named but the user has not set yet are not its problem."""
    environ = {**dict.fromkeys(unnamed, "unset"), **term.environ}
    try:
        load([out_dir], environ)
    except ManifestError as problems:
        term.diagnostics(problems.diagnostics)
        note = "the licence holds values this version cannot express; edit these files"
        term.diagnostics([Diagnostic(Severity.ERROR, note)])
        return exit_codes.ERROR
    return exit_codes.OK
