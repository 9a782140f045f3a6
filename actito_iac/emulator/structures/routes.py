"""Table structure routes, for custom tables and profile tables alike: list, get, create and
change request, each under its categorised URL and the uncategorised `/v5/...` one."""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from actito_iac.emulator.json_http import read_json
from actito_iac.emulator.routing import answering, entity_of, method_route
from actito_iac.emulator.state import EmulatorState
from actito_iac.emulator.structures.tables import (
    CUSTOM,
    PROFILE,
    Family,
    Structures,
    without_parts,
)

logger = logging.getLogger(__name__)

CUSTOM_TABLE_PREFIXES = ("/custom-table-structure/v5", "/v5")
PROFILE_TABLE_PREFIXES = ("/profile-table-structure/v5", "/v5")


class FamilyRoutes:
    """The four structure endpoints of one table family."""

    def __init__(
        self, state: EmulatorState, family: Family, segment: str, wrapper: str, title: str
    ) -> None:
        self.state = state
        self.family = family
        self.segment = segment
        # [INFER] the list wrapper names, by analogy with the documented `entities`.
        self.wrapper = wrapper
        self.title = title
        self.structures = Structures(state.store)

    def routes(self, prefixes: tuple[str, ...]) -> list[BaseRoute]:
        routes: list[BaseRoute] = []
        for prefix in prefixes:
            base = f"{prefix}/entities/{{entity}}/{self.segment}"
            routes += [
                method_route(base, GET=self.list_tables, POST=self.create_table),
                method_route(f"{base}/{{table}}", GET=self.get_table),
                method_route(f"{base}/{{table}}/change-requests", POST=self.change_table),
            ]
        return routes

    async def list_tables(self, request: Request) -> Response:
        entity = entity_of(self.state.store, request)
        fields = request.query_params.get("fields")
        as_stored = self.structures.as_stored(self.family)  # one look at the setting per list
        if fields is None and as_stored:
            # The stored texts, joined: a list of thousands of tables is answered without
            # decoding and encoding each one (the emulator must not weigh on a benchmark).
            texts = self.state.store.list_texts(entity.name, self.family.kind)
            body = "{" + json.dumps(self.wrapper) + ":[" + ",".join(texts) + "]}"
            return Response(body.encode("utf-8"), media_type="application/json")
        tables = self.state.store.list_objects(entity.name, self.family.kind)
        answers = tables if as_stored else [without_parts(t) for t in tables]
        if fields is not None:
            # [DOC] `?fields=name` answers the names only. [INFER] a comma-separated list of
            # top-level keys; each table keeps those it has, in the order asked.
            kept = [f.strip() for f in fields.split(",") if f.strip()]
            answers = [{k: t[k] for k in kept if k in t} for t in answers]
        return JSONResponse({self.wrapper: answers})

    async def get_table(self, request: Request) -> Response:
        return JSONResponse(self.structures.answer(self.family, self.table(request)))

    async def create_table(self, request: Request) -> Response:
        entity = entity_of(self.state.store, request)
        body = await read_json(request)
        with answering():
            stored = self.structures.create(entity.name, self.family, body)
        logger.info("%s %r created in entity %r", self.title, stored["name"], entity.name)
        location = str(request.url.replace(path=f"{request.url.path}/{stored['id']}", query=""))
        # [INFER] 201 with the stored definition as the body (the documentation only says 201
        # carries a Location header and "may or may not" have a body).
        return JSONResponse(stored, status_code=201, headers={"Location": location})

    async def change_table(self, request: Request) -> Response:
        # [INFER] the change is applied synchronously and answered 200 with the new definition;
        # the resource name suggests ACTITO may queue change requests.
        entity = entity_of(self.state.store, request)
        stored = self.table(request)
        body = await read_json(request)
        with answering():
            changed = self.structures.change(entity.name, self.family, stored, body)
        logger.info("%s %r changed in entity %r", self.title, stored["name"], entity.name)
        return JSONResponse(changed)

    def table(self, request: Request) -> dict[str, Any]:
        """The table named by the `{table}` path segment: its id, or its name."""
        entity = entity_of(self.state.store, request)
        key = request.path_params["table"]
        table = self.structures.find(entity.name, self.family, key)
        if table is None:
            raise HTTPException(404, f"{self.title} {key!r} not found in entity {entity.name!r}")
        return table


def structure_routes(state: EmulatorState) -> list[BaseRoute]:
    custom = FamilyRoutes(state, CUSTOM, "custom-tables", "customTables", "custom table")
    profile = FamilyRoutes(state, PROFILE, "profile-tables", "profileTables", "profile table")
    return [*custom.routes(CUSTOM_TABLE_PREFIXES), *profile.routes(PROFILE_TABLE_PREFIXES)]
