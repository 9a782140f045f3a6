"""The emulated resources served by the generic CRUD routes: one line per kind.

Table structures and their data have routes of their own (structures/, data/): their API is
not plain CRUD (change requests, rows).
"""

from __future__ import annotations

from actito_iac.emulator.campaigns.resources import EMAIL_CAMPAIGNS, SMS_CAMPAIGNS
from actito_iac.emulator.resources.crud import Resource
from actito_iac.emulator.scenarios.custom_actions import RESOURCE as CUSTOM_ACTIONS
from actito_iac.emulator.webhooks.rules import RESOURCE as WEBHOOK_SUBSCRIPTIONS

RESOURCES: tuple[Resource, ...] = (
    WEBHOOK_SUBSCRIPTIONS,  # webhooks/rules.py
    CUSTOM_ACTIONS,  # scenarios/custom_actions.py
    EMAIL_CAMPAIGNS,  # campaigns/resources.py
    SMS_CAMPAIGNS,
)
