"""The `init` command's flow: write a new project, then, if asked, adopt a live licence into
it (an export into its manifests folder, so that `plan` right after finds nothing to do)."""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape

from actito_iac import exit_codes
from actito_iac.errors import ConfigError
from actito_iac.export_run import export_now
from actito_iac.manifest.project import PROJECT_FILE
from actito_iac.scaffold import MANIFESTS, project_files, write_project
from actito_iac.terminal import Terminal


async def init_now(
    term: Terminal, root: Path, *, force: bool, from_licence: bool, env_name: str | None
) -> int:
    written = write_project(root, project_files(), force=force)
    listed = "".join(f"\n  {escape(str(f.path))}" for f in written) or " (all there already)"
    term.message(f"Project in {escape(str(root))}:{listed}")
    if not from_licence:
        term.message(
            "Next: describe your tables in manifests/, or adopt an existing licence with "
            "`actito-iac init --from-licence` (or `actito-iac export`); "
            "try it on the emulator first: `actito-iac emulator serve`."
        )
        return exit_codes.OK
    manifests = root / MANIFESTS
    if any(manifests.rglob("*.y*ml")):
        # A plain export there would declare every object twice; merging is export's job.
        raise ConfigError(
            f"{manifests} holds manifests already: to merge the licence into them, run "
            "`actito-iac export --update` in the project"
        )
    code = await export_now(term, root / PROJECT_FILE, env_name, (), manifests, force)
    if code == exit_codes.OK:
        term.message(
            "The licence is adopted: `actito-iac plan` in this project shows no changes. "
            "Review the files and commit them."
        )
    return code
