"""The ACTITO API client: auth, URLs, retries, concurrency cap, typed errors."""
