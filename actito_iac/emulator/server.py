"""Running the emulator as a real HTTP server (uvicorn), in the foreground or in a thread.

The listening socket is bound here rather than by uvicorn, for two reasons: with `port=0` the
real port is known at once, and a port already in use is an ordinary `OSError` the caller can
report, where uvicorn would log and exit the process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from pathlib import Path
from types import FrameType

import uvicorn
from starlette.types import ASGIApp

from actito_iac.emulator.admin_guard import is_loopback
from actito_iac.emulator.app import create_app
from actito_iac.emulator.pace import Throttle
from actito_iac.emulator.seed import apply_seed_file
from actito_iac.emulator.store import Store
from actito_iac.emulator.tokens import DEFAULT_API_KEYS
from actito_iac.errors import ActitoIacError

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StartError(ActitoIacError):
    """The emulator cannot start: remote host refused, database unusable, port unavailable."""


class _Server(uvicorn.Server):
    """uvicorn's server with our own signal handling and a hook once it accepts connections.

    uvicorn (0.29 and later) installs its SIGINT/SIGTERM handlers in `capture_signals`, but only
    on the main thread, and re-raises the captured signal after shutting down; the foreground
    emulator wants a clean exit (status 0) instead, and the threaded one no handlers at all.
    """

    def __init__(
        self,
        config: uvicorn.Config,
        *,
        handle_signals: bool,
        on_started: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(config)
        self._handle_signals = handle_signals
        self._on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and self._on_started is not None:
            self._on_started()

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        if not self._handle_signals or threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self._stop) for sig in _STOP_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _stop(self, sig: int, frame: FrameType | None) -> None:
        # A second SIGINT skips the graceful wait for open connections.
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True
        self.should_exit = True


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket; `port=0` lets the system choose a free port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=128)
    # A socket made here has proto 0, so asyncio does not set TCP_NODELAY on the connections
    # it accepts; without it every kept-alive response waits ~40 ms for a delayed ACK.
    # Accepted sockets inherit the option from the listening one.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _config(app: ASGIApp) -> uvicorn.Config:
    # No lifespan (the app has no startup work), no websockets, no access log: the app keeps
    # its own request log, and uvicorn's would print every request of a demo.
    return uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", ws="none")


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    db: str | None = None,
    api_keys: Sequence[str] = DEFAULT_API_KEYS,
    seed: str | None = None,
    token_ttl: float = 900.0,
    ready_file: str | None = None,
    latency: float = 0.0,
    throttle: Throttle | None = None,
    *,
    allow_remote: bool = False,
) -> None:
    """Run the emulator in the foreground until SIGINT or SIGTERM.

    Refuses a non-loopback host unless `allow_remote`: the admin surface has no
    authentication. Raises `SeedError` for a bad seed and `StartError` for a refused host, an
    unusable database or a port that cannot be bound, all before anything is served.

    Once listening, prints one line with the URL and, if `ready_file` is given, writes the URL
    there (removed again on exit, so a stale file never points at a dead server).
    """
    if not allow_remote and not is_loopback(host):
        raise StartError(f"refusing to listen on non-loopback host {host!r} (admin is open)")
    try:
        store = Store(db)
    except sqlite3.Error as exc:
        raise StartError(f"cannot open the database {db}: {exc}") from None
    try:
        if seed is not None:
            apply_seed_file(store, seed)
        hosts = () if is_loopback(host) else (host,)
        app = create_app(
            store,
            api_keys=api_keys,
            token_ttl=token_ttl,
            hosts=hosts,
            latency=latency,
            throttle=throttle,
        )
        try:
            sock = bind(host, port)
        except OSError as exc:
            raise StartError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        url = base_url(sock)

        def announce() -> None:
            print(f"actito-iac emulator listening on {url}", flush=True)
            if ready_file is not None:
                write_atomically(Path(ready_file), url + "\n")

        server = _Server(_config(app), handle_signals=True, on_started=announce)
        try:
            server.run(sockets=[sock])
        finally:
            sock.close()
            if ready_file is not None:
                Path(ready_file).unlink(missing_ok=True)
    finally:
        store.close()


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file in the same directory and a rename, so a reader polling for
    the file never sees it half written."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def running_server(app: ASGIApp, *, startup_timeout: float = 10.0) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 (a free port) from a background thread; yields the base URL.

    For tests and CLI tests that need real HTTP. The server is shut down on exit.
    """
    sock = bind("127.0.0.1", 0)
    url = base_url(sock)
    server = _Server(_config(app), handle_signals=False)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="emulator", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + startup_timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the emulator server did not start")
            time.sleep(0.01)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=startup_timeout)
        sock.close()
