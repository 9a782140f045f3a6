"""Webhook subscriptions: ACTITO pushes a table's data events to an HTTPS endpoint.

API (actito-api.md §9.1): `/webhooks/v4/entity/{e}/webhookSubscription` — list (paged by
`page` from 0 and `pageSize`) [DOC], get [CODE], create answering `{"id": <int>}` [DOC], PUT
[DOC], DELETE [DOC]. The list's wrapper and paging markers are [INFER].

Identity. ACTITO gives a subscription no name, so its key is what it is for: the table (kind
and name), the event type and the target URL — `profileTable:Customers:CREATE:https://…`.
Two subscriptions for the same intent cannot both be in the manifests (validate refuses
the second), and a re-apply finds the one it made: never a second one. Changing any of the
three is a new subscription; the old one becomes unmanaged, and `--prune webhookSubscription`
deletes it. Two live subscriptions with one key are both shown: the later ones get `#2`, `#3`…

Secrets. Header values (shared secrets sent with every push) must be `${secret:…}`
references; they are compared by digest, never shown. Where ACTITO's answer does not give
them back, they are "not compared" and the plan says so [INFER: whether it does is unknown].

Rules. `targetUrl` HTTPS only [DOC]; UPDATED_SUBSCRIPTION and UPDATED_SEGMENT for profile
tables only [DOC]; `onFields` must be attributes of the table (checked offline against the
manifests, at plan time against the licence); a custom table's UPDATE events exist only once
its definition declares them [DOC] (ACTITO refuses the create otherwise). Switching between
one-by-one and bulk delivery replaces the subscription [INFER]: the new one is created first,
so no event goes undelivered meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import Field

from actito_iac.kinds.base import IdLookup, Kind, NameLookup, secret_digest
from actito_iac.kinds.common import CUSTOM_TABLE, PROFILE_TABLE, inferred_enum
from actito_iac.kinds.endpoints import Endpoints, Paging, UpdateMethod
from actito_iac.vocabulary import (
    JSON,
    UNREAD,
    Address,
    Capabilities,
    Issue,
    Path,
    Risk,
    Source,
    SpecModel,
    Use,
    Verdict,
    op,
)

EventType = Literal["CREATE", "UPDATE", "DELETE", "UPDATED_SUBSCRIPTION", "UPDATED_SEGMENT"]
PushMode = Literal["ONE_BY_ONE", "BULK"]
PROFILE_ONLY = frozenset({"UPDATED_SUBSCRIPTION", "UPDATED_SEGMENT"})
_ON = {PROFILE_TABLE: "PROFILE_TABLE", CUSTOM_TABLE: "CUSTOM_TABLE"}
_KIND_OF = {v: k for k, v in _ON.items()}


class WebhookSubscriptionSpec(SpecModel):
    """A webhook subscription: one table's data events of one type, pushed to one URL."""

    profileTable: str | None = Field(default=None, description="The profile table watched.")
    customTable: str | None = Field(default=None, description="The custom table watched.")
    eventType: EventType = Field(
        description="CREATE, UPDATE or DELETE of a row; UPDATED_SUBSCRIPTION and "
        "UPDATED_SEGMENT exist for profile tables only."
    )
    targetUrl: str = Field(
        pattern=r"^https://[^\s/]+", description="Where ACTITO pushes the events; HTTPS only."
    )
    onFields: list[str] = Field(
        default_factory=list,
        description="Only events that touch one of these attributes (default: every event).",
    )
    headers: dict[str, str] = Field(
        default_factory=dict,
        description="Headers sent with every push; each value a ${secret:NAME} reference.",
    )
    active: bool = Field(default=True, description="Whether events are pushed.")
    pushMode: PushMode = Field(
        default="ONE_BY_ONE",
        **inferred_enum(
            "One push per event (ONE_BY_ONE, seen in client code), or events in blocks.", "BULK"
        ),
    )
    maxBlockSize: int | None = Field(default=None, ge=1, description="BULK only: events a push.")

    def table(self) -> tuple[str, str]:
        """(kind, name) of the table watched."""
        if self.profileTable is not None:
            return PROFILE_TABLE, self.profileTable
        return CUSTOM_TABLE, str(self.customTable)


