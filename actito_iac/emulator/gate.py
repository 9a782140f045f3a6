"""What every ACTITO API request goes through before its route, as one ASGI middleware.

The order is the point, so it is written out once, top to bottom, in `ApiGate.__call__`:

0. the admin surface (not part of the API) is served to local tools only (admin_guard.py);

1. the request log records it (so rejected requests show up too);
2. the concurrency limit answers 429 above `max_in_flight` requests in flight; a request let in
   then takes the licence's latency and, past its calls per minute, the throttle's delay;
3. a scripted fault may stall it and/or answer in its place (inside the limit, so a stalled
   request holds its slot exactly like a slow real one);
4. authentication (401) comes before content negotiation (406), as in a server whose security
   filter runs ahead of its dispatcher; `/auth/token` checks its key itself.

A pure ASGI middleware rather than an `http` decorator: it counts a request until its response
is fully sent, and it behaves the same under httpx's ASGI transport and under uvicorn.
"""

from __future__ import annotations

import logging
import time

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from actito_iac.emulator.admin_guard import refusal
from actito_iac.emulator.json_http import error_response
from actito_iac.emulator.state import EmulatorState

logger = logging.getLogger(__name__)

ADMIN_PREFIX = "/__emulator__/"
TOKEN_PATH = "/auth/token"  # noqa: S105 (a URL path, not a secret)
_JSON_RANGES = frozenset({"application/json", "application/*", "*/*"})


class ApiGate:
    def __init__(self, app: ASGIApp, state: EmulatorState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(ADMIN_PREFIX):
            refused = refusal(scope, self.state.hosts)  # local tools only (admin_guard.py)
            await (refused or self.app)(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        self.state.arrive(time.monotonic())
        entry = self.state.log.open(method, path)
        status = 500  # what the client gets if the app raises before answering

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self._limited(scope, receive, send_and_note)
        finally:
            self.state.depart(time.monotonic())
            self.state.log.close(entry, status)
            logger.debug("%s %s -> %s", method, path, status)

    async def _limited(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.state.enter():
            # [INFER] the Retry-After header; the 429 itself is documented.
            limit = self.state.max_in_flight
            response = error_response(
                429,
                f"too many concurrent requests (at most {limit} in flight per licence)",
                {"Retry-After": "1"},
            )
            await response(scope, receive, send)
            return
        try:
            pause = self.state.pause()  # latency and throttle, spent holding the slot (pace.py)
            if pause > 0:
                await anyio.sleep(pause)
            await self._faulted(scope, receive, send)
        finally:
            self.state.leave()

    async def _faulted(self, scope: Scope, receive: Receive, send: Send) -> None:
        fault = self.state.faults.take(scope["method"], scope["path"])
        if fault is not None:
            if fault.delay:
                await anyio.sleep(fault.delay)
            if fault.status is not None:
                headers = (
                    {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
                )
                response = error_response(fault.status, "injected fault", headers)
                await response(scope, receive, send)
                return
        await self._checked(scope, receive, send)

    async def _checked(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        # [INFER] 401 is checked before 406 (security ahead of content negotiation).
        if scope["path"] != TOKEN_PATH and not self._bearer_ok(headers.get("authorization")):
            response = error_response(401, "missing, unknown or expired access token")
            await response(scope, receive, send)
            return
        if not accepts_json(headers.get("accept")):
            response = error_response(406, "the Accept header does not allow application/json")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _bearer_ok(self, authorization: str | None) -> bool:
        scheme, _, token = (authorization or "").partition(" ")
        return scheme.lower() == "bearer" and self.state.tokens.is_valid(token.strip())


def accepts_json(accept: str | None) -> bool:
    """Whether an Accept header admits application/json (a present non-JSON one gets 406)."""
    # [INFER] a missing or empty header is accepted: the documentation asks for the header, but
    # public clients omit it on GETs and nothing says ACTITO refuses them.
    if accept is None or not accept.strip():
        return True
    for media_range in accept.split(","):
        media, *params = (part.strip() for part in media_range.split(";"))
        if media.lower() in _JSON_RANGES and _quality(params) > 0:
            return True
    return False


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0
