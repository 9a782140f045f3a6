"""The generic emulated resource: one kind of object under a collection URL, with list, get,
create, update and delete, each write checked by the kind's own rules module.

What ACTITO documents of its protocol is done here once [DOC protocol page, actito-api.md
§1.3b]: POST creates (201, with a `Location` header naming the new object); PUT "usually
replaces the whole resource"; PATCH leaves omitted fields unchanged and clears a field sent as
`null`; DELETE deletes one item. What a create answers, how a list is wrapped and paged and how
ids look differ per resource and are not all documented: they are the resource's settings
(`Resource`), each marked where it is a guess.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from actito_iac.emulator.json_http import read_json
from actito_iac.emulator.problems import RuleError
from actito_iac.emulator.routing import answering, entity_of, method_route
from actito_iac.emulator.state import EmulatorState
from actito_iac.emulator.store import DuplicateName, Store

logger = logging.getLogger(__name__)

MAX_PAGE_SIZE = 100
"""[INFER] A larger `pageSize` is refused, never silently cut (a client would stop early)."""


SeedResolve = Callable[[Store, str, object], object]
"""(store, entity, seeded definition) -> the definition as the API would receive it."""
Deleting = Callable[[Store, str, Mapping[str, Any]], None]
MoreRoutes = Callable[[EmulatorState, "Resource"], list[BaseRoute]]
SeedAfter = Callable[[Store, str, dict[str, Any], Mapping[str, Any]], None]
"""(store, entity, the stored object, the seed-only keys given) -> None."""


class Rules(Protocol):
    """What one kind's rules module provides: the checks a write must pass."""

    def create(self, store: Store, entity: str, body: object) -> dict[str, Any]:
        """The object to store (without id) for a create body; RuleError with every problem."""
        ...

    def replace(
        self, store: Store, entity: str, stored: Mapping[str, Any], body: object
    ) -> dict[str, Any]:
        """The object to store (without id) for a whole new version of `stored`."""
        ...


@dataclass(frozen=True)
class Within:
    """A list read under one object of another kind (`…/table/{table}/scenario`)."""

    param: str
    """The path parameter naming that object, by technical name or id: `table`."""
    kind: str
    """Its store kind: `profileTable`."""
    key: str
    """The property of each stored object holding that object's id (kept out of answers:
    the client must not need it, as ACTITO's answer may not carry it [INFER])."""
    title: str
    """How messages name it: "profile table"."""


@dataclass(frozen=True)
class Resource:
    kind: str
    """The store's kind name (the same word as the client's kind)."""
    title: str
    """How messages name one object: "webhook subscription"."""
    paths: tuple[str, ...]
    """Collection paths, with `{entity}`: the categorised one and the uncategorised one."""
    wrapper: str
    """The property a list answer wraps its items in."""
    rules: Rules
    update: Literal["PUT", "PATCH"]
    ids: Literal["number", "uuid"] = "number"
    """Numeric ids (counted per licence, answered as JSON numbers) or UUID strings."""
    paged: bool = False
    """Lists take `page` (from 0) and `pageSize`, and say `page`, `pageSize`,
    `totalElements`, `totalPages` beside the items."""
    page_size: int = 20
    """The page size when the request names none."""
    create_answer: Literal["id", "object", "none"] = "object"
    """What a 201 carries: `{"id": …}`, the stored object, or no body (Location only)."""
    name_key: str | None = "name"
    """The property holding a name unique in the entity, if the kind has one."""
    seed_key: str = ""
    """The key of seed documents listing objects of this kind (`{entity, definition}` items)."""
    seed_resolve: SeedResolve | None = None
    """Turns names a seed author can know (a table's name) into ids, before the rules run."""
    answer_key: str = "id"
    """The key of a create answer's id (`create_answer="id"`)."""
    conflict: str = ""
    """Non-empty: a name already used answers 409 with this code (else 400)."""
    on_delete: Deleting | None = None
    """Refuses a delete (RuleError, answered 400) or removes what hangs off the object."""
    more_routes: MoreRoutes | None = None
    """Routes of the resource's own, beside the CRUD ones (sub-resources, UI stand-ins)."""
    seed_only: frozenset[str] = frozenset()
    """Keys a seed definition may hold that the API's create does not take (a campaign's
    state): removed before the create, then given to `seed_after` with the stored object."""
    seed_after: SeedAfter | None = None
    api_writes: bool = True
    """False: the API only reads it (ACTITO designs it in its UI); objects come from seeds
    and the UI surface (`/__emulator__/ui/…`)."""
    within: Within | None = None
    """Lists are read under one object of another kind; such a resource has no item route."""
    summary_keys: tuple[str, ...] = ()
    """The keys a list answer gives of each object (summaries; its `get` gives the whole
    object); empty: whole objects."""


