"""Webhook subscriptions (actito-api.md §9.1)."""