class WebhookSubscriptionKind(Kind):
    name: ClassVar[str] = "webhookSubscription"
    noun: ClassVar[str] = "webhook subscription"
    section: ClassVar[str] = "webhooks"
    spec_type: ClassVar[type[SpecModel]] = WebhookSubscriptionSpec
    capabilities: ClassVar[Capabilities] = Capabilities(
        list=op(Source.DOC, "paged (page from 0, pageSize), read to the end; wrapper inferred"),
        get=op(Source.CODE),
        create=op(Source.DOC, "answers {id}"),
        update=op(
            Source.DOC,
            "PUT; header values compared by digest where ACTITO returns them; a push mode "
            "change is a replace (inferred)",
        ),
        delete=op(Source.DOC, "with --prune; identity: table + event type + target URL"),
    )
    endpoints: ClassVar[Endpoints] = Endpoints(
        category="webhooks",
        version="v4",
        resource="webhookSubscription",
        list_key="webhookSubscriptions",  # [INFER] not seen
        paging=Paging.PAGES,
        page_size=100,
        update=UpdateMethod.PUT,
        delete=True,
    )
    secret_fields: ClassVar[tuple[Path, ...]] = (("headers", "*"),)
    replace_creates_first: ClassVar[bool] = True

    def key(self, spec: SpecModel) -> str:
        assert isinstance(spec, WebhookSubscriptionSpec)
        kind, table = spec.table()
        return f"{kind}:{table}:{spec.eventType}:{spec.targetUrl}"

    def identify(self, payload: Mapping[str, JSON], names: NameLookup) -> tuple[str, str]:
        return str(payload["id"]), self.key(self.spec_from_payload(payload, names))

    def check(self, spec: SpecModel) -> list[Issue]:
        assert isinstance(spec, WebhookSubscriptionSpec)
        issues = []
        if (spec.profileTable is None) == (spec.customTable is None):
            issues.append(
                Issue(("profileTable",), "name exactly one of profileTable or customTable")
            )
        if spec.eventType in PROFILE_ONLY and spec.profileTable is None:
            issues.append(Issue(("eventType",), f"{spec.eventType} exists for profile tables only"))
        if spec.maxBlockSize is not None and spec.pushMode != "BULK":
            issues.append(Issue(("maxBlockSize",), "only a BULK subscription takes it"))
        if len(set(spec.onFields)) != len(spec.onFields):
            issues.append(Issue(("onFields",), "an attribute is listed twice"))
        for name in spec.headers:
            if name.lower() == "content-type":
                # [DOC] ACTITO ignores it: declaring it would differ from ACTITO on every plan.
                issues.append(Issue(("headers", name), "ACTITO ignores a Content-Type header"))
        return issues

    def canonical(self, spec: SpecModel) -> dict[str, JSON]:
        assert isinstance(spec, WebhookSubscriptionSpec)
        kind, table = spec.table()
        out: dict[str, JSON] = {
            kind: table,
            "eventType": spec.eventType,
            "targetUrl": spec.targetUrl,
            "onFields": sorted(spec.onFields),
            # Compared by digest: the plan never holds a header's value, whoever reads it.
            "headers": {name: secret_digest(value) for name, value in sorted(spec.headers.items())},
            "active": spec.active,
            "pushMode": spec.pushMode,
        }
        if spec.maxBlockSize is not None:
            out["maxBlockSize"] = spec.maxBlockSize
        return out

    def judge(self, path: Path, before: JSON, after: JSON, name: str = "") -> Verdict:
        if path == ("pushMode",):
            # [INFER] one-by-one and bulk delivery are set when a subscription is created.
            why = (
                f"the push mode ({before} → {after}) is set when a subscription is created: a "
                "new subscription is created, then this one deleted (no event is missed)"
            )
            return Verdict(Risk.SAFE, replace=why)  # [INFER] by default
        return Verdict(Risk.SAFE, source=Source.DOC)  # [DOC] PUT changes a subscription

    def references(self, entity: str, spec: SpecModel) -> list[Address]:
        assert isinstance(spec, WebhookSubscriptionSpec)
        return [Address(entity, *spec.table())]

    def uses(self, entity: str, spec: SpecModel) -> list[Use]:
        assert isinstance(spec, WebhookSubscriptionSpec)
        table = Address(entity, *spec.table())
        # [INFER] ACTITO refuses (or silently breaks) a subscription on a field that is gone.
        return [
            Use(table, ("attributes", field), f"watches attribute {field!r}", at=("onFields", i))
            for i, field in enumerate(spec.onFields)
        ]

    def spec_from_payload(self, payload: Mapping[str, JSON], names: NameLookup) -> SpecModel:
        """Built without validation: reading never fails on a value this version does not
        know; a table that cannot be found keeps its id, visibly."""
        kind = _KIND_OF.get(str(payload.get("on")), CUSTOM_TABLE)
        element = str(payload.get("onElementId"))
        table = names(kind, element) or f"(unknown id {element})"
        headers = payload.get("headers") or {}
        return WebhookSubscriptionSpec.model_construct(
            profileTable=table if kind == PROFILE_TABLE else None,
            customTable=table if kind == CUSTOM_TABLE else None,
            eventType=payload.get("eventType", ""),
            targetUrl=str(payload.get("targetUrl", "")),
            onFields=list(payload.get("onFields") or []),
            # A value the answer does not give is not known, never "no value".
            headers={str(k): v if isinstance(v, str) else UNREAD for k, v in headers.items()},
            active=payload.get("isActive", True),
            pushMode=payload.get("webhookPushType") or "ONE_BY_ONE",
            maxBlockSize=payload.get("maxBlockSize"),
        )

    def payload(
        self, spec: SpecModel, ids: IdLookup, live: Mapping[str, JSON] | None
    ) -> dict[str, JSON]:
        """The whole subscription (PUT replaces it), on top of the live one so that keys this
        tool does not manage go back as ACTITO sent them."""
        assert isinstance(spec, WebhookSubscriptionSpec)
        kind, table = spec.table()
        body: dict[str, Any] = {k: v for k, v in (live or {}).items() if k != "id"}
        body.update(
            {
                "on": _ON[kind],
                "onElementId": ids(kind, table),
                "eventType": spec.eventType,
                "onFields": list(spec.onFields),
                "targetUrl": spec.targetUrl,
                "headers": dict(spec.headers),
                "isActive": spec.active,
                "webhookPushType": spec.pushMode,
                "maxBlockSize": spec.maxBlockSize,
            }
        )
        if spec.maxBlockSize is None and live is None:
            del body["maxBlockSize"]
        return body
