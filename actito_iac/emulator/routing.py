"""What every route module shares: one route per path, the entity of a URL, and how the
services' errors become HTTP answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from actito_iac.emulator.problems import NotFound, RuleError
from actito_iac.emulator.store import DuplicateName, Entity, Store

Endpoint = Callable[[Request], Awaitable[Response]]


def method_route(path: str, **by_method: Endpoint) -> Route:
    """One route per path, dispatching on the method, so a 405 lists every allowed method
    (Starlette builds `Allow` from the first route whose path matches)."""

    async def endpoint(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await by_method[method](request)

    return Route(path, endpoint, methods=list(by_method))


def entity_of(store: Store, request: Request) -> Entity:
    """The `{entity}` of the URL (a name); 404 when the licence has none by that name."""
    name = request.path_params["entity"]
    entity = store.get_entity(name)
    if entity is None:
        raise HTTPException(404, f"entity {name!r} not found")
    return entity


@contextmanager
def answering() -> Iterator[None]:
    """Broken rules → 400, unknown rows → 404, each with the service's message."""
    try:
        yield
    except (RuleError, DuplicateName) as exc:
        raise HTTPException(400, str(exc)) from None
    except NotFound as exc:
        raise HTTPException(404, exc.message) from None
