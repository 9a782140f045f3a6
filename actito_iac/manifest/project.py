"""The project file (`actito-iac.yaml`) and the connection a run uses.

The project file says where the manifests are and which licences (environments) exist. API keys
never live in it: each environment names the environment variable that holds its key, and an
`apiKey` field is refused. For one-off runs, `ACTITO_API_URL` and `ACTITO_API_KEY` override the
chosen environment's URL and key, and work with no project file at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from actito_iac.constants import CALLS_PER_MINUTE
from actito_iac.constants import KEY_OVERRIDE as KEY_OVERRIDE  # defined there for the CLI
from actito_iac.errors import ConfigError, Diagnostic, ManifestError, Severity, SourceLocation
from actito_iac.manifest.explain import at, explain
from actito_iac.manifest.model import DEFAULT_KEY_ENV, ProjectFile
from actito_iac.manifest.plain import to_plain
from actito_iac.manifest.reader import display_path, parse, read_text
from actito_iac.manifest.substitute import Scalar
from actito_iac.secrets import Secret

PROJECT_FILE = "actito-iac.yaml"
URL_OVERRIDE = "ACTITO_API_URL"
RATE_OVERRIDE = "ACTITO_CALLS_PER_MINUTE"
NO_ENVIRONMENT = "default"
"""The environment's name when no project environment applies (overrides only)."""

_KEY_HINT = (
    "API keys never live in files; put the key in an environment variable "
    f"and give that variable's name as apiKeyEnv (default {DEFAULT_KEY_ENV})"
)
_HINTS = {"apikey": _KEY_HINT, "apitoken": _KEY_HINT, "key": _KEY_HINT}


@dataclass(frozen=True)
class Environment:
    api_url: str
    api_key_env: str = DEFAULT_KEY_ENV
    variables: Mapping[str, Scalar] = field(default_factory=dict)
    """What `${var:NAME}` resolves to in manifests planned against this environment."""
    calls_per_minute: int = CALLS_PER_MINUTE
    """The licence's calls a minute before ACTITO slows down (0: the client does not pace)."""


@dataclass(frozen=True)
class Project:
    root: Path
    manifests: list[Path]
    """Resolved against `root`."""
    environments: dict[str, Environment]
    default_environment: str | None = None


@dataclass(frozen=True)
class Connection:
    environment: str
    api_url: str
    api_key: Secret
    key_from: str = ""
    """The environment variable the key was read from (to explain a refused key)."""
    calls_per_minute: int = CALLS_PER_MINUTE


def find_project(start: Path) -> Path | None:
    """The project file in `start` or its parents, stopping at a git root or the filesystem root."""
    folder = start.resolve()
    while True:
        candidate = folder / PROJECT_FILE
        if candidate.exists() and not candidate.is_dir():
            return candidate  # a FIFO or a device there is refused when read, not ignored
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


def load_project(path: Path) -> Project:
    """Read and check a project file; every problem is raised at once as a ManifestError."""
    shown = display_path(path)
    parsed, problems = _read(path, shown)
    if parsed is None:
        raise ManifestError(problems)
    return Project(
        root=path.parent,
        manifests=[path.parent / entry for entry in parsed.manifests],
        environments={
            name: Environment(
                env.apiUrl, env.apiKeyEnv, dict(env.variables), env.callsPerMinute
            )
            for name, env in parsed.environments.items()
        },
        default_environment=parsed.defaultEnvironment,
    )


def _read(path: Path, shown: str) -> tuple[ProjectFile | None, list[Diagnostic]]:
    text, problems = read_text(path, shown)
    if text is None:
        return None, problems
    documents, problems = parse(text, shown)
    if any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    if len(documents) > 1:
        message = f"a project file holds one YAML document, not {len(documents)}"
        return None, [Diagnostic(Severity.ERROR, message, SourceLocation(shown))]
    tree = documents[0] if documents and documents[0] is not None else {}
    if not isinstance(tree, Mapping):
        message = "a project file is a mapping (manifests, defaultEnvironment, environments)"
        return None, [Diagnostic(Severity.ERROR, message, SourceLocation(shown))]
    return _validate(tree, shown)


