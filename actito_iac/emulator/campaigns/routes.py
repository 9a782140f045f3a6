"""A campaign's parts — subject, content, SMS texts — and the UI's activate and send buttons.

API [CODE, by the newest version of a public client]: `GET`/`PUT {campaign}/content/subject`
with `{"subject"}`; `POST {campaign}/content/body?charset=utf8`, a zip in the multipart part
`inputFile`, both answering `{"campaignId"}`. [INFER]: `GET {campaign}/content/body` answers
the zip last uploaded, byte for byte (what ACTITO gives back is not known: the client compares
the HTML after normalising it, so a real answer that differs only in line ends still matches);
a part never set answers 404; an SMS campaign's texts live at `{campaign}/content`.

Stand-in for the UI (emulator only, under the admin prefix), so that the rules on campaigns
that are no longer in definition can be exercised: `POST /__emulator__/ui/entities/{entity}/
{email-campaigns|sms-campaigns}/{campaign name or id}/state` with `{"state": "ACTIVE"}`
(a continuous campaign), `"SENT"` (a mass one) or `"IN_DEFINITION"` (deactivating an active
one [INFER]). Activating or sending needs the campaign complete: its subject and content, or
its texts.

Parts are stored as objects of their own (`emailCampaign:content`, keyed by the campaign's
id), so that `/__emulator__/state` shows them and a campaign's delete removes them.
"""

from __future__ import annotations

import base64
import io
import zipfile
from collections.abc import Mapping
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from actito_iac.emulator.campaigns.rules import (
    ACTIVE,
    EMAIL,
    IN_DEFINITION,
    SENT,
    STATUS,
    checked_content,
    checked_messages,
    checked_subject,
    deletable,
    editable,
)
from actito_iac.emulator.gate import ADMIN_PREFIX
from actito_iac.emulator.json_http import read_json
from actito_iac.emulator.problems import RuleError
from actito_iac.emulator.resources.crud import Resource
from actito_iac.emulator.routing import answering, entity_of, method_route
from actito_iac.emulator.state import EmulatorState
from actito_iac.emulator.store import Store

SUBJECT, CONTENT, MESSAGES = "subject", "content", "messages"
UPLOAD_FIELD = "inputFile"  # [CODE]
FAMILIES = {"email-campaigns": EMAIL, "sms-campaigns": "smsCampaign"}
STATES = (IN_DEFINITION, ACTIVE, SENT)


# -- storage of the parts ---------------------------------------------------------------------


def part_of(store: Store, entity: str, kind: str, campaign: Mapping[str, Any], part: str) -> Any:
    stored = store.get_object(entity, f"{kind}:{part}", str(campaign["id"]))
    return None if stored is None else stored["value"]


def put_part(
    store: Store, entity: str, kind: str, campaign: Mapping[str, Any], part: str, value: Any
) -> None:
    key, part_kind = str(campaign["id"]), f"{kind}:{part}"
    body = {"value": value}
    with store.transaction():
        if store.get_object(entity, part_kind, key) is None:
            store.insert_object(entity, part_kind, key, key, body)
        else:
            store.replace_object(entity, part_kind, key, key, body)


def deleting(kind: str, noun: str) -> Any:
    """The resource's `on_delete`: only in definition [DOC], and its parts go with it."""

    def on_delete(store: Store, entity: str, stored: Mapping[str, Any]) -> None:
        deletable(stored, noun)
        for part in (SUBJECT, CONTENT, MESSAGES):
            store.delete_object(entity, f"{kind}:{part}", str(stored["id"]))

    return on_delete


def complete(store: Store, entity: str, kind: str, campaign: Mapping[str, Any]) -> list[str]:
    """What the campaign still lacks before it can be activated or sent."""
    parts = (SUBJECT, CONTENT) if kind == EMAIL else (MESSAGES,)
    return [p for p in parts if part_of(store, entity, kind, campaign, p) is None]


# -- routes -----------------------------------------------------------------------------------


