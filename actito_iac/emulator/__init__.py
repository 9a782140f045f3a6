"""A local ACTITO: a real HTTP API with SQLite persistence, for demos, tests and first runs."""
