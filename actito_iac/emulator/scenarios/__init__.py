"""The scenarios category: scenarios (read-only, actito-api.md §8.1) and custom actions (§8.2)."""
