"""SMS campaigns: a text per language, sent to a profile table's mobile numbers.

ACTITO documents SMS campaigns in its UI only (a name, languages, a target table, mass or
scenarised sending; the table needs a `gsmNumber` attribute [DOC]). No endpoint or payload was
ever seen, so everything below is inferred from the e-mail campaign API, and `actito-iac
capabilities` says so: `/sms-campaigns/v4/entity/{e}/sms` [INFER] with the e-mail create body
less its sender and encoding [INFER], `PUT …/{id}` for general data [INFER], and the texts as a
part of their own, `PUT …/{id}/content` with `{"messages": [{"language", "text"}]}` [INFER].
Lifecycle, identity, the fixed target and resuming an unfinished create are the e-mail
campaign's (kinds/campaign.py).

The target table must hold a mobile number: an attribute of the predefined type GSM_NUMBER,
or one named `gsmNumber` [DOC name]. Checked offline when the table is in the manifests, at
plan time against the licence otherwise, and an update removing it is blocked while the
campaign stays.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from pydantic import Field

from actito_iac.kinds.base import Exported, IdLookup, NameLookup
from actito_iac.kinds.campaign import (
    PERSONALISED_KEEPS,
    SENT,
    CampaignKind,
    CampaignSpec,
    canonical_campaign,
    check_campaign,
    exported_document,
    general_fields,
    general_payload,
)
from actito_iac.kinds.email_content import placeholders
from actito_iac.kinds.endpoints import Endpoints, Part, PartBody, UpdateMethod
from actito_iac.vocabulary import (
    JSON,
    Address,
    Capabilities,
    Issue,
    Path,
    Source,
    SpecModel,
    Use,
    op,
)

NOUN = "SMS campaign"
MESSAGES = "messages"
GSM_TYPE, GSM_NAME = "GSM_NUMBER", "gsmNumber"
MAX_TEXT = 1_600
"""[INFER] ten SMS segments of 160 characters: longer texts are refused offline."""


class SmsCampaignSpec(CampaignSpec):
    """An SMS campaign (every field inferred: ACTITO's SMS API was never seen)."""

    messages: dict[str, str] | None = Field(
        default=None,
        description="The text per language ({EN: …}); may personalise (${firstName}). Left "
        "out: written in the ACTITO UI, not compared.",
    )


def has_mobile_number(attributes: JSON) -> bool:
    """Whether a profile table's canonical attributes hold a mobile number."""
    if not isinstance(attributes, dict):
        return False
    return GSM_NAME in attributes or any(
        isinstance(a, dict) and a.get("type") == GSM_TYPE for a in attributes.values()
    )


class SmsCampaignKind(CampaignKind):
    name: ClassVar[str] = "smsCampaign"
    noun: ClassVar[str] = NOUN
    section: ClassVar[str] = "smsCampaigns"
    spec_type: ClassVar[type[SpecModel]] = SmsCampaignSpec
    capabilities: ClassVar[Capabilities] = Capabilities(
        list=op(Source.INFER, "no SMS endpoint is documented: every path and body by analogy"),
        get=op(Source.INFER),
        create=op(Source.INFER, "then the texts; a step that fails is resumed by the next apply"),
        update=op(
            Source.INFER, "active: manual step, sent: blocked; target table and entity fixed"
        ),
        delete=op(Source.INFER, "with --prune; only in definition"),
    )
    endpoints: ClassVar[Endpoints] = Endpoints(
        category="sms-campaigns",  # [INFER] by analogy with `email-campaigns`
        version="v4",
        resource="sms",  # [INFER] by analogy with `mail`
        list_key="smsCampaigns",  # [INFER]
        update=UpdateMethod.PUT,
        delete=True,
        created_id_key="campaignId",
        detail=True,
        parts=(Part(MESSAGES, "content", write="PUT"),),  # [INFER]
    )
    declared_only: ClassVar[frozenset[Path]] = frozenset({(MESSAGES,), ("state",)})

    def check(self, spec: SpecModel) -> list[Issue]:
        assert isinstance(spec, SmsCampaignSpec)
        issues = check_campaign(spec)
        for language, text in (spec.messages or {}).items():
            if language not in spec.languages:
                message = f"{language!r} is not one of the campaign's languages"
                issues.append(Issue((MESSAGES, language), message))
            elif not text.strip():
                issues.append(Issue((MESSAGES, language), "the text is empty"))
            elif len(text) > MAX_TEXT:
                message = f"{len(text):,} characters; at most {MAX_TEXT:,} [inferred]"
                issues.append(Issue((MESSAGES, language), message))
        given = spec.messages
        missing = [x for x in spec.languages if given is not None and x not in given]
        if missing:
            issues.append(Issue((MESSAGES,), f"no text for {', '.join(missing)}"))
        return issues

    def uses(self, entity: str, spec: SpecModel) -> list[Use]:
        assert isinstance(spec, SmsCampaignSpec)
        table = spec.target(entity)
        needs = Use(
            table,
            ("attributes",),
            f"sends to its mobile numbers (an attribute of type {GSM_TYPE}, or {GSM_NAME!r})",
            holds=has_mobile_number,
            source=Source.DOC,  # [DOC] SMS goes to the `gsmNumber` attribute only
        )
        if spec.state == SENT:
            return [needs]
        texts = (spec.messages or {}).values()
        names = dict.fromkeys(name for text in texts for name in placeholders(text))
        return [needs] + [
            Use(
                table,
                ("attributes", name),
                f"personalises ${{{name}}}",
                required=False,
                keeps=PERSONALISED_KEEPS,
            )
            for name in names
        ]

    def canonical(self, spec: SpecModel) -> dict[str, JSON]:
        assert isinstance(spec, SmsCampaignSpec)
        out = canonical_campaign(spec)
        if spec.messages is not None:
            out[MESSAGES] = dict(sorted(spec.messages.items()))
        return out

    def spec_from_payload(self, payload: Mapping[str, JSON], names: NameLookup) -> SpecModel:
        content = payload.get(MESSAGES)
        messages = None
        if isinstance(content, dict) and isinstance(content.get(MESSAGES), list):
            messages = {
                str(m.get("language")): str(m.get("text", ""))
                for m in content[MESSAGES]
                if isinstance(m, dict)
            }
        return SmsCampaignSpec.model_construct(
            **general_fields(payload),
            messages=messages,
        )

    def payload(
        self, spec: SpecModel, ids: IdLookup, live: Mapping[str, JSON] | None
    ) -> dict[str, JSON]:
        assert isinstance(spec, SmsCampaignSpec)
        managed: dict[str, Any] = {}
        return general_payload(spec, live, managed)

    def exported(
        self, spec: SpecModel, address: Address, stem: str, safe: Callable[[str], str]
    ) -> Exported:
        assert isinstance(spec, SmsCampaignSpec)
        return Exported(exported_document(spec, address.entity))

    def part_payload(self, spec: SpecModel, key: str) -> PartBody | None:
        assert isinstance(spec, SmsCampaignSpec)
        if spec.messages is None:
            return None
        messages = [{"language": x, "text": t} for x, t in sorted(spec.messages.items())]
        return PartBody(json={MESSAGES: messages})
