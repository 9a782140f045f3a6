"""The campaign resources served by the generic CRUD routes, with their parts and rules."""

from __future__ import annotations

from collections.abc import Mapping

from actito_iac.emulator.campaigns.routes import SEED_ONLY, deleting, routes_of, seeded
from actito_iac.emulator.campaigns.rules import EMAIL, SMS, CampaignRules
from actito_iac.emulator.resources.crud import Resource
from actito_iac.emulator.store import Store


def _seed_target(store: Store, entity: str, definition: object) -> object:
    """A seed may leave out `entityOfTarget` (its own entity) and an e-mail's encoding."""
    if not isinstance(definition, Mapping):
        return definition
    return {"entityOfTarget": entity, **definition}


EMAIL_CAMPAIGNS = Resource(
    kind=EMAIL,
    title="e-mail campaign",
    paths=("/email-campaigns/v4/entity/{entity}/mail", "/v4/entity/{entity}/mail"),  # [DOC]
    wrapper="mailCampaigns",  # [INFER] the reference calls its items `mailCampaign`
    rules=CampaignRules(EMAIL),
    update="PUT",  # [CODE]
    create_answer="id",
    answer_key="campaignId",  # [DOC] `{"campaignId": 223}`
    conflict="ALREADY_USED_MAIL_NAME",  # [CODE]
    on_delete=deleting(EMAIL, "e-mail campaign"),
    more_routes=routes_of,
    seed_key="emailCampaigns",
    seed_resolve=_seed_target,
    seed_only=SEED_ONLY,
    seed_after=seeded(EMAIL),
)

SMS_CAMPAIGNS = Resource(
    kind=SMS,
    title="SMS campaign",
    # [INFER] every path, by analogy with e-mail campaigns: no SMS endpoint is documented.
    paths=("/sms-campaigns/v4/entity/{entity}/sms", "/v4/entity/{entity}/sms"),
    wrapper="smsCampaigns",
    rules=CampaignRules(SMS),
    update="PUT",
    create_answer="id",
    answer_key="campaignId",
    conflict="ALREADY_USED_SMS_NAME",
    on_delete=deleting(SMS, "SMS campaign"),
    more_routes=routes_of,
    seed_key="smsCampaigns",
    seed_resolve=_seed_target,
    seed_only=SEED_ONLY,
    seed_after=seeded(SMS),
)
