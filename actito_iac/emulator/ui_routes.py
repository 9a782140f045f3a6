"""What a person does in the ACTITO UI, for the tests and demos: edit a profile table's
subscriptions and segmentations (the API cannot), and add an attribute to a table while a plan
waits to be applied. Emulator-only, under the admin prefix.

`PUT /__emulator__/ui/entities/{entity}/profile-tables/{table}` with
`{"subscriptions": [...], "segmentations": [...]}` replaces either list (a key left out is kept),
checked with the same shape rules as a create.

`POST /__emulator__/ui/entities/{entity}/{profile-tables|custom-tables}/{table}/attributes`
with one attribute definition adds it, under the same rules as a change request.

For each resource only ACTITO's UI can make (`api_writes=False`: scenarios, forms),
`PUT /__emulator__/ui/entities/{entity}/{seed key}/{name}` designs the object as a person would:
the body is a definition as a seed gives it (tables by name), created when no object has that
name, else replacing it under the resource's rules (an activated scenario cannot be modified);
`DELETE` on the same path deletes it.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from actito_iac.emulator.gate import ADMIN_PREFIX
from actito_iac.emulator.json_http import read_json
from actito_iac.emulator.problems import RuleError
from actito_iac.emulator.resources.crud import Objects, Resource
from actito_iac.emulator.routing import answering, entity_of, method_route
from actito_iac.emulator.store import Store
from actito_iac.emulator.structures.profile_parts import segmentations, subscriptions
from actito_iac.emulator.structures.tables import CUSTOM, PROFILE, Structures

_FAMILIES = {"profile-tables": PROFILE, "custom-tables": CUSTOM}


class UiRoutes:
    def __init__(self, store: Store, resources: Sequence[Resource] = ()) -> None:
        self.store = store
        self.designed = {r.seed_key: r for r in resources if not r.api_writes}
        """The resources only the UI makes, by the name their seeds use."""

    def routes(self) -> list[BaseRoute]:
        path = f"{ADMIN_PREFIX}ui/entities/{{entity}}/profile-tables/{{table}}"
        return [
            Route(path, self.edit_parts, methods=["PUT"]),
            Route(
                f"{ADMIN_PREFIX}ui/entities/{{entity}}/{{family}}/{{table}}/attributes",
                self.add_attribute,
                methods=["POST"],
            ),
            method_route(
                f"{ADMIN_PREFIX}ui/entities/{{entity}}/{{resource}}/{{name}}",
                PUT=self.design,
                DELETE=self.remove,
            ),
        ]

    async def design(self, request: Request) -> Response:
        resource, entity, name = self._designed(request)
        definition = await read_json(request)
        if not isinstance(definition, dict):
            raise HTTPException(400, "the body must be a JSON object")
        definition = {**definition, "name": name}
        if resource.seed_resolve is not None:
            definition = resource.seed_resolve(self.store, entity, definition)
        objects = Objects(self.store, resource)
        stored = self.store.find_object(entity, resource.kind, name)
        with answering():
            if stored is None:
                return JSONResponse(objects.create(entity, definition), status_code=201)
            return JSONResponse(objects.replace(entity, stored, definition))

    async def remove(self, request: Request) -> Response:
        resource, entity, name = self._designed(request)
        stored = self.store.find_object(entity, resource.kind, name)
        if stored is None:
            raise HTTPException(404, f"no {resource.title} {name!r} in entity {entity!r}")
        self.store.delete_object(entity, resource.kind, str(stored["id"]))
        return Response(status_code=204)

    def _designed(self, request: Request) -> tuple[Resource, str, str]:
        key = request.path_params["resource"]
        resource = self.designed.get(key)
        if resource is None:
            known = ", ".join(sorted(self.designed))
            raise HTTPException(404, f"no UI-only resource {key!r} (those: {known})")
        entity = entity_of(self.store, request).name
        return resource, entity, request.path_params["name"]

    async def add_attribute(self, request: Request) -> Response:
        entity, key = request.path_params["entity"], request.path_params["table"]
        family = _FAMILIES.get(request.path_params["family"])
        if family is None:
            raise HTTPException(404, f"no table family {request.path_params['family']!r}")
        structures = Structures(self.store)
        table = structures.find(entity, family, key)
        if table is None:
            raise HTTPException(404, f"no {family.label} {key!r} in entity {entity!r}")
        attribute = await read_json(request)
        changed = {k: v for k, v in table.items() if k != "id"}
        changed["attributes"] = [*table["attributes"], attribute]
        with answering():
            return JSONResponse(structures.change(entity, family, table, changed))

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
