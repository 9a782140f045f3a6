"""A profile table as a manifest would declare it, fresh for each test to change at will."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def customers() -> dict[str, Any]:
    return {
        "name": "Customers",
        "displayName": "Our customers",
        "attributes": [
            {"name": "emailAddress", "type": "EMAIL_ADDRESS", "mandatory": True, "unique": True},
            {"name": "firstName", "type": "FIRSTNAME"},
            {"name": "motherLanguage", "type": "MOTHER_LANGUAGE"},
            {
                "name": "customerId",
                "valueType": "STRING",
                "unique": True,
                "maxLength": 255,
                "displayName": "Customer id",
                "description": "Id in the web shop",
            },
            {
                "name": "interests",
                "valueType": "STRING",
                "multiValued": True,
                "acceptedValues": ["SPORT", "FASHION", "HOME"],
            },
        ],
        "subscriptions": [{"name": "Newsletter"}],
        "segmentations": [
            {"name": "VIP"},
            {
                "name": "Tier",
                "segments": ["Bronze", "Silver", "Gold"],
                "mandatory": True,
                "defaultSegment": "Bronze",
                "history": True,
            },
        ],
    }