class ResourceRoutes:
    """The routes of one resource: `{path}` (GET list, POST) and `{path}/{id}` (GET, PUT or
    PATCH, DELETE), for every path form."""

    def __init__(self, state: EmulatorState, resource: Resource) -> None:
        self.state = state
        self.resource = resource
        self.objects = Objects(state.store, resource)

    def routes(self) -> list[BaseRoute]:
        out: list[BaseRoute] = []
        change = {self.resource.update: self.update}
        for path in self.resource.paths:
            if not self.resource.api_writes:
                out.append(method_route(path, GET=self.list))
                if self.resource.within is None:
                    out.append(method_route(f"{path}/{{id}}", GET=self.get))
                continue
            out.append(method_route(path, GET=self.list, POST=self.create))
            out.append(method_route(f"{path}/{{id}}", GET=self.get, DELETE=self.delete, **change))
        if self.resource.more_routes is not None:
            out += self.resource.more_routes(self.state, self.resource)
        return out

    async def list(self, request: Request) -> Response:
        entity = entity_of(self.state.store, request).name
        items = self.state.store.list_objects(entity, self.resource.kind)
        within = self.resource.within
        if within is not None:
            parent = _parent(self.state.store, entity, within, request.path_params[within.param])
            items = [
                {k: v for k, v in item.items() if k != within.key}
                for item in items
                if str(item.get(within.key)) == str(parent["id"])
            ]
        if self.resource.summary_keys:
            keys = self.resource.summary_keys
            items = [{k: item[k] for k in keys if k in item} for item in items]
        if not self.resource.paged:
            return JSONResponse({self.resource.wrapper: items})
        page, size = _paging(request, self.resource.page_size)
        total = len(items)
        return JSONResponse(
            {
                self.resource.wrapper: items[page * size : (page + 1) * size],
                "page": page,
                "pageSize": size,
                "totalElements": total,
                "totalPages": math.ceil(total / size),
            }
        )

    async def get(self, request: Request) -> Response:
        stored = self._stored(request)
        within = self.resource.within
        return JSONResponse({k: v for k, v in stored.items() if not within or k != within.key})

    async def create(self, request: Request) -> Response:
        entity = entity_of(self.state.store, request).name
        body = await read_json(request)
        with answering(), self._conflicts():
            stored = self.objects.create(entity, body)
        logger.info("%s %s created in entity %r", self.resource.title, stored["id"], entity)
        location = str(request.url.replace(path=f"{request.url.path}/{stored['id']}", query=""))
        headers = {"Location": location}
        if self.resource.create_answer == "none":
            # [INFER] a 201 without a body: ACTITO documents that it "may or may not" carry one.
            return Response(status_code=201, headers=headers)
        if self.resource.create_answer == "id":
            answer = {self.resource.answer_key: stored["id"]}
        else:
            answer = stored
        return JSONResponse(answer, status_code=201, headers=headers)

    @contextmanager
    def _conflicts(self) -> Iterator[None]:
        """A name already used: 409 with the resource's code, where it has one."""
        try:
            yield
        except DuplicateName as exc:
            if not self.resource.conflict:
                raise
            raise HTTPException(409, f"{self.resource.conflict}: {exc}") from None

    async def update(self, request: Request) -> Response:
        body = await read_json(request)
        # Looked up after the body has arrived, with no await until the write: a change made
        # by another request meanwhile is what this one builds on, never lost.
        entity = entity_of(self.state.store, request).name
        stored = self._stored(request)
        if self.resource.update == "PATCH":
            body = patched(stored, body)
        with answering(), self._conflicts():
            changed = self.objects.replace(entity, stored, body)
        logger.info("%s %s changed in entity %r", self.resource.title, stored["id"], entity)
        return JSONResponse(changed)

    async def delete(self, request: Request) -> Response:
        entity = entity_of(self.state.store, request).name
        stored = self._stored(request)
        with self.state.store.transaction(), answering():
            if self.resource.on_delete is not None:
                self.resource.on_delete(self.state.store, entity, stored)
            self.state.store.delete_object(entity, self.resource.kind, str(stored["id"]))
        logger.info("%s %s deleted in entity %r", self.resource.title, stored["id"], entity)
        return Response(status_code=204)  # [DOC] "typically the case with DELETE"

    def _stored(self, request: Request) -> dict[str, Any]:
        entity = entity_of(self.state.store, request).name
        key = request.path_params["id"]
        found = self.state.store.get_object(entity, self.resource.kind, key)
        if found is None:
            raise HTTPException(404, f"{self.resource.title} {key!r} not found in {entity!r}")
        return found


