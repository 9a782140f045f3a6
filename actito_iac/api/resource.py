"""The generic executor of a kind's endpoints (kinds/endpoints.py): list, get, create, update,
delete, the parts of an object, and the data rows of a table.

Every kind is read and written through here, so what ACTITO documents about its answers is
honoured once: lists are read whole or the read fails (paged ones to the last page), a created
object's id comes from the answer's body or, for a 201 without one, from its `Location`
header [DOC], and an object that is gone answers None instead of failing a re-read.

An object with parts (an e-mail campaign's subject and content) is read as one payload: its
own answer, and each part's under the part's key — so what the plan compares, and what apply
re-reads to see whether it changed since the plan, is the whole object.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from actito_iac import archive
from actito_iac.api.answer import last_answer, reading
from actito_iac.api.client import Upload
from actito_iac.api.errors import NotFound, UnexpectedResponse
from actito_iac.api.listing import listed, read_page, says_more, whole_list
from actito_iac.kinds.endpoints import (
    Endpoints,
    Paging,
    Part,
    PartBody,
    PartFormat,
    RowsEndpoint,
    UpdateMethod,
    UrlForm,
)
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

    async def list_all(self, entity: str, within: str = "") -> list[dict[str, JSON]]:
        """Every item of the list (under the object named `within`, for a list read per
        object of another kind)."""
        path = self.endpoints.collection(entity, self.form, within)
        if self.endpoints.paging is Paging.PAGES:
            found = await self._pages(path)
        else:
            found = whole_list(await self.client.get(path), self.endpoints.list_key, path=path)
        if not (self.endpoints.detail or self.endpoints.parts):
            return found
        answered = last_answer()
        ids = []
        for index, item in enumerate(found, start=1):
            with reading(answered, f"item {index} of the list"):
                ids.append(str(item[self.endpoints.id_key]))
        pairs = zip(ids, found, strict=True)
        whole = await asyncio.gather(*(self._whole(entity, i, item) for i, item in pairs))
        # One deleted between the list and its own read is gone: not listed.
        return [item for item in whole if item is not None]

    async def _whole(
        self, entity: str, object_id: str, summary: dict[str, JSON]
    ) -> dict[str, JSON] | None:
        if self.endpoints.detail:
            return await self.get(entity, object_id)
        return await self._with_parts(entity, object_id, summary)

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
            keys = {_item_key(item, self.endpoints.id_key) for item in page.items}
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

    async def get(self, entity: str, object_id: str) -> dict[str, JSON] | None:
        """The object as it is now; None when it no longer exists. A kind without a GET of
        its own is found in its list, unless that list is one of many (read per object of
        another kind): then it cannot be read alone."""
        key = self.endpoints.id_key
        if not self.endpoints.get:
            if self.endpoints.within is not None:
                raise UnexpectedResponse(
                    "GET", self.endpoints.collection(entity), None, "this kind cannot be read alone"
                )
            found = [o for o in await self.list_all(entity) if str(o.get(key)) == object_id]
            return found[0] if found else None
        path = self.endpoints.item(entity, object_id, self.form)
        try:
            answer = await self.client.get(path)
        except NotFound:
            return None
        if not isinstance(answer, dict):
            raise UnexpectedResponse("GET", path, 200, "the answer is not a JSON object")
        return await self._with_parts(entity, object_id, answer)

    async def _with_parts(
        self, entity: str, object_id: str, answer: dict[str, JSON]
    ) -> dict[str, JSON] | None:
        """The object's answer with each part's under its key (None: not set yet)."""
        if not self.endpoints.parts:
            return answer
        item = self.endpoints.item(entity, object_id, self.form)
        parts = await asyncio.gather(*(self._read_part(item, p) for p in self.endpoints.parts))
        whole = {k: v for k, v in answer.items() if k not in self.endpoints.part_keys}
        whole.update({p.key: value for p, value in zip(self.endpoints.parts, parts, strict=True)})
        return whole

    async def _read_part(self, item: str, part: Part) -> JSON:
        path = part.url(item)
        try:
            if part.format is PartFormat.ARCHIVE:
                data = await self.client.download(path)
                with reading(last_answer(), "the files of the answer"):
                    return archive.to_payload(archive.unpack(data))
            return await self.client.get(path)
        except NotFound:
            return None  # [INFER] a part not set yet (no subject, no content) answers 404

    async def write_part(
        self, entity: str, object_id: str, part: Part, body: PartBody
    ) -> None:
        path = part.url(self.endpoints.item(entity, object_id, self.form))
        if part.format is PartFormat.ARCHIVE:
            data = archive.pack(body.files or {})
            upload = Upload(part.upload_field, "content.zip", data)
            await self.client.upload(path, upload, method=part.write, params=body.params)
        else:
            await self.client.send_json(part.write, path, json=body.json, params=body.params)

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


def _item_key(item: Any, id_key: str) -> str:
    """What tells two listed items apart: the id, else the whole item."""
    if isinstance(item, dict) and id_key in item:
        return f"id:{item[id_key]}"
    return repr(item)
