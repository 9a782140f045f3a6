"""E-mail and SMS campaigns: what a campaign's general data, subject and content must be, and
what its state allows (actito-api.md §7).

Documented: the create body's fields (`contentType` HTML, `encoding`, `entityOfTarget`,
`from`, `name` unique in the entity, `replyTo`, `sendingMode` MASS, `supportedLanguages`,
`targetTable`, `goalTracking`); the target table and entity cannot change; only a campaign in
definition can be deleted; a content zip holds one `index_<language>.html` per language of a
multilingual campaign and weighs at most 4 MB; an SMS campaign's table needs a `gsmNumber`.
Seen in client code: 409 `ALREADY_USED_MAIL_NAME` for a name already used. Everything else is
[INFER] where it is decided: the CONTINUOUS sending mode, the `status` field and its values, a
campaign that is not in definition refusing every change, SMS campaigns taking the e-mail
body less its sender and encoding.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

from actito_iac.emulator.problems import Report, RuleError, fixed_changes, object_body
from actito_iac.emulator.store import PROFILE_TABLE, Store

EMAIL, SMS = "emailCampaign", "smsCampaign"
SENDING_MODES = ("MASS", "CONTINUOUS")
IN_DEFINITION, ACTIVE, SENT = "IN_DEFINITION", "ACTIVE", "SENT"
STATUS = "status"
MAX_ZIP = 4 * 1024 * 1024  # [DOC]
MAX_SMS_TEXT = 1_600  # [INFER] ten segments
FIXED = ("entityOfTarget", "targetTable")  # [DOC] "Entity and database cannot be changed"
_EMAIL_KEYS = (
    "name",
    "contentType",
    "encoding",
    "entityOfTarget",
    "from",
    "replyTo",
    "sendingMode",
    "supportedLanguages",
    "targetTable",
    "goalTracking",
)
_SMS_KEYS = ("name", "entityOfTarget", "sendingMode", "supportedLanguages", "targetTable")
_LANGUAGE = re.compile(r"[A-Z]{2}")
_BY_LANGUAGE = re.compile(r"(?i)index_([a-z]{2})\.html?")
_HTML = re.compile(r"(?i)[^/]+\.html?")


class CampaignRules:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.noun = "e-mail campaign" if kind == EMAIL else "SMS campaign"

    def create(self, store: Store, entity: str, body: object) -> dict[str, Any]:
        return {**self._checked(store, body), STATUS: IN_DEFINITION}

    def replace(
        self, store: Store, entity: str, stored: Mapping[str, Any], body: object
    ) -> dict[str, Any]:
        editable(stored, self.noun)
        changed = self._checked(store, body)
        fixed = fixed_changes(stored, changed, FIXED, " [documented]; create another campaign")
        if fixed:
            raise RuleError(fixed)
        return {**changed, STATUS: stored[STATUS]}

    def _checked(self, store: Store, body: object) -> dict[str, Any]:
        allowed = _EMAIL_KEYS if self.kind == EMAIL else _SMS_KEYS
        body, problems, bad = object_body(body, f"an {self.noun}", allowed)
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            bad("name must be non-empty text")
        if body.get("sendingMode", "MASS") not in SENDING_MODES:
            bad(f"sendingMode {body.get('sendingMode')!r} is not one of {', '.join(SENDING_MODES)}")
        _languages(body.get("supportedLanguages"), bad)
        self._target(store, body, bad)
        if self.kind == EMAIL:
            _email_fields(body, bad)
        if problems:
            raise RuleError(problems)
        out = dict(body)
        out.setdefault("sendingMode", "MASS")
        return out

    def _target(self, store: Store, body: Mapping[str, Any], bad: Report) -> None:
        entity, name = body.get("entityOfTarget"), body.get("targetTable")
        if not isinstance(entity, str) or store.get_entity(entity) is None:
            bad(f"entityOfTarget {entity!r} is not an entity of the licence")
            return
        table = store.find_object(entity, PROFILE_TABLE, name) if isinstance(name, str) else None
        if table is None:
            bad(f"targetTable {name!r}: no profile table by this name in entity {entity!r}")
            return
        if self.kind == SMS and not _has_mobile(table):
            # [DOC] "requires a gsmNumber attribute"
            bad(f"profile table {name!r} has no gsmNumber attribute: an SMS needs one")


def _has_mobile(table: Mapping[str, Any]) -> bool:
    attributes = table.get("attributes") or []
    return any(a.get("name") == "gsmNumber" or a.get("type") == "GSM_NUMBER" for a in attributes)


def _languages(raw: object, bad: Report) -> None:
    if (
        not isinstance(raw, list)
        or not raw
        or not all(isinstance(x, str) and _LANGUAGE.fullmatch(x) for x in raw)
    ):
        bad("supportedLanguages must be a non-empty list of language codes (FR, EN…)")
    elif len(set(raw)) != len(raw):
        bad("supportedLanguages lists a language twice")


def _email_fields(body: Mapping[str, Any], bad: Report) -> None:
    if body.get("contentType", "HTML") != "HTML":
        bad("contentType must be HTML")  # [DOC] its only value
    sender = body.get("from")
    if not isinstance(sender, str) or not sender.strip():
        bad("from must be non-empty text (the sender's name)")
    reply = body.get("replyTo")
    if reply is not None and not isinstance(reply, str):
        bad("replyTo must be text")
    encoding = body.get("encoding")
    if not isinstance(encoding, str) or not _known(encoding):
        bad(f"encoding {encoding!r} is not an encoding")


def _known(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return True


def editable(stored: Mapping[str, Any], noun: str) -> None:
    """[INFER] a campaign that is not in definition takes no change through the API."""
    state = stored.get(STATUS)
    if state != IN_DEFINITION:
        raise RuleError([f"the {noun} is {state}: only a campaign in definition can be changed"])


def deletable(stored: Mapping[str, Any], noun: str) -> None:
    if stored.get(STATUS) != IN_DEFINITION:
        # [DOC] "only an 'in definition' e-mail can be deleted"
        raise RuleError(
            [f"the {noun} is {stored.get(STATUS)}: only a campaign in definition can be deleted"]
        )


# -- parts ------------------------------------------------------------------------------------


def checked_subject(body: object) -> str:
    subject = body.get("subject") if isinstance(body, Mapping) else None
    if not isinstance(subject, str) or not subject.strip():
        raise RuleError(['the body must be {"subject": "<non-empty text>"}'])
    return subject


def checked_content(stored: Mapping[str, Any], data: bytes, charset: str | None) -> None:
    """A content zip for this campaign: at most 4 MB [DOC], HTML at its root — one
    `index_<language>.html` per language when there are several [DOC] — readable in the
    campaign's encoding [INFER], uploaded with a matching `charset` if one is given [INFER]."""
    problems: list[str] = []
    encoding = str(stored.get("encoding") or "UTF-8")
    if charset is not None and _letters(charset) != _letters(encoding):
        problems.append(f"charset {charset!r} does not match the campaign's encoding {encoding!r}")
    if len(data) > MAX_ZIP:
        problems.append(f"the zip weighs {len(data):,} bytes; at most {MAX_ZIP:,} [documented]")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = [i for i in archive.infolist() if not i.is_dir()]
            if sum(i.file_size for i in entries) > 16 * MAX_ZIP:
                raise RuleError(["the zip inflates to more than 64 MB"])
            pages = {i.filename: archive.read(i) for i in entries if _HTML.fullmatch(i.filename)}
    except zipfile.BadZipFile:
        raise RuleError([*problems, "the content must be a zip archive"]) from None
    languages = list(stored.get("supportedLanguages") or [])
    if not pages:
        problems.append("the zip holds no HTML file at its root")
    elif len(languages) > 1:
        found = {m.group(1).upper() for n in pages if (m := _BY_LANGUAGE.fullmatch(n))}
        missing = [x for x in languages if x not in found]
        if missing:
            problems.append(f"no index_<language>.html for {', '.join(missing)} [documented]")
    for name, page in pages.items():
        try:
            page.decode(encoding if _known(encoding) else "utf-8")
        except UnicodeDecodeError:
            problems.append(f"{name!r} is not {encoding} text")
    if problems:
        raise RuleError(problems)


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def checked_messages(stored: Mapping[str, Any], body: object) -> list[dict[str, str]]:
    """[INFER] an SMS campaign's texts: `{"messages": [{"language", "text"}]}`, one per
    language of the campaign."""
    raw = body.get("messages") if isinstance(body, Mapping) else None
    if not isinstance(raw, list):
        raise RuleError(['the body must be {"messages": [{"language", "text"}, …]}'])
    problems: list[str] = []
    languages = list(stored.get("supportedLanguages") or [])
    out: list[dict[str, str]] = []
    for index, item in enumerate(raw):
        language = item.get("language") if isinstance(item, Mapping) else None
        text = item.get("text") if isinstance(item, Mapping) else None
        if language not in languages:
            problems.append(f"messages[{index}]: {language!r} is not a language of the campaign")
        elif not isinstance(text, str) or not text.strip():
            problems.append(f"messages[{index}]: the text must be non-empty")
        elif len(text) > MAX_SMS_TEXT:
            problems.append(f"messages[{index}]: at most {MAX_SMS_TEXT} characters")
        else:
            out.append({"language": str(language), "text": text})
    if problems:
        raise RuleError(problems)
    return out
