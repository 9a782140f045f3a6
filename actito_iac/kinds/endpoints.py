"""A kind's API as data: where its objects are listed, read, created, changed and deleted.

`actito_iac/api/resource.py` executes these; a kind module holds no HTTP code. ACTITO's URLs
come in two forms (actito-api.md §0): categorised (`/<category>/v5/entities/{e}/…`, current)
and uncategorised (`/v5/entities/{e}/…`, announced as retired but still used by public
clients). Both are derived from the same data; the categorised one is preferred.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal
from urllib.parse import quote


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

    def collection(self, entity: str, form: UrlForm = UrlForm.CATEGORISED) -> str:
        # v4 spells the entity part singular (`entity/{e}`), v5 plural (`entities/{e}`) [DOC].
        scope = "entity" if self.version == "v4" else "entities"
        prefix = f"/{self.category}" if form is UrlForm.CATEGORISED else ""
        return f"{prefix}/{self.version}/{scope}/{quote(entity, safe='')}/{self.resource}"

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