class Objects:
    """The objects of one resource in the store: creates and replacements through its rules.
    Used by the routes and by seeding, so a seeded object obeys the API's rules."""

    def __init__(self, store: Store, resource: Resource) -> None:
        self.store = store
        self.resource = resource

    def create(self, entity: str, body: object) -> dict[str, Any]:
        with self.store.transaction():
            checked = self.resource.rules.create(self.store, entity, body)
            object_id = self._new_id()
            stored = {"id": object_id, **checked}
            self.store.insert_object(
                entity, self.resource.kind, str(object_id), self._name(stored), stored
            )
        return stored

    def replace(self, entity: str, stored: Mapping[str, Any], body: object) -> dict[str, Any]:
        with self.store.transaction():
            checked = self.resource.rules.replace(self.store, entity, stored, body)
            changed = {"id": stored["id"], **checked}
            self.store.replace_object(
                entity, self.resource.kind, str(stored["id"]), self._name(changed), changed
            )
        return changed

    def _new_id(self) -> int | str:
        if self.resource.ids == "uuid":
            return str(uuid.uuid4())
        return self.store.next_number(self.resource.kind)

    def _name(self, stored: Mapping[str, Any]) -> str:
        key = self.resource.name_key
        return str(stored[key]) if key else str(stored["id"])


def _parent(store: Store, entity: str, within: Within, key: str) -> dict[str, Any]:
    """The object a list is read under, by technical name (as ACTITO's URLs take it) or id."""
    found = store.find_object(entity, within.kind, key) or store.get_object(
        entity, within.kind, key
    )
    if found is None:
        raise HTTPException(404, f"{within.title} {key!r} not found in {entity!r}")
    return found


def id_by_name(store: Store, entity: str, kind: str, name: str, missing: str) -> Any:
    """The id of the `kind` object named `name`, which a seed (or a person in the UI) writes
    where the API stores the id; RuleError saying `missing` when the entity holds none."""
    found = store.find_object(entity, kind, name)
    if found is None:
        raise RuleError([missing])
    return found["id"]


def patched(stored: Mapping[str, Any], body: object) -> object:
    """A PATCH body over the stored object [DOC]: omitted fields are kept, `null` clears."""
    if not isinstance(body, Mapping):
        return body  # the rules refuse it with their own message
    out = {k: v for k, v in stored.items() if k != "id"}
    for key, value in body.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def _paging(request: Request, default: int) -> tuple[int, int]:
    try:
        page = int(request.query_params.get("page", "0"))
        size = int(request.query_params.get("pageSize", str(default)))
    except ValueError:
        raise HTTPException(400, "page and pageSize must be whole numbers") from None
    if page < 0 or not 1 <= size <= MAX_PAGE_SIZE:
        raise HTTPException(400, f"page must be ≥ 0 and pageSize between 1 and {MAX_PAGE_SIZE}")
    return page, size
