"""The ACTITO API routes the emulator serves: token, entities, custom-table structure.

Each resource is served under its categorised URL (current) and the uncategorised one
(`/v5/...`, announced as retired but still used by public clients). Authentication and Accept
are checked before these handlers run (see `gate.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from actito_iac.emulator.json_http import read_json
from actito_iac.emulator.rules import RuleError, validate_change, validate_create
from actito_iac.emulator.state import EmulatorState
from actito_iac.emulator.store import DuplicateName, Entity

logger = logging.getLogger(__name__)

ENTITY_PREFIXES = ("/entities/v5", "/v5")
CUSTOM_TABLE_PREFIXES = ("/custom-table-structure/v5", "/v5")


Endpoint = Callable[[Request], Awaitable[Response]]


def method_route(path: str, **by_method: Endpoint) -> Route:
    """One route per path, dispatching on the method, so a 405 lists every allowed method
    (Starlette builds `Allow` from the first route whose path matches)."""

    async def endpoint(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await by_method[method](request)

    return Route(path, endpoint, methods=list(by_method))


class ApiRoutes:
    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    def routes(self) -> list[BaseRoute]:
        routes: list[BaseRoute] = [Route("/auth/token", self.token, methods=["GET"])]
        routes += [
            Route(f"{p}/entities", self.list_entities, methods=["GET"]) for p in ENTITY_PREFIXES
        ]
        for prefix in CUSTOM_TABLE_PREFIXES:
            base = f"{prefix}/entities/{{entity}}/custom-tables"
            routes += [
                method_route(base, GET=self.list_tables, POST=self.create_table),
                method_route(f"{base}/{{table}}", GET=self.get_table),
                method_route(f"{base}/{{table}}/change-requests", POST=self.change_table),
            ]
        return routes

    # -- token and entities -------------------------------------------------------------------

    async def token(self, request: Request) -> Response:
        # The raw key, no scheme [DOC]; never logged.
        key = request.headers.get("authorization", "")
        if not key or not self.state.tokens.knows_key(key):
            raise HTTPException(401, "unknown API key")
        return JSONResponse(self.state.tokens.issue())

    async def list_entities(self, request: Request) -> Response:
        return JSONResponse({"entities": [e.to_json() for e in self.state.store.list_entities()]})

    # -- custom tables ------------------------------------------------------------------------

    async def list_tables(self, request: Request) -> Response:
        # [INFER] the `customTables` wrapper name, by analogy with the documented `entities`.
        entity = self._entity(request)
        return JSONResponse({"customTables": self.state.store.list_custom_tables(entity.name)})

    async def get_table(self, request: Request) -> Response:
        return JSONResponse(self._table(request))

    async def create_table(self, request: Request) -> Response:
        entity = self._entity(request)
        body = await read_json(request)
        store = self.state.store
        existing = {t["name"] for t in store.list_custom_tables(entity.name)}
        try:
            stored = store.insert_custom_table(
                entity.name, validate_create(body, existing_names=existing)
            )
        except (RuleError, DuplicateName) as exc:
            raise HTTPException(400, str(exc)) from None
        logger.info("custom table %r created in entity %r", stored["name"], entity.name)
        location = str(request.url.replace(path=f"{request.url.path}/{stored['id']}", query=""))
        # [INFER] 201 with the stored definition as the body (the documentation only says 201
        # carries a Location header and "may or may not" have a body).
        return JSONResponse(stored, status_code=201, headers={"Location": location})

    async def change_table(self, request: Request) -> Response:
        # [INFER] the change is applied synchronously and answered 200 with the new definition;
        # the resource name suggests ACTITO may queue change requests.
        entity = self._entity(request)
        stored = self._table(request)
        body = await read_json(request)
        try:
            changed = validate_change(stored, body)
        except RuleError as exc:
            raise HTTPException(400, str(exc)) from None
        result = self.state.store.replace_custom_table(entity.name, stored["id"], changed)
        logger.info("custom table %r changed in entity %r", stored["name"], entity.name)
        return JSONResponse(result)

    def _entity(self, request: Request) -> Entity:
        name = request.path_params["entity"]
        entity = self.state.store.get_entity(name)
        if entity is None:
            raise HTTPException(404, f"entity {name!r} not found")
        return entity

    def _table(self, request: Request) -> dict[str, Any]:
        """The table named by the `{table}` path segment: its UUID, or its name."""
        # [INFER] lookup by name too, as v4 record paths do with the table name.
        entity = self._entity(request)
        key = request.path_params["table"]
        store = self.state.store
        table = store.get_custom_table(entity.name, key) or store.find_custom_table(
            entity.name, key
        )
        if table is None:
            raise HTTPException(404, f"custom table {key!r} not found in entity {entity.name!r}")
        return table
