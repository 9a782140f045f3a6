"""In-process access to the emulator: the async client talks to the app with no socket."""

from __future__ import annotations

import httpx
from starlette.types import ASGIApp


def in_process_transport(app: ASGIApp) -> httpx.AsyncBaseTransport:
    return httpx.ASGITransport(app=app)
