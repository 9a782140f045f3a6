"""Data routes: profiles of profile tables, records of custom tables (docs/api.md, "Data").

`{table}` is the table's name or id. Lists answer at most `number` rows, in insertion order,
so a reader that gets fewer than it asked for knows it has seen the whole table.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from actito_iac.emulator.data.profiles import Profiles
from actito_iac.emulator.data.records import Records
from actito_iac.emulator.json_http import read_json
from actito_iac.emulator.routing import answering, entity_of, method_route
from actito_iac.emulator.state import EmulatorState
from actito_iac.emulator.structures.tables import CUSTOM, PROFILE, Family, Structures

# The uncategorised forms are the documented ones; [INFER] the `/profiles/` category for both
# profile URL families (documented for v4 only) and `/custom-data/` for records [DOC].
PROFILE_V4_PREFIXES = ("/profiles/v4", "/v4")
PROFILE_V5_PREFIXES = ("/profiles/v5", "/v5")
RECORD_PREFIXES = ("/custom-data/v4", "/v4")

DEFAULT_NUMBER = 100  # [INFER] the page size when `number` is absent
MAX_NUMBER = 10_000  # [INFER] a larger `number` is refused, never silently cut


class DataRoutes:
    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self.structures = Structures(state.store)
        self.profiles = Profiles(state.store)
        self.records = Records(state.store)

    def routes(self) -> list[BaseRoute]:
        routes: list[BaseRoute] = []
        for prefix in PROFILE_V4_PREFIXES:
            base = f"{prefix}/entity/{{entity}}/table/{{table}}/profile"
            routes += [
                method_route(base, POST=self.write_profile),
                method_route(f"{base}/{{key}}", GET=self.get_profile),
            ]
        for prefix in PROFILE_V5_PREFIXES:
            path = f"{prefix}/entities/{{entity}}/profile-tables/{{table}}/profiles"
            routes.append(method_route(path, GET=self.list_profiles))
        for prefix in RECORD_PREFIXES:
            base = f"{prefix}/entity/{{entity}}/customTable/{{table}}/record"
            routes += [
                method_route(base, GET=self.list_records, POST=self.write_record),
                method_route(
                    f"{base}/{{key}}",
                    GET=self.get_record,
                    PUT=self.update_record,
                    DELETE=self.delete_record,
                ),
            ]
        return routes

    # -- profiles -------------------------------------------------------------------------------

    async def write_profile(self, request: Request) -> Response:
        entity, table = self._table(request, PROFILE)
        body = await read_json(request)
        # [INFER] only the query parameter counts (one public client sends it as a header).
        allow_update = request.query_params.get("allowUpdate", "").lower() == "true"
        with answering():
            profile_id, _ = self.profiles.upsert(entity, table, body, allow_update=allow_update)
        return JSONResponse({"profileId": profile_id})

    async def get_profile(self, request: Request) -> Response:
        entity, table = self._table(request, PROFILE)
        with answering():
            return JSONResponse(self.profiles.get(entity, table, request.path_params["key"]))

    async def list_profiles(self, request: Request) -> Response:
        entity, table = self._table(request, PROFILE)
        number = page_size(request)
        return JSONResponse({"profiles": self.profiles.page(entity, table, number)})

    # -- records --------------------------------------------------------------------------------

    async def write_record(self, request: Request) -> Response:
        entity, table = self._table(request, CUSTOM)
        body = await read_json(request)
        with answering():
            key, _ = self.records.upsert(entity, table, body)
        # [INFER] the business key as a string, whatever the primary key's value type.
        return JSONResponse({"businessKey": key})

    async def get_record(self, request: Request) -> Response:
        entity, table = self._table(request, CUSTOM)
        with answering():
            return JSONResponse(self.records.get(entity, table, request.path_params["key"]))

    async def update_record(self, request: Request) -> Response:
        """Partial update of one record: only the listed properties change [CODE]."""
        entity, table = self._table(request, CUSTOM)
        key = request.path_params["key"]
        body = await read_json(request)
        with answering():
            self.records.update(entity, table, key, body)
        return JSONResponse({"businessKey": key})  # [INFER] the answer's body, as for a write

    async def list_records(self, request: Request) -> Response:
        entity, table = self._table(request, CUSTOM)
        number = page_size(request)
        field = request.query_params.get("searchField")
        value = request.query_params.get("searchValue")
        if (field is None) != (value is None):
            raise HTTPException(400, "searchField and searchValue go together")  # [INFER]
        search = None if field is None or value is None else (field, value)
        with answering():
            records = self.records.page(entity, table, number, search)
        return JSONResponse({"records": records})

    async def delete_record(self, request: Request) -> Response:
        entity, table = self._table(request, CUSTOM)
        key = request.path_params["key"]
        with answering():
            self.records.delete(entity, table, key)
        return JSONResponse({"businessKey": key})  # [INFER] the answer's body

    def _table(self, request: Request, family: Family) -> tuple[str, dict[str, Any]]:
        entity = entity_of(self.state.store, request).name
        key = request.path_params["table"]
        table = self.structures.find(entity, family, key)
        if table is None:
            title = "profile table" if family is PROFILE else "custom table"
            raise HTTPException(404, f"{title} {key!r} not found in entity {entity!r}")
        return entity, table


def page_size(request: Request) -> int:
    raw = request.query_params.get("number")
    if raw is None:
        return DEFAULT_NUMBER
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_NUMBER:
        raise HTTPException(400, f"number must be a whole number from 1 to {MAX_NUMBER}")
    return number
