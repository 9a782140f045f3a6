"""The files a manifest names (an e-mail's HTML, its images), as a kind may read them.

Paths are relative to the manifest's folder and must stay inside it once links are followed:
a manifest is code under review, and a path that climbs out (`../../secrets.env`) would put
a file of the machine that runs the plan into the plan's diff, the pull-request comment and
the licence. Only regular files are read, up to the size the kind allows (reader.py's checks:
a FIFO or a device is refused without being opened for long). Each file read is recorded with
its digest, so a saved plan is stale once a file it was made from changes.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path, PurePosixPath

from actito_iac.kinds.base import FileProblem
from actito_iac.manifest.reader import display_path, read_limited

MAX_LISTED = 1000
"""Files a folder named by a manifest may hold (an e-mail's images: a few)."""


class NearbyFiles:
    """The files beside one manifest (`Kind.complete` reads them through this)."""

    def __init__(self, manifest: Path) -> None:
        self.folder = manifest.parent
        self.digests: dict[str, str] = {}
        """sha256 of each file read, by its displayed path."""

    def read(self, relative: str, limit: int) -> bytes:
        path = self._inside(relative)
        try:
            info = path.stat()
        except OSError as exc:
            raise FileProblem(f"cannot read {relative!r}: {_reason(exc)}") from None
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            size = info.st_size
            raise FileProblem(f"{relative!r} is {size:,} bytes; at most {limit:,} are accepted")
        try:  # refuses what is not a regular file (a folder, a FIFO) without blocking on it
            data = read_limited(path, limit)
        except OSError as exc:
            raise FileProblem(f"cannot read {relative!r}: {_reason(exc)}") from None
        self.digests[display_path(path)] = hashlib.sha256(data).hexdigest()
        return data

    def listing(self, relative: str) -> list[str]:
        root = self._inside(relative)
        if not root.is_dir():
            what = "no such folder" if not root.exists() else "not a folder"
            raise FileProblem(f"{relative!r}: {what}")
        found: list[str] = []
        for current, folders, names in os.walk(root, onerror=_raise):
            folders[:] = sorted(f for f in folders if not f.startswith("."))
            for name in sorted(n for n in names if not n.startswith(".")):
                found.append((Path(current) / name).relative_to(root).as_posix())
                if len(found) > MAX_LISTED:
                    raise FileProblem(f"{relative!r} holds more than {MAX_LISTED} files")
        return sorted(found)

    def _inside(self, relative: str) -> Path:
        pure = PurePosixPath(relative.replace("\\", "/"))
        if not relative or pure.is_absolute() or Path(relative).is_absolute():
            raise FileProblem(f"{relative!r} must be a path relative to the manifest's folder")
        path = self.folder / Path(*pure.parts)
        try:
            resolved, base = path.resolve(), self.folder.resolve()
        except (OSError, RuntimeError) as exc:  # a link loop
            raise FileProblem(f"cannot follow {relative!r}: {exc}") from None
        if resolved != base and base not in resolved.parents:
            raise FileProblem(
                f"{relative!r} leads outside the manifest's folder; keep the files a manifest "
                "names beside it or below it"
            )
        return path


def _reason(exc: OSError) -> str:
    return str(exc.strerror or exc)


def _raise(exc: OSError) -> None:
    raise FileProblem(f"cannot list a folder: {_reason(exc)}")
