"""The ACTITO API routes the emulator serves: token and entities here, table structures in
`structures/routes.py`, profiles and records in `data/routes.py`, and every plain CRUD
resource (webhook subscriptions, custom actions…) through `resources/crud.py`.

Each resource is served under its categorised URL (current) and the uncategorised one
(`/v5/...`, announced as retired but still used by public clients). Authentication and Accept
are checked before these handlers run (see `gate.py`).
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from actito_iac.emulator.data.routes import DataRoutes
from actito_iac.emulator.resources.crud import Resource, ResourceRoutes
from actito_iac.emulator.routing import method_route
from actito_iac.emulator.state import EmulatorState
from actito_iac.emulator.structures.routes import structure_routes

__all__ = ["ENTITY_PREFIXES", "ApiRoutes", "method_route"]

ENTITY_PREFIXES = ("/entities/v5", "/v5")


class ApiRoutes:
    def __init__(self, state: EmulatorState, resources: Sequence[Resource]) -> None:
        self.state = state
        self.resources = resources

    def routes(self) -> list[BaseRoute]:
        routes: list[BaseRoute] = [Route("/auth/token", self.token, methods=["GET"])]
        routes += [
            Route(f"{p}/entities", self.list_entities, methods=["GET"]) for p in ENTITY_PREFIXES
        ]
        routes += structure_routes(self.state) + DataRoutes(self.state).routes()
        for resource in self.resources:
            routes += ResourceRoutes(self.state, resource).routes()
        return routes

    async def token(self, request: Request) -> Response:
        # The raw key, no scheme [DOC]; never logged.
        key = request.headers.get("authorization", "")
        if not key or not self.state.tokens.knows_key(key):
            raise HTTPException(401, "unknown API key")
        return JSONResponse(self.state.tokens.issue())

    async def list_entities(self, request: Request) -> Response:
        return JSONResponse({"entities": [e.to_json() for e in self.state.store.list_entities()]})
