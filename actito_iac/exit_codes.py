"""Exit codes: frozen, documented in the README; CI scripts depend on them."""

OK = 0
"""Success (with --detailed-exitcode: success and no changes pending)."""
ERROR = 1
"""Any error: invalid manifests, configuration, API failure, refused apply, failed change."""
CHANGES_PENDING = 2
"""`plan --detailed-exitcode` only: the licence differs from the manifests."""
DESTRUCTIVE_REFUSED = 3
"""`apply` refused to start: destructive changes without --allow-destructive. Nothing changed."""
STALE_PLAN = 4
"""`apply PLAN.json` refused a saved plan: the manifests, the environment or a live object it
touches changed since it was made. Nothing changed."""
MANUAL_PENDING = 5
"""`apply --fail-on-manual` only: everything the API can do is done, but manual steps remain
for a person in the ACTITO UI (apply lists them). The next plan confirms when they are done."""
INTERRUPTED = 130
"""Ctrl-C."""

ALL = {
    "OK": OK,
    "ERROR": ERROR,
    "CHANGES_PENDING": CHANGES_PENDING,
    "DESTRUCTIVE_REFUSED": DESTRUCTIVE_REFUSED,
    "STALE_PLAN": STALE_PLAN,
    "MANUAL_PENDING": MANUAL_PENDING,
    "INTERRUPTED": INTERRUPTED,
}
"""Every code by name: the README's table lists them all (a test checks)."""