class CampaignRoutes:
    def __init__(self, state: EmulatorState, resource: Resource) -> None:
        self.store = state.store
        self.resource = resource
        self.kind = resource.kind

    def routes(self) -> list[BaseRoute]:
        out: list[BaseRoute] = []
        for path in self.resource.paths:
            item = f"{path}/{{id}}"
            if self.kind == EMAIL:
                out.append(
                    method_route(f"{item}/content/subject", GET=self.subject, PUT=self.put_subject)
                )
                out.append(
                    method_route(f"{item}/content/body", GET=self.content, POST=self.post_content)
                )
            else:
                out.append(method_route(f"{item}/content", GET=self.texts, PUT=self.put_texts))
        family = next(f for f, k in FAMILIES.items() if k == self.kind)
        ui = f"{ADMIN_PREFIX}ui/entities/{{entity}}/{family}/{{campaign}}/state"
        out.append(Route(ui, self.move, methods=["POST"]))
        return out

    def _campaign(self, request: Request, key: str | None = None) -> tuple[str, dict[str, Any]]:
        entity = entity_of(self.store, request).name
        key = key or request.path_params["id"]
        found = self.store.get_object(entity, self.kind, key) or self.store.find_object(
            entity, self.kind, key
        )
        if found is None:
            raise HTTPException(404, f"{self.resource.title} {key!r} not found in {entity!r}")
        return entity, found

    def _part(self, request: Request, part: str) -> tuple[str, dict[str, Any], Any]:
        entity, campaign = self._campaign(request)
        value = part_of(self.store, entity, self.kind, campaign, part)
        if value is None:
            raise HTTPException(404, f"the {self.resource.title} has no {part} yet")
        return entity, campaign, value

    async def subject(self, request: Request) -> Response:
        _, _, subject = self._part(request, SUBJECT)
        return JSONResponse({"subject": subject})

    async def put_subject(self, request: Request) -> Response:
        body = await read_json(request)  # before the look-up: no await between it and the write
        entity, campaign = self._campaign(request)
        with answering():
            editable(campaign, self.resource.title)
            put_part(self.store, entity, self.kind, campaign, SUBJECT, checked_subject(body))
        return JSONResponse({"campaignId": campaign["id"]})

    async def content(self, request: Request) -> Response:
        _, _, encoded = self._part(request, CONTENT)
        return Response(base64.b64decode(encoded), media_type="application/zip")

    async def post_content(self, request: Request) -> Response:
        data = await upload_of(request, UPLOAD_FIELD)  # before the look-up, as above
        entity, campaign = self._campaign(request)
        with answering():
            editable(campaign, self.resource.title)
            checked_content(campaign, data, request.query_params.get("charset"))
            encoded = base64.b64encode(data).decode("ascii")
            put_part(self.store, entity, self.kind, campaign, CONTENT, encoded)
        return JSONResponse({"campaignId": campaign["id"]})

    async def texts(self, request: Request) -> Response:
        _, _, messages = self._part(request, MESSAGES)
        return JSONResponse({"messages": messages})

    async def put_texts(self, request: Request) -> Response:
        body = await read_json(request)  # before the look-up, as above
        entity, campaign = self._campaign(request)
        with answering():
            editable(campaign, self.resource.title)
            messages = checked_messages(campaign, body)
            put_part(self.store, entity, self.kind, campaign, MESSAGES, messages)
        return JSONResponse({"campaignId": campaign["id"]})

    async def move(self, request: Request) -> Response:
        """What the UI's activate, send and deactivate buttons do (emulator only)."""
        body = await read_json(request)  # before the look-up, as above
        entity, campaign = self._campaign(request, request.path_params["campaign"])
        wanted = body.get("state") if isinstance(body, dict) else None
        with answering():
            moved = self._moved(entity, campaign, wanted)
        return JSONResponse(moved)

    def _moved(self, entity: str, campaign: dict[str, Any], wanted: object) -> dict[str, Any]:
        state, mode = campaign[STATUS], campaign.get("sendingMode")
        if wanted not in STATES:
            raise RuleError([f"state must be one of {', '.join(STATES)}"])
        if wanted == state:
            return campaign
        if state == SENT:
            raise RuleError(["a sent campaign stays sent"])
        if wanted == ACTIVE and mode != "CONTINUOUS":
            raise RuleError(["only a CONTINUOUS campaign is activated; a MASS one is sent"])
        if wanted == SENT and mode != "MASS":
            raise RuleError(["only a MASS campaign is sent; a CONTINUOUS one is activated"])
        if wanted == IN_DEFINITION and state != ACTIVE:
            raise RuleError([f"a campaign {state} cannot go back to definition"])
        missing = complete(self.store, entity, self.kind, campaign)
        if missing and wanted != IN_DEFINITION:
            raise RuleError([f"the campaign has no {', '.join(missing)} yet"])
        moved = {**campaign, STATUS: wanted}
        self.store.replace_object(entity, self.kind, str(campaign["id"]), campaign["name"], moved)
        return moved


