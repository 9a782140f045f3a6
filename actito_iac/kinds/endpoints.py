"""A kind's API as data: where its objects are listed, read, created, changed and deleted.

`actito_iac/api/resource.py` executes these; a kind module holds no HTTP code. ACTITO's URLs
come in two forms (actito-api.md §0): categorised (`/<category>/v5/entities/{e}/…`, current)
and uncategorised (`/v5/entities/{e}/…`, announced as retired but still used by public
clients). Both are derived from the same data; the categorised one is preferred.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal
from urllib.parse import quote

LISTED_UNDER = "@listedUnder"
"""Where the reader records, in each item of a list read under another object (`within`), that
object's technical name: the answer itself may not say it. The `@` keeps it apart from any key
ACTITO sends."""


class UrlForm(StrEnum):
    CATEGORISED = "categorised"
    LEGACY = "uncategorised"


class UpdateMethod(StrEnum):
    """How an existing object is changed (ACTITO's protocol page, actito-api.md §1.3b)."""

    PUT = "PUT"
    """`PUT {item}` with the whole object; it "usually replaces the whole resource"."""
    PATCH = "PATCH"
    """`PATCH {item}`: omitted fields are left unchanged, a field sent as `null` is cleared."""
    CHANGE_REQUEST = "POST change-requests"
    """`POST {item}/change-requests` with the whole desired definition (table structures)."""


class PartFormat(StrEnum):
    JSON = "json"
    """A JSON document, read with GET and written with a JSON body."""
    ARCHIVE = "zip"
    """Files: written as a zip archive in one multipart part, read back as a zip (or as the
    one file the answer holds)."""


@dataclass(frozen=True)
class Part:
    """A piece of an object that lives on its own path under the object's URL and is read
    and written by its own calls (an e-mail campaign's subject, its content).

    Its answer sits in the object's payload under `key`, which is also the top-level key of
    the kind's canonical form it holds: a plan that changes only that key writes only this
    part. A part that is not set yet answers 404: read as None (nothing there yet).
    """

    key: str
    path: str
    write: Literal["PUT", "POST"] = "PUT"
    format: PartFormat = PartFormat.JSON
    upload_field: str = "inputFile"
    """ARCHIVE only: the multipart part holding the zip."""

    def url(self, item: str) -> str:
        return f"{item}/{self.path}"


@dataclass(frozen=True)
class PartBody:
    """What a kind writes to one part: a JSON body, or files (an ARCHIVE part), with the
    query parameters of the write (`charset=utf8`)."""

    json: Any = None
    files: Mapping[str, bytes] | None = None
    params: Mapping[str, str] = field(default_factory=dict)


class Paging(StrEnum):
    NONE = "none"
    """One answer holds the whole list; an answer that says more exist fails the read."""
    PAGES = "page"
    """`?page=0,1,…&pageSize=N` (first page 0), read to the end or the read fails."""


@dataclass(frozen=True)
class Endpoints:
    """The REST resource of one kind, under `/<category>/<version>/<entity part>/<resource>`.

    `list_key` is the property an answer wraps its list in. A created object's id is read
    from `created_id_key` in the answer's body, else from the `Location` header (a 201 "may
    or may not" carry a body [DOC]). `update`/`delete` None: the API cannot do it.

    `detail`: the list gives summaries only, so each listed object (its `id_key`) is read
    whole with `GET {item}`. `parts`: pieces read and written on their own paths (`Part`);
    a create writes them after the object, in this order.
    """

    category: str
    version: Literal["v4", "v5"]
    resource: str
    list_key: str
    paging: Paging = Paging.NONE
    page_size: int = 100
    get: bool = True
    update: UpdateMethod | None = None
    delete: bool = False
    created_id_key: str = "id"
    id_key: str = "id"
    detail: bool = False
    parts: tuple[Part, ...] = ()
    within: str | None = None
    """The kind whose objects the list is read under, one call each (ACTITO lists scenarios
    per profile table): `resource` then holds `{within}`, replaced by that object's technical
    name, and the reader records the name in each item under LISTED_UNDER."""

    @property
    def part_keys(self) -> frozenset[str]:
        return frozenset(p.key for p in self.parts)

    def collection(self, entity: str, form: UrlForm = UrlForm.CATEGORISED, within: str = "") -> str:
        # v4 spells the entity part singular (`entity/{e}`), v5 plural (`entities/{e}`) [DOC].
        scope = "entity" if self.version == "v4" else "entities"
        prefix = f"/{self.category}" if form is UrlForm.CATEGORISED else ""
        resource = self.resource
        if self.within is not None:
            resource = resource.format(within=quote(within, safe=""))
        return f"{prefix}/{self.version}/{scope}/{quote(entity, safe='')}/{resource}"

    def item(self, entity: str, object_id: str, form: UrlForm = UrlForm.CATEGORISED) -> str:
        return f"{self.collection(entity, form)}/{quote(object_id, safe='')}"

    def update_path(self, entity: str, object_id: str, form: UrlForm = UrlForm.CATEGORISED) -> str:
        item = self.item(entity, object_id, form)
        return f"{item}/change-requests" if self.update is UpdateMethod.CHANGE_REQUEST else item

    def page_params(self, page: int) -> dict[str, str]:
        return {"page": str(page), "pageSize": str(self.page_size)}


@dataclass(frozen=True)
class RowsEndpoint:
    """Where a table's data rows are listed, to size a risky change (table kinds only).

    `path` is a template with `{entity}`, `{id}` and `{name}` (the table's server id and
    technical name), `limit_param` the query parameter bounding the answer, `list_key` its
    wrapper and `values_key` the property of a row holding its values.
    """

    path: str
    list_key: str
    values_key: str
    limit_param: str = "number"

    def url(self, entity: str, object_id: str, name: str) -> str:
        values: Mapping[str, str] = {
            "entity": quote(entity, safe=""),
            "id": quote(object_id, safe=""),
            "name": quote(name, safe=""),
        }
        return self.path.format_map(values)
