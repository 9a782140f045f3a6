"""Values the command line needs before any stage is loaded, in a module that imports nothing.

Every command starts by reading these (the key variable to mask, the bounds of an option), so
they live here rather than in the stages that use them: `actito-iac --version`, a completion
request or a pre-commit hook then start without loading pydantic, httpx or rich.
"""

from __future__ import annotations

KEY_OVERRIDE = "ACTITO_API_KEY"
"""The variable whose value is the API key for one-off runs (and the default `apiKeyEnv`)."""

DATA_SAMPLE = 5000
"""Rows read per table to quantify risky changes; beyond it, counts are lower bounds."""

DATA_SAMPLE_MAX = 10_000
"""The most rows asked for in one call. [INFER] ACTITO documents no maximum for the `number`
of the profile and record lists; this bound is ours, so that a larger `--data-sample` is refused
up front instead of failing (or hanging) mid-plan on a licence that refuses it."""

EVERY_KIND = "*"
"""What a bare `--prune` stands for: every kind the API can delete."""

CALLS_PER_MINUTE = 100
"""ACTITO's calls a minute per licence; past them, its answers slow down [DOC]."""
