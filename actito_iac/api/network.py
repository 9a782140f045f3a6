"""What a network failure was, read from the exception chain httpx raises.

httpx wraps the operating system's error twice (httpx → httpcore → anyio → OSError), so the
useful fact — refused, unknown host, reset — sits at the bottom of the chain. Two of them are
final: nothing listens at that address, or the name does not exist. Repeating the call would
only make the user wait for the same answer, so the retry layer gives up at once on them and
the error says what to check.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx

from actito_iac.api.urls import is_loopback

EMULATOR_HINT = "is the emulator running (`actito-iac emulator serve`)? "


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def is_refused(exc: BaseException) -> bool:
    """The host answered that nothing listens on that port."""
    return any(
        isinstance(e, ConnectionRefusedError)
        or (isinstance(e, OSError) and e.errno == errno.ECONNREFUSED)
        for e in _chain(exc)
    )


def is_unknown_host(exc: BaseException) -> bool:
    """The host name does not resolve (a temporary resolver failure is not this)."""
    final = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}
    return any(isinstance(e, socket.gaierror) and e.errno in final for e in _chain(exc))


def is_final(exc: BaseException) -> bool:
    """A failure a repeat would meet again at once: not worth a retry."""
    return is_refused(exc) or is_unknown_host(exc)


def is_reset(exc: BaseException) -> bool:
    return any(isinstance(e, ConnectionResetError | BrokenPipeError) for e in _chain(exc))


def reason(exc: BaseException) -> str:
    """A few words for a log line: why an attempt got no answer."""
    if is_refused(exc):
        return "connection refused"
    if is_unknown_host(exc):
        return "unknown host"
    if is_reset(exc):
        return "connection reset"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "connection closed without an answer"
    return type(exc).__name__


def hint(exc: BaseException, host: str) -> str:
    """What to check after a final failure, or empty."""
    name = urlsplit(f"//{host}").hostname or host  # `[::1]:8000` as well as `host:8000`
    if is_refused(exc):
        local = EMULATOR_HINT if is_loopback(name) else ""
        return f"nothing accepts connections at {host}: {local}is the API URL right?"
    if is_unknown_host(exc):
        return f"the host name {name} does not exist: is the API URL right?"
    return ""
