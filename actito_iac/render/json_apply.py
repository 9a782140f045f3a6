"""What an apply did, as a versioned JSON document (`apply --format json`), for CI and tools.

Printed on stdout once the apply is over (the plan and each outcome go to stderr meanwhile). It
counts and lists the manual steps still to do, so a pipeline can tell "applied" from "applied,
but a person still has to act in the ACTITO UI". `format_version` follows the plan document's
rule: a minor version only adds keys.
"""

from __future__ import annotations

from typing import Any

from actito_iac import __version__
from actito_iac.apply_result import ApplyResult, Status
from actito_iac.plan.model import ManualStep
from actito_iac.render.json_plan import address_entry

FORMAT_VERSION = "1.0"


def apply_document(
    result: ApplyResult, steps: tuple[ManualStep, ...], *, environment: str, exit_code: int
) -> dict[str, Any]:
    counts = dict.fromkeys(Status, 0)
    for outcome in result.outcomes:
        counts[outcome.status] += 1
    return {
        "format_version": FORMAT_VERSION,
        "tool_version": __version__,
        "environment": environment,
        "ok": result.ok,
        "exit_code": exit_code,
        "summary": {
            "done": counts[Status.DONE],
            "failed": counts[Status.FAILED],
            "skipped": counts[Status.SKIPPED],
            "manual_steps": len(steps),
        },
        "outcomes": [
            {
                **address_entry(o.address),
                "action": str(o.action),
                "status": str(o.status),
                "message": o.message,
            }
            for o in result.outcomes
        ],
        "manual_steps": [{**address_entry(s.address), "step": s.text} for s in steps],
    }


