"""One apply at a time per licence on this machine: an advisory lock file per API URL.

ACTITO has no lock of its own, and two applies planning against the same licence at once would
each build their writes on a state the other is changing. Across machines (CI runners), the
documented rule is a CI concurrency group per environment (README, "Interrupted and
concurrent applies"; the example workflows follow it, and a test checks they do). On one
machine, `apply` takes this
lock before it reads the licence and keeps it until it ends: a second apply refuses at once,
naming who holds the lock, or waits for it with `--wait-lock SECONDS`.

The lock is `flock` on a file in the user's cache folder (`$XDG_CACHE_HOME/actito-iac/locks`,
else `~/.cache/actito-iac/locks`), one per API URL. The kernel releases it when its process
ends, however it ends, so the lock of a process that was killed is simply free again (the file
still names it, and the next apply says so: the killed apply may have stopped half way). Where
the lock cannot be taken at all (no `fcntl`, a read-only home), apply goes on with a warning:
the lock is a convenience on top of the CI rule, not the only guard.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import hashlib
import json
import os
import socket
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from actito_iac.errors import ApplyRefused

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

POLL_SECONDS = 0.2


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) a licence's lock."""

    pid: int
    host: str
    started: str
    url: str

    def __str__(self) -> str:
        return f"pid {self.pid} on {self.host}, since {self.started}"


def lock_folder(environ: Mapping[str, str]) -> Path:
    cache = environ.get("XDG_CACHE_HOME")
    home = Path(cache) if cache else Path(environ.get("HOME") or Path.home()) / ".cache"
    return home / "actito-iac" / "locks"


def lock_path(api_url: str, environ: Mapping[str, str]) -> Path:
    key = api_url.strip().rstrip("/").lower()
    return lock_folder(environ) / f"apply-{hashlib.sha256(key.encode()).hexdigest()[:16]}.lock"


@contextlib.asynccontextmanager
async def licence_lock(
    api_url: str,
    environ: Mapping[str, str],
    *,
    wait: float = 0.0,
    warn: Callable[[str], None] = lambda text: None,
) -> AsyncIterator[None]:
    """Hold the apply lock of `api_url` for the duration; raise ApplyRefused when another
    apply holds it and it is not released within `wait` seconds."""
    handle = _open(lock_path(api_url, environ), warn)
    if handle is None:
        yield
        return
    try:
        await _acquire(handle, api_url, wait)
        previous = _read(handle)
        if previous is not None:
            warn(
                f"the previous apply on {api_url} ({previous}) ended without releasing its "
                "lock: it was killed or crashed, and may have stopped half way; this plan "
                "shows where the licence stands"
            )
        _write(handle, Holder(os.getpid(), socket.gethostname(), _now(), api_url))
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()  # released cleanly: the next apply has nothing to warn about
            handle.flush()
    finally:
        handle.close()  # closing the file releases the lock


def _open(path: Path, warn: Callable[[str], None]) -> IO[str] | None:
    if fcntl is None:  # pragma: no cover
        warn("apply lock not available on this system; run one apply at a time")
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError as exc:
        warn(f"cannot use the apply lock {path} ({exc.strerror or exc}); going on without it")
        return None
    return os.fdopen(fd, "r+", encoding="utf-8")


async def _acquire(handle: IO[str], api_url: str, wait: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if loop.time() >= deadline:
                holder = _read(handle)
                who = f" ({holder})" if holder else ""
                waited = f" after waiting {wait:g}s" if wait > 0 else ""
                raise ApplyRefused(
                    f"another apply on {api_url} is running{who}{waited}; only one apply may "
                    "change a licence at a time. Wait for it, or pass --wait-lock SECONDS to "
                    "wait here"
                ) from None
            # Async, so that Ctrl-C while waiting interrupts at once.
            await asyncio.sleep(min(POLL_SECONDS, max(deadline - loop.time(), 0.0)))


def _read(handle: IO[str]) -> Holder | None:
    handle.seek(0)
    try:
        raw = json.loads(handle.read() or "null")
        return Holder(int(raw["pid"]), str(raw["host"]), str(raw["started"]), str(raw["url"]))
    except (ValueError, TypeError, KeyError):  # empty (released cleanly) or not ours
        return None


def _write(handle: IO[str], holder: Holder) -> None:
    handle.seek(0)
    handle.truncate()
    json.dump(holder.__dict__, handle)
    handle.flush()


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
