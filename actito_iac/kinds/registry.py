"""The registry of kinds: one line per kind, in dependency order (what others refer to first)."""

from __future__ import annotations

from actito_iac.kinds.base import Kind
from actito_iac.kinds.custom_action import CustomActionKind
from actito_iac.kinds.custom_table import CustomTableKind
from actito_iac.kinds.email_campaign import EmailCampaignKind
from actito_iac.kinds.form import FormKind
from actito_iac.kinds.profile_table import ProfileTableKind
from actito_iac.kinds.scenario import ScenarioKind
from actito_iac.kinds.sms_campaign import SmsCampaignKind
from actito_iac.kinds.webhook_subscription import WebhookSubscriptionKind

KINDS: tuple[Kind, ...] = (
    ProfileTableKind(),  # custom tables link to profile tables
    CustomTableKind(),
    WebhookSubscriptionKind(),  # on a profile or custom table
    CustomActionKind(),
    EmailCampaignKind(),  # to a profile table
    SmsCampaignKind(),  # to a profile table
    ScenarioKind(),  # listed per profile table; may start on a custom table's event
    FormKind(),  # on a profile table
)

BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
