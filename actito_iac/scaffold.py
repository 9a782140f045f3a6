"""`actito-iac init`: the files of a new project, and writing them without losing any.

A project is the project file (a local emulator environment, and staging and production as
examples — the environments the example workflows plan and apply), an empty manifests folder,
the example GitHub workflows and a pre-commit configuration running the published hook.

The workflows are the ones in the repository's `examples/github/`: the wheel carries them as
`actito_iac/templates/workflows` (pyproject.toml), and a source checkout reads that folder
directly, so there is one copy to keep true.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from actito_iac import __version__
from actito_iac.errors import ConfigError
from actito_iac.manifest.project import PROJECT_FILE
from actito_iac.writing import differs, inside, write

MANIFESTS = "manifests"
WORKFLOWS = PurePosixPath(".github/workflows")
RELEASE_TAG = f"v{__version__}"
"""The tag this version was released under (release workflow: `v*.*.*`)."""

PROJECT_TEXT = f"""\
# yaml-language-server: $schema=https://actito-iac.dev/schemas/project.schema.json
# The project file: where the manifests are, and which licences (environments) they go to.
# API keys never live here: each environment names the environment variable holding its key.
manifests: [{MANIFESTS}]
defaultEnvironment: local
environments:
  local:
    # The bundled emulator: `actito-iac emulator serve` (its default key is emulator-key).
    apiUrl: http://127.0.0.1:8787
    apiKeyEnv: ACTITO_API_KEY
  staging:
    # Use the host shown with your API key in the ACTITO UI (api, api1 or api3.actito.com).
    apiUrl: https://api3.actito.com
    apiKeyEnv: ACTITO_STAGING_API_KEY
  production:
    apiUrl: https://api3.actito.com
    apiKeyEnv: ACTITO_PROD_API_KEY
"""

PRE_COMMIT_TEXT = f"""\
# `pre-commit install` runs an offline `actito-iac validate` before each commit that touches
# a YAML file. Replace OWNER with where you take actito-iac from.
repos:
  - repo: https://github.com/OWNER/actito-iac
    rev: {RELEASE_TAG}
    hooks:
      - id: actito-iac-validate
"""


@dataclass(frozen=True)
class NewFile:
    path: PurePosixPath
    """Relative to the project folder."""
    text: str


def workflow_templates() -> Traversable:
    """The example workflows: packaged in a wheel, `examples/github` in a source checkout."""
    packaged = resources.files("actito_iac").joinpath("templates", "workflows")
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "examples" / "github"
    if checkout.is_dir():
        return checkout
    raise ConfigError("this installation of actito-iac lacks its example workflows")


def project_files() -> list[NewFile]:
    workflows = sorted(
        (f for f in workflow_templates().iterdir() if f.name.endswith(".yml")),
        key=lambda f: f.name,
    )
    return [
        NewFile(PurePosixPath(PROJECT_FILE), PROJECT_TEXT),
        NewFile(PurePosixPath(MANIFESTS, ".gitkeep"), ""),
        *(NewFile(WORKFLOWS / f.name, f.read_text(encoding="utf-8")) for f in workflows),
        NewFile(PurePosixPath(".pre-commit-config.yaml"), PRE_COMMIT_TEXT),
    ]


def write_project(root: Path, files: list[NewFile], *, force: bool) -> list[NewFile]:
    """Write `files` under `root`; the ones written are returned (identical ones are skipped).

    Nothing is written when a file exists with other content and `force` is not given: the
    refusal names them all, before anything changed.
    """
    if root.exists() and not root.is_dir():
        raise ConfigError(f"cannot create a project in {root}: it is a file")
    # Every target is checked before anything is written: a refusal changes nothing.
    targets = [(inside(root, f.path), f) for f in files]
    clashes = [f for t, f in targets if t.exists() and differs(t, f.text.encode())]
    if clashes and not force:
        names = ", ".join(str(f.path) for f in clashes)
        raise ConfigError(
            f"{root} already holds {names} with other content; nothing was written. "
            "Pass --force to overwrite, or choose another folder"
        )
    written = []
    for target, f in targets:
        if target.exists() and not differs(target, f.text.encode()):
            continue
        write(target, f.text.encode())
        written.append(f)
    return written
