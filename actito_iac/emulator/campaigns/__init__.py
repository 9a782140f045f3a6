"""The campaigns categories: e-mail campaigns (actito-api.md §7.2) and SMS campaigns (§7.3,
all inferred)."""
