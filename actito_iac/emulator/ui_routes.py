"""What the ACTITO UI does and the API cannot: edit a profile table's subscriptions and
segmentations. Emulator-only, under the admin prefix, so that a plan's manual steps can be
carried out against the emulator the way a user carries them out in ACTITO's UI.

`PUT /__emulator__/ui/entities/{entity}/profile-tables/{table}` with
`{"subscriptions": [...], "segmentations": [...]}` replaces either list (a key left out is kept),
checked with the same shape rules as a create.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from actito_iac.emulator.attribute_rules import RuleError
from actito_iac.emulator.gate import ADMIN_PREFIX
from actito_iac.emulator.json_http import read_json
from actito_iac.emulator.profile_parts import segmentations, subscriptions
from actito_iac.emulator.store import Store


class UiRoutes:
    def __init__(self, store: Store) -> None:
        self.store = store

    def routes(self) -> list[BaseRoute]:
        path = f"{ADMIN_PREFIX}ui/entities/{{entity}}/profile-tables/{{table}}"
        return [Route(path, self.edit_parts, methods=["PUT"])]

    async def edit_parts(self, request: Request) -> Response:
        entity, key = request.path_params["entity"], request.path_params["table"]
        table = self.store.get_profile_table(entity, key) or self.store.find_profile_table(
            entity, key
        )
        if table is None:
            raise HTTPException(404, f"no profile table {key!r} in entity {entity!r}")
        body = await read_json(request)
        if not isinstance(body, dict):
            raise HTTPException(400, "the body must be a JSON object")
        problems: list[str] = []
        changed = dict(table)
        if "subscriptions" in body:
            changed["subscriptions"] = subscriptions(body["subscriptions"], problems.append)
            if not any(s["channel"] == "EMAIL" for s in changed["subscriptions"]):
                problems.append("at least one EMAIL subscription")  # [DOC]
        if "segmentations" in body:
            changed["segmentations"] = segmentations(body["segmentations"], problems.append)
        if problems:
            raise HTTPException(400, str(RuleError(problems)))
        return JSONResponse(self.store.replace_profile_table(entity, table["id"], changed))
