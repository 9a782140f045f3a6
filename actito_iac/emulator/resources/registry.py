"""The emulated resources served by the generic CRUD routes: one line per kind.

Table structures and their data have routes of their own (structures/, data/): their API is
not plain CRUD (change requests, rows). Scenarios and forms are read-only to the API
(`api_writes=False`): seeds and the UI surface (ui_routes.py) make them.
"""

from __future__ import annotations

from actito_iac.emulator.campaigns.resources import EMAIL_CAMPAIGNS, SMS_CAMPAIGNS
from actito_iac.emulator.forms.forms import RESOURCE as FORMS
from actito_iac.emulator.resources.crud import Resource
from actito_iac.emulator.scenarios.custom_actions import RESOURCE as CUSTOM_ACTIONS
from actito_iac.emulator.scenarios.scenarios import RESOURCE as SCENARIOS
from actito_iac.emulator.webhooks.rules import RESOURCE as WEBHOOK_SUBSCRIPTIONS

RESOURCES: tuple[Resource, ...] = (
    WEBHOOK_SUBSCRIPTIONS,  # webhooks/rules.py
    CUSTOM_ACTIONS,  # scenarios/custom_actions.py
    EMAIL_CAMPAIGNS,  # campaigns/resources.py
    SMS_CAMPAIGNS,
    SCENARIOS,  # scenarios/scenarios.py: read-only, listed per profile table
    FORMS,  # forms/forms.py: read-only
)
