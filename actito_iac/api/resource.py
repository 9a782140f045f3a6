"""The generic executor of a kind's endpoints (kinds/endpoints.py): list, get, create, update,
delete, and the data rows of a table.

Every kind is read and written through here, so what ACTITO documents about its answers is
honoured once: lists are read whole or the read fails (paged ones to the last page), a created
object's id comes from the answer's body or, for a 201 without one, from its `Location`
header [DOC], and an object that is gone answers None instead of failing a re-read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from actito_iac.api.errors import NotFound, UnexpectedResponse
from actito_iac.api.listing import listed, read_page, says_more, whole_list
from actito_iac.kinds.endpoints import Endpoints, Paging, RowsEndpoint, UpdateMethod, UrlForm
from actito_iac.kinds.rows import RowShapeError, row_values
from actito_iac.vocabulary import JSON

if TYPE_CHECKING:
    from actito_iac.api.client import ActitoClient

MAX_PAGES = 10_000
"""A paged list longer than this is refused: a server that ignores `page` would never end."""


class Resource:
    """One kind's endpoints on one client. `form` chooses the URL form (categorised by default)."""

    def __init__(
        self, client: ActitoClient, endpoints: Endpoints, form: UrlForm = UrlForm.CATEGORISED
    ) -> None:
        self.client = client
        self.endpoints = endpoints
        self.form = form

    async def list_all(self, entity: str) -> list[dict[str, JSON]]:
        path = self.endpoints.collection(entity, self.form)
        if self.endpoints.paging is Paging.PAGES:
            return await self._pages(path)
        return whole_list(await self.client.get(path), self.endpoints.list_key, path=path)

    async def _pages(self, path: str) -> list[dict[str, JSON]]:
        """Every page, from 0, until an empty page, a short page of a stated size, or the
        stated total; a page that repeats an earlier one fails (the server ignores `page`)."""
        items: list[dict[str, JSON]] = []
        seen: set[str] = set()
        total: int | None = None
        for number in range(MAX_PAGES):
            answer = await self.client.get(path, params=self.endpoints.page_params(number))
            page = read_page(answer, self.endpoints.list_key, number, path=path)
            total = page.total if page.total is not None else total
            keys = {_item_key(item) for item in page.items}
            if keys & seen:
                raise UnexpectedResponse(
                    "GET", path, 200, f"page {number} repeats items of an earlier page"
                )
            seen |= keys
            items += page.items
            short = page.size is not None and len(page.items) < page.size
            if not page.items or short or (total is not None and len(items) >= total):
                break
        else:
            raise UnexpectedResponse("GET", path, 200, f"more than {MAX_PAGES} pages")
        if total is not None and len(items) != total:
            raise UnexpectedResponse(
                "GET", path, 200, f"read {len(items)} item(s) of the {total} the answer announced"
            )
        return items

    async def get(self, entity: str, object_id: str, id_key: str = "id") -> dict[str, JSON] | None:
        """The object as it is now; None when it no longer exists."""
        if not self.endpoints.get:
            found = [o for o in await self.list_all(entity) if str(o.get(id_key)) == object_id]
            return found[0] if found else None
        path = self.endpoints.item(entity, object_id, self.form)
        try:
            answer = await self.client.get(path)
        except NotFound:
            return None
        if not isinstance(answer, dict):
            raise UnexpectedResponse("GET", path, 200, "the answer is not a JSON object")
        return answer

    async def create(self, entity: str, body: dict[str, JSON]) -> str:
        """POST the new object; its id."""
        path = self.endpoints.collection(entity, self.form)
        created, location = await self.client.create(path, json=body)
        return created_id(created, location, self.endpoints.created_id_key, path)

    async def update(self, entity: str, object_id: str, body: dict[str, JSON]) -> None:
        method = self.endpoints.update
        path = self.endpoints.update_path(entity, object_id, self.form)
        if method is UpdateMethod.PUT:
            await self.client.put(path, json=body)
        elif method is UpdateMethod.PATCH:
            await self.client.patch(path, json=body)
        elif method is UpdateMethod.CHANGE_REQUEST:
            await self.client.post(path, json=body)
        else:
            raise UnexpectedResponse("PUT", path, None, "this kind cannot be changed by API")

    async def delete(self, entity: str, object_id: str) -> None:
        path = self.endpoints.item(entity, object_id, self.form)
        if not self.endpoints.delete:
            raise UnexpectedResponse("DELETE", path, None, "this kind cannot be deleted by API")
        await self.client.delete(path)


async def read_rows(
    client: ActitoClient,
    rows: RowsEndpoint,
    entity: str,
    object_id: str,
    name: str,
    limit: int,
) -> tuple[list[dict[str, JSON]], bool]:
    """At most `limit` rows of a table as {attribute: value}, and whether the answer says
    more exist. A row in a shape that cannot be read fails the whole read (UnexpectedResponse):
    the plan then says "unknown", never "empty"."""
    path = rows.url(entity, object_id, name)
    answer = await client.get(path, params={rows.limit_param: str(limit)})
    items = listed(answer, rows.list_key, path=path)
    try:
        values = [row_values(item, rows.values_key) for item in items]
    except RowShapeError as unreadable:
        raise UnexpectedResponse(
            "GET", path, 200, f"rows in an unknown shape: {unreadable}"
        ) from None
    return values, says_more(answer, len(items))


def created_id(body: object, location: str | None, key: str, path: str) -> str:
    """The id of a created object: `key` in the answer, else the last segment of the
    `Location` header, which names the new resource when a 201 has no body [DOC]."""
    if isinstance(body, dict) and body.get(key) not in (None, ""):
        return str(body[key])
    if location:
        segment = urlsplit(location).path.rstrip("/").rsplit("/", 1)[-1]
        if segment:
            return unquote(segment)
    raise UnexpectedResponse(
        "POST", path, 201, "the answer names no id of the new object (no id, no Location header)"
    )


def _item_key(item: Any) -> str:
    """What tells two listed items apart: the id, else the whole item."""
    if isinstance(item, dict) and "id" in item:
        return f"id:{item['id']}"
    return repr(item)
