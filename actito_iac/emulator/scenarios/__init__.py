"""The scenarios category: custom actions (actito-api.md §8.2)."""
