"""Per-object fingerprints of the live licence, so a saved plan knows what it was made against.

ACTITO has no ETags or compare-and-swap, so the plan records a digest of each live payload it
touches and apply re-reads and compares them: an object someone changed in the UI since the
review refuses the apply, naming that object, instead of being overwritten silently.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from actito_iac.actual import Actual
from actito_iac.plan.model import Plan
from actito_iac.vocabulary import JSON, Address

ABSENT = "absent"
"""The fingerprint of an object that does not exist live (yet)."""


def payload_fingerprint(payload: Mapping[str, JSON]) -> str:
    """sha256 of the payload as canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def touched(plan: Plan) -> list[Address]:
    """The objects the plan's executable changes write, and those they depend on (a link is
    written with the linked table's id: a table replaced under the same name matters)."""
    found: set[Address] = set()
    for change in plan.executable:
        found.add(change.address)
        found.update(change.depends_on)
    return sorted(found)


def fingerprints(addresses: list[Address], actual: Actual) -> dict[str, str]:
    """Each address's live fingerprint, by its `ENTITY/KIND/NAME` text."""
    out: dict[str, str] = {}
    for address in addresses:
        live = actual.objects.get(address)
        out[str(address)] = payload_fingerprint(live.payload) if live else ABSENT
    return out


def changed_objects(saved: Mapping[str, str], now: Mapping[str, str]) -> list[str]:
    """The objects whose fingerprint differs, each with what happened to it."""
    out: list[str] = []
    for address, before in sorted(saved.items()):
        after = now.get(address, ABSENT)
        if after == before:
            continue
        if before == ABSENT:
            out.append(f"{address} (created since the plan)")
        elif after == ABSENT:
            out.append(f"{address} (deleted since the plan)")
        else:
            out.append(f"{address} (changed since the plan)")
    return out
