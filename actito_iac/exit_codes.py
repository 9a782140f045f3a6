"""Exit codes: frozen, documented in the README; CI scripts depend on them."""

OK = 0
"""Success (with --detailed-exitcode: success and no changes pending)."""
ERROR = 1
"""Any error: invalid manifests, configuration, API failure, refused apply, failed change."""
CHANGES_PENDING = 2
"""`plan --detailed-exitcode` only: the licence differs from the manifests."""
DESTRUCTIVE_REFUSED = 3
"""`apply` refused to start: destructive changes without --allow-destructive. Nothing changed."""
INTERRUPTED = 130
