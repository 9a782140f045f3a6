"""The `export` command's flow: read the licence, write one manifest per object, check them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from actito_iac import __version__, exit_codes
from actito_iac.errors import ConfigError, Diagnostic, ManifestError, Severity
from actito_iac.export import export_files
from actito_iac.kinds.entity import read_entity_names
from actito_iac.live import read_objects
from actito_iac.manifest.loader import load, manifest_files
from actito_iac.manifest.project import find_project, load_project
from actito_iac.manifest.reader import read_text
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
        objects = await read_objects(client, sorted(entities or existing))
    header = (
        f"Exported by actito-iac {__version__} from environment {connection.environment} "
        f"({connection.api_url})."
    )
    files = export_files(objects, header, lambda text: _placeholders(text, secrets, term))
    clashes = [
        str(out_dir / f.path)
        for f in files
        if (out_dir / f.path).exists() and (out_dir / f.path).read_text(encoding="utf-8") != f.text
    ]
    if clashes and not force:
        raise ConfigError(
            f"{len(clashes)} file(s) already exist with other content ({', '.join(clashes[:5])}"
            f"{', …' if len(clashes) > 5 else ''}); pass --force to overwrite them"
        )
    for f in files:
        target = out_dir / f.path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f.text, encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from None
    err = term.err()
    err.print(f"Exported {len(files)} object(s) to {out_dir}.")
    if not files:
        return exit_codes.OK
    return _check(term, out_dir)


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


def _check(term: Terminal, out_dir: Path) -> int:
    """Load what was written: a live value this version does not know shows up here."""
    try:
        load([out_dir], term.environ)
    except ManifestError as problems:
        term.diagnostics(problems.diagnostics)
        note = "the licence holds values this version cannot express; edit these files"
        term.diagnostics([Diagnostic(Severity.ERROR, note)])
        return exit_codes.ERROR
    return exit_codes.OK