def routes_of(state: EmulatorState, resource: Resource) -> list[BaseRoute]:
    return CampaignRoutes(state, resource).routes()


async def upload_of(request: Request, field: str) -> bytes:
    """The file in the multipart part `field` (parsed with the standard library's MIME parser:
    the emulator needs no form library); 400 when there is none."""
    kind = request.headers.get("content-type", "")
    if not kind.lower().startswith("multipart/"):
        raise HTTPException(400, f"the content must be sent as multipart/form-data ({field})")
    raw = await request.body()
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + kind.encode("latin-1") + b"\r\n\r\n" + raw
    )
    if message.is_multipart():
        for part in message.iter_parts():
            if part.get_param("name", header="content-disposition") == field:
                data = part.get_payload(decode=True)
                return data if isinstance(data, bytes) else b""
    raise HTTPException(400, f"no multipart part named {field!r}")


# -- seeds ------------------------------------------------------------------------------------

SEED_ONLY = frozenset({STATUS, SUBJECT, CONTENT, MESSAGES})


def seeded(kind: str) -> Any:
    """The resource's `seed_after`: a seeded campaign may come with its subject, its content
    (`{file name: text, or {base64: …}}`, zipped as an upload would be), its texts, and any
    state — the same rules as the API apply to the parts."""

    def after(store: Store, entity: str, stored: dict[str, Any], extras: Mapping[str, Any]) -> None:
        if SUBJECT in extras:
            put_part(store, entity, kind, stored, SUBJECT, checked_subject(extras))
        if CONTENT in extras:
            data = _zipped(extras[CONTENT], str(stored.get("encoding") or "UTF-8"))
            checked_content(stored, data, None)
            encoded = base64.b64encode(data).decode("ascii")
            put_part(store, entity, kind, stored, CONTENT, encoded)
        if MESSAGES in extras:
            messages = checked_messages(stored, {MESSAGES: extras[MESSAGES]})
            put_part(store, entity, kind, stored, MESSAGES, messages)
        state = extras.get(STATUS, IN_DEFINITION)
        if state not in STATES:
            raise RuleError([f"status must be one of {', '.join(STATES)}"])
        moved = {**stored, STATUS: state}
        store.replace_object(entity, kind, str(stored["id"]), stored["name"], moved)

    return after


def _zipped(files: object, encoding: str) -> bytes:
    if not isinstance(files, Mapping) or not files:
        raise RuleError(["content must map file names to their text (or {base64: …})"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, value in files.items():
            if isinstance(value, Mapping) and isinstance(value.get("base64"), str):
                archive.writestr(str(name), base64.b64decode(value["base64"]))
            elif isinstance(value, str):
                archive.writestr(str(name), value.encode(encoding))
            else:
                raise RuleError([f"content {name!r}: text, or {{base64: …}}"])
    return buffer.getvalue()