def _validate(tree: Any, shown: str) -> tuple[ProjectFile | None, list[Diagnostic]]:
    plain, problems = to_plain(tree, shown, None)
    try:
        parsed = ProjectFile.model_validate(plain)
    except ValidationError as error:
        reported = {d.field for d in problems}
        return None, problems + explain(error, tree, shown, ProjectFile, _HINTS, reported)
    default = parsed.defaultEnvironment
    if default is not None and default not in parsed.environments:
        message = f"unknown environment {default!r} ({_known(parsed.environments)})"
        problems.append(at(tree, shown, ("defaultEnvironment",), message))
    return (None if problems else parsed), problems


def resolve_connection(
    project: Project | None, env_name: str | None, environ: Mapping[str, str]
) -> Connection:
    """The environment a run talks to: `env_name`, else the default, else the only one.

    `ACTITO_API_URL` / `ACTITO_API_KEY` override its URL / key, `ACTITO_CALLS_PER_MINUTE` its
    rate. Messages name variables, never their values.
    """
    name, environment = choose_environment(project, env_name, environ)
    url = environ.get(URL_OVERRIDE) or (environment.api_url if environment else "")
    if not url:
        raise ConfigError(
            f"no API URL for environment {name!r}: set {URL_OVERRIDE}, or name the licences "
            f"in a project file ({PROJECT_FILE}, environments.<name>.apiUrl)"
        )
    key_env, key = _api_key(name, environment, environ)
    rate = environment.calls_per_minute if environment else CALLS_PER_MINUTE
    given = environ.get(RATE_OVERRIDE, "").strip()
    if given:
        if not (given.isascii() and given.isdigit()):  # '²' is a digit to isdigit, not to int
            raise ConfigError(f"{RATE_OVERRIDE} must be a whole number of calls (0: no pacing)")
        rate = int(given)
    return Connection(name, url, Secret(key), key_env, rate)


def choose_environment(
    project: Project | None,
    env_name: str | None,
    environ: Mapping[str, str],
    *,
    required: bool = True,
) -> tuple[str, Environment | None]:
    """`env_name`, else the default, else the only one; without `required` (offline
    validation), several environments and no choice give no environment instead of an error."""
    environments = project.environments if project else {}
    wanted = env_name or (project.default_environment if project else None)
    if wanted is not None:
        if project is None:
            raise ConfigError(
                f"unknown environment {wanted!r}: no project file ({PROJECT_FILE}) was found"
            )
        if wanted not in environments:
            raise ConfigError(f"unknown environment {wanted!r} ({_known(environments)})")
        return wanted, environments[wanted]
    if len(environments) == 1:
        return next(iter(environments.items()))
    if environments and not environ.get(URL_OVERRIDE) and required:
        raise ConfigError(
            f"several environments ({', '.join(sorted(environments))}) and no default: "
            "choose one with --env NAME, or set defaultEnvironment in the project file"
        )
    return NO_ENVIRONMENT, None


def _api_key(
    name: str, environment: Environment | None, environ: Mapping[str, str]
) -> tuple[str, str]:
    own = environment.api_key_env if environment else KEY_OVERRIDE
    for variable in (KEY_OVERRIDE, own):
        value = environ.get(variable)
        if value:
            return variable, value
    also = "" if own == KEY_OVERRIDE else f" (or {KEY_OVERRIDE} for a one-off run)"
    raise ConfigError(
        f"no API key for environment {name!r}: the environment variable {own} is not set{also}"
    )


def _known(environments: Mapping[str, object]) -> str:
    if not environments:
        return "no environments are defined"
    return "defined environments: " + ", ".join(sorted(environments))
