"""The emulator's ASGI application: an emulated ACTITO licence over a `Store`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from http import HTTPStatus

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from actito_iac.emulator.admin_routes import AdminRoutes
from actito_iac.emulator.api_routes import ApiRoutes
from actito_iac.emulator.gate import ApiGate
from actito_iac.emulator.json_http import error_response
from actito_iac.emulator.resources.crud import Resource
from actito_iac.emulator.resources.registry import RESOURCES
from actito_iac.emulator.state import EmulatorState
from actito_iac.emulator.store import Store
from actito_iac.emulator.tokens import TokenBook
from actito_iac.emulator.ui_routes import UiRoutes

logger = logging.getLogger(__name__)

MAX_IN_FLIGHT = 5
"""ACTITO's documented limit of concurrent requests per licence."""


def create_app(
    store: Store,
    *,
    api_keys: Sequence[str],
    token_ttl: float = 900.0,
    max_in_flight: int = MAX_IN_FLIGHT,
    clock: Callable[[], float] = time.monotonic,
    resources: Sequence[Resource] = RESOURCES,
    hosts: Sequence[str] = (),
) -> Starlette:
    """Build the app; `clock` measures token lifetimes (injected so tests can expire tokens);
    `resources` are the CRUD resources served (every registered one by default); `hosts` are
    the non-loopback addresses it serves on (its admin surface answers to them).

    The run-time state (tokens, faults, request log) is reachable as `app.state.emulator`.
    """
    if max_in_flight < 1:
        raise ValueError("max_in_flight must be at least 1")
    state = EmulatorState(
        store, TokenBook(api_keys, token_ttl, clock), max_in_flight, frozenset(hosts)
    )
    app = Starlette(
        routes=[
            *ApiRoutes(state, resources).routes(),
            *AdminRoutes(state).routes(),
            *UiRoutes(store, resources).routes(),
        ],
        middleware=[Middleware(ApiGate, state=state)],
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
    app.state.emulator = state
    return app


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = exc.detail
    if message == HTTPStatus(exc.status_code).phrase:  # Starlette's own 404/405: say what missed
        message = f"{request.method} {request.url.path}: {message}"
    return error_response(exc.status_code, message, exc.headers)


async def _server_error(request: Request, exc: Exception) -> Response:
    logger.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, "internal emulator error")
