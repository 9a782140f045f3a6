"""Webhook subscriptions: the rules a subscription must follow (actito-api.md §9.1).

Documented: `on` is PROFILE_TABLE or CUSTOM_TABLE and `onElementId` the table's technical id;
the event types, two of them for profile tables only; `targetUrl` must be HTTPS; `headers` are
added to every push and a `Content-Type` among them is ignored; a custom table raises UPDATE
events only once its definition declares them (`eventsToTrigger`). Everything else is marked
[INFER] where it is decided.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from actito_iac.emulator.problems import Report, RuleError, fixed_changes, object_body
from actito_iac.emulator.resources.crud import Resource, id_by_name
from actito_iac.emulator.store import CUSTOM_TABLE, PROFILE_TABLE, Store

KIND = "webhookSubscription"
TABLE_KINDS = {"PROFILE_TABLE": PROFILE_TABLE, "CUSTOM_TABLE": CUSTOM_TABLE}
EVENT_TYPES = ("CREATE", "UPDATE", "DELETE", "UPDATED_SUBSCRIPTION", "UPDATED_SEGMENT")
PROFILE_ONLY = frozenset({"UPDATED_SUBSCRIPTION", "UPDATED_SEGMENT"})
# ONE_BY_ONE is seen in client code; [INFER] BULK, the other mode the documentation describes.
PUSH_TYPES = ("ONE_BY_ONE", "BULK")
# [INFER] fixed once created: a subscription was created under its table's URL in the legacy
# API, and one-by-one and bulk delivery are described as two kinds of subscription.
FIXED = ("on", "onElementId", "eventType", "webhookPushType")
_KEYS = (
    "on",
    "onElementId",
    "eventType",
    "onFields",
    "targetUrl",
    "headers",
    "isActive",
    "webhookPushType",
    "maxBlockSize",
)


class WebhookRules:
    def create(self, store: Store, entity: str, body: object) -> dict[str, Any]:
        return _checked(store, entity, body)

    def replace(
        self, store: Store, entity: str, stored: Mapping[str, Any], body: object
    ) -> dict[str, Any]:
        changed = _checked(store, entity, body)
        fixed = fixed_changes(
            stored, changed, FIXED, "; delete the subscription and create another"
        )
        if fixed:
            raise RuleError(fixed)
        return changed


def _checked(store: Store, entity: str, body: object) -> dict[str, Any]:
    body, problems, bad = object_body(body, "a webhook subscription", _KEYS)
    table = _table(store, entity, body, bad)
    event = body.get("eventType")
    if event not in EVENT_TYPES:
        bad(f"eventType {event!r} is not one of {', '.join(EVENT_TYPES)}")
    elif event in PROFILE_ONLY and body.get("on") != "PROFILE_TABLE":
        bad(f"eventType {event} exists for profile tables only")
    elif table is not None and event == "UPDATE" and body.get("on") == "CUSTOM_TABLE":
        operations = {
            rule.get("onOperation")
            for e in table.get("eventsToTrigger") or []
            for rule in e.get("triggerRules") or []
        }
        if "UPDATE" not in operations:
            bad(f"custom table {table['name']!r} declares no UPDATE event (eventsToTrigger)")
    out: dict[str, Any] = {
        "on": body.get("on"),
        "onElementId": str(body.get("onElementId")),
        "eventType": event,
        "onFields": _fields(body.get("onFields", []), table, bad),
        "targetUrl": _https(body.get("targetUrl"), bad),
        "headers": _headers(body.get("headers", {}), bad),
        "isActive": body.get("isActive", True),  # [INFER] active unless said otherwise
        "webhookPushType": body.get("webhookPushType", "ONE_BY_ONE"),  # [INFER] default
        "maxBlockSize": body.get("maxBlockSize"),
    }
    if not isinstance(out["isActive"], bool):
        bad("isActive must be true or false")
    if out["webhookPushType"] not in PUSH_TYPES:
        bad(f"webhookPushType {out['webhookPushType']!r} is not one of {', '.join(PUSH_TYPES)}")
    size = out["maxBlockSize"]
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
        bad("maxBlockSize must be a whole number of at least 1")
    elif size is not None and out["webhookPushType"] != "BULK":
        bad("maxBlockSize applies to BULK subscriptions only")  # [INFER]
    if problems:
        raise RuleError(problems)
    return out


def _table(
    store: Store, entity: str, body: Mapping[str, Any], bad: Report
) -> Mapping[str, Any] | None:
    on = body.get("on")
    kind = TABLE_KINDS.get(on) if isinstance(on, str) else None
    if kind is None:
        bad(f"on {on!r} is not one of {', '.join(TABLE_KINDS)}")
        return None
    element = body.get("onElementId")
    if not isinstance(element, str | int) or isinstance(element, bool):
        bad(f"onElementId {element!r} must be the table's id")
        return None
    table = store.get_object(entity, kind, str(element))
    if table is None:
        bad(f"onElementId {element!r}: no {on} with this id in entity {entity!r}")
    return table


def _fields(raw: object, table: Mapping[str, Any] | None, bad: Report) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(f, str) for f in raw):
        bad("onFields must be a list of attribute names")
        return []
    if table is not None:
        # [INFER] the fields are checked against the table's attributes.
        names = {a.get("name") for a in table.get("attributes") or []}
        for field in raw:
            if field not in names:
                bad(f"onFields: {table['name']!r} has no attribute {field!r}")
    return list(raw)


def _https(raw: object, bad: Report) -> object:
    parts = urlsplit(raw) if isinstance(raw, str) else None
    if parts is None or parts.scheme != "https" or not parts.hostname:
        bad(f"targetUrl {raw!r} must be an https:// URL")  # [DOC] HTTPS only
    return raw


def _headers(raw: object, bad: Report) -> dict[str, str]:
    if not isinstance(raw, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        bad("headers must map header names to text values")
        return {}
    # [DOC] a Content-Type header in the subscription is ignored.
    return {k: v for k, v in raw.items() if k.lower() != "content-type"}


def seed_definition(store: Store, entity: str, definition: object) -> object:
    """A seed may name the table (`table: Customers`) instead of giving `onElementId`."""
    if not isinstance(definition, Mapping) or "table" not in definition:
        return definition
    on = definition.get("on")
    kind = TABLE_KINDS.get(on) if isinstance(on, str) else None
    name = str(definition["table"])
    missing = f"table {name!r}: no {on} by this name in entity {entity!r}"
    if kind is None:
        raise RuleError([missing])
    rest = {k: v for k, v in definition.items() if k != "table"}
    return {**rest, "onElementId": id_by_name(store, entity, kind, name, missing)}


RESOURCE = Resource(
    kind=KIND,
    title="webhook subscription",
    paths=(
        "/webhooks/v4/entity/{entity}/webhookSubscription",
        "/v4/entity/{entity}/webhookSubscription",
    ),
    # [INFER] the list wrapper and paging markers: the documentation names the `page` and
    # `pageSize` parameters only; the create answer `{"id": …}` is documented.
    wrapper="webhookSubscriptions",
    rules=WebhookRules(),
    update="PUT",
    paged=True,
    page_size=20,
    create_answer="id",
    name_key=None,
    seed_key="webhookSubscriptions",
    seed_resolve=seed_definition,
)
