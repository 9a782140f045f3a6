"""Writing files a command made (export, init) into a folder the user chose: never outside
it, never through a symbolic link, and never reading a file that is not a regular one."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from actito_iac.errors import ConfigError
from actito_iac.manifest.reader import read_limited


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
                f"{current} is a symbolic link; nothing is written inside {out_dir} "
                "through a link (remove it, or choose another folder)"
            )
        if current.exists() and (current.is_file() if not last else not current.is_file()):
            what = "a folder" if last else "not a folder"
            raise ConfigError(f"cannot write {current}: it is {what}")
    return current


def differs(target: Path, data: bytes) -> bool:
    """Whether `target` holds other bytes than `data` (unreadable, a folder, a FIFO: yes),
    read with a limit and never blocking."""
    try:
        return read_limited(target, len(data) + 1) != data
    except OSError:  # larger than what would be written, or unreadable: not the same
        return True


def write(target: Path, data: bytes) -> None:
    """Write `data` to `target`, never through a link at its last part either."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # O_NOFOLLOW: a link put there since the check is not followed either.
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(target, flags, 0o666), "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from None
