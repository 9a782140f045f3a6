"""What both table families share: the v5 structure endpoints and the attribute change rules.

Profile tables and custom tables are read, created and changed the same way (list under a
named property, `POST` to create, `POST …/{id}/change-requests` to change), and their
attributes follow the same documented list of possible modifications.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote, unquote, urlsplit

from actito_iac.api.errors import NotFound, UnexpectedResponse
from actito_iac.kinds.base import JSON, Path, Risk, SpecModel, Verdict
from actito_iac.kinds.common import DISPLAY_TEXTS
from actito_iac.kinds.listing import whole_list

if TYPE_CHECKING:
    from actito_iac.api.client import ActitoClient

NEW_ATTRIBUTE = "add a new attribute, migrate the values, then remove the old attribute"
IMMUTABLE_FIELDS = frozenset({"type", "valueType", "multiValued"})


class StructureEndpoints:
    """`/<category>/v5/entities/{e}/<resource>`: list, create, change request; and what else
    both table kinds share: display texts managed only where declared, attribute renames."""

    category: ClassVar[str]
    resource: ClassVar[str]
    list_key: ClassVar[str]
    declared_only: ClassVar[frozenset[str]] = DISPLAY_TEXTS
    live_optional: ClassVar[frozenset[str]] = frozenset()

    def refuse_create(self, spec: SpecModel) -> str:
        return ""

    def renames(self, spec: SpecModel) -> list[tuple[Path, Path]]:
        return attribute_renames(getattr(spec, "attributes", []))

    def base(self, entity: str) -> str:
        return f"/{self.category}/v5/entities/{quote(entity, safe='')}/{self.resource}"

    def identify(self, payload: Mapping[str, JSON]) -> tuple[str, str]:
        return str(payload["id"]), str(payload["name"])

    async def fetch(self, client: ActitoClient, entity: str) -> list[dict[str, JSON]]:
        path = self.base(entity)
        return whole_list(await client.get(path), self.list_key, path=path)

    async def read(
        self, client: ActitoClient, entity: str, object_id: str
    ) -> dict[str, JSON] | None:
        path = f"{self.base(entity)}/{quote(object_id, safe='')}"
        try:
            answer = await client.get(path)
        except NotFound:
            return None
        if not isinstance(answer, dict):
            raise UnexpectedResponse("GET", path, 200, "the answer is not a table definition")
        return answer

    async def create(self, client: ActitoClient, entity: str, body: dict[str, JSON]) -> str:
        path = self.base(entity)
        created, location = await client.create(path, json=body)
        return created_id(created, location, "POST", path)

    async def update(
        self, client: ActitoClient, entity: str, object_id: str, body: dict[str, JSON]
    ) -> None:
        path = f"{self.base(entity)}/{quote(object_id, safe='')}/change-requests"
        await client.post(path, json=body)


def created_id(body: object, location: str | None, method: str, path: str) -> str:
    """The id of a created object: `id` in the answer [INFER], else the last segment of the
    `Location` header, which names the new resource when a 201 has no body [DOC]."""
    if isinstance(body, dict) and body.get("id") not in (None, ""):
        return str(body["id"])
    if location:
        segment = urlsplit(location).path.rstrip("/").rsplit("/", 1)[-1]
        if segment:
            return unquote(segment)
    raise UnexpectedResponse(
        method, path, 201, "the answer names no id of the new object (no id, no Location header)"
    )


def attribute_renames(attributes: Sequence[Any]) -> list[tuple[Path, Path]]:
    """Rename intents (`renamedFrom`) as (new path, old path) in canonical form."""
    return [
        (("attributes", a.name), ("attributes", a.renamedFrom)) for a in attributes if a.renamedFrom
    ]


def judge_attribute_field(name: str, field: str, before: JSON, after: JSON) -> Verdict:
    """One field of an existing attribute, by ACTITO's list of possible modifications."""
    if field in IMMUTABLE_FIELDS:
        why = f"the {field} of attribute {name!r} cannot be changed; {NEW_ATTRIBUTE}"
        return Verdict(Risk.SAFE, why)
    if field in ("mandatory", "unique"):
        return Verdict(Risk.MAY_FAIL_ON_DATA if after else Risk.SAFE)
    if field == "acceptedValues":
        if before is None:
            return Verdict(Risk.MAY_FAIL_ON_DATA)
        if after is not None and set(before) <= set(after):
            return Verdict(Risk.SAFE)
        # [INFER] ACTITO lists only "adding accepted values" among possible modifications.
        return Verdict(
            Risk.SAFE, "accepted values can only be added, not removed; " + NEW_ATTRIBUTE
        )
    if field in ("minLength", "maxLength"):
        # [INFER] not in ACTITO's list of possible modifications.
        return Verdict(
            Risk.SAFE, f"{field} of attribute {name!r} cannot be changed; {NEW_ATTRIBUTE}"
        )
    return Verdict(Risk.SAFE)  # indexed, display texts


def judge_added_or_removed(before: JSON, after: JSON) -> Verdict:
    if before is None:
        return Verdict(Risk.MAY_FAIL_ON_DATA if after.get("mandatory") else Risk.SAFE)
    return Verdict(Risk.DESTRUCTIVE)  # removing an attribute drops its values
