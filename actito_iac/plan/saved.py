"""Saved plans: what `plan --out` records besides the plan, and why `apply FILE` may refuse it.

A saved plan is the JSON plan document plus a `saved` section: the environment's API URL,
the manifest hash (and one digest per file and variable, to name what changed), a fingerprint
of every live object the plan touches, and the inputs to re-load. Applying it re-checks all of
that and re-plans; any difference makes the plan stale, and a stale plan is refused before
anything is written — the reviewed plan is applied exactly, or not at all.

Pure: documents and digests in, the reasons a plan is stale out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from actito_iac.errors import ActitoIacError
from actito_iac.plan.fingerprint import changed_objects
from actito_iac.plan.model import EXECUTABLE

SAVED = "saved"
EXECUTABLE_ACTIONS = tuple(sorted(str(action) for action in EXECUTABLE))
_VOLATILE = ("impact",)
"""Read from data rows, which may grow between plan and apply without the change changing."""


class StalePlan(ActitoIacError):
    """The saved plan no longer describes what apply would do; nothing was changed."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("; ".join(reasons))


@dataclass(frozen=True)
class SavedPlan:
    document: dict[str, Any]
    """The plan document, as `plan --format json` prints it."""
    environment: str
    api_url: str
    manifest_hash: str
    manifests: Mapping[str, str]
    """Digest per manifest file path and per `var:NAME` used."""
    fingerprints: Mapping[str, str]
    """Live fingerprint per `ENTITY/KIND/NAME` the plan touches ("absent" if not live)."""
    project: str | None
    paths: tuple[str, ...]
    """The manifest paths given on the command line (empty: the project file's)."""


def saved_document(saved: SavedPlan) -> dict[str, Any]:
    return saved.document | {
        SAVED: {
            "api_url": saved.api_url,
            "manifest_hash": saved.manifest_hash,
            "manifests": dict(saved.manifests),
            "fingerprints": dict(saved.fingerprints),
            "project": saved.project,
            "paths": list(saved.paths),
        }
    }


def read_saved(document: dict[str, Any]) -> SavedPlan:
    section = document.get(SAVED)
    if not isinstance(section, dict):
        raise ActitoIacError(
            "this JSON plan was not saved with `plan --out FILE`: it lacks what apply checks"
        )
    try:
        return SavedPlan(
            document={k: v for k, v in document.items() if k != SAVED},
            environment=str(document["environment"]),
            api_url=str(section["api_url"]),
            manifest_hash=str(section["manifest_hash"]),
            manifests=dict(section["manifests"]),
            fingerprints=dict(section["fingerprints"]),
            project=section.get("project"),
            paths=tuple(section.get("paths") or ()),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ActitoIacError(f"the saved plan is incomplete: {exc}") from None


def context_changes(saved: SavedPlan, environment: str, api_url: str) -> list[str]:
    reasons = []
    if environment != saved.environment:
        reasons.append(
            f"the plan was made for environment {saved.environment!r}, this run targets "
            f"{environment!r}"
        )
    if api_url.rstrip("/") != saved.api_url.rstrip("/"):
        reasons.append(f"the plan was made against {saved.api_url}, this run targets {api_url}")
    return reasons


def manifest_changes(saved: SavedPlan, digests: Mapping[str, str], manifest_hash: str) -> list[str]:
    if manifest_hash == saved.manifest_hash:
        return []
    changed = []
    for name in sorted(set(saved.manifests) | set(digests)):
        before, after = saved.manifests.get(name), digests.get(name)
        if before == after:
            continue
        what = "variable " + name[4:] if name.startswith("var:") else name
        state = "new" if before is None else "gone" if after is None else "changed"
        changed.append(f"{what} ({state})")
    listed = ", ".join(changed) or "their content"
    return [f"the manifests changed since the plan: {listed}"]


def live_changes(saved: SavedPlan, fingerprints: Mapping[str, str]) -> list[str]:
    changed = changed_objects(saved.fingerprints, fingerprints)
    if not changed:
        return []
    return ["live objects changed since the plan: " + ", ".join(changed)]


def plan_changes(saved: SavedPlan, fresh: dict[str, Any]) -> list[str]:
    """How the fresh plan's executable changes differ from the saved ones, by address."""
    before, after = _executable(saved.document), _executable(fresh)
    reasons = []
    for address in sorted(set(before) | set(after)):
        old, new = before.get(address), after.get(address)
        if old == new:
            continue
        if old is None:
            reasons.append(f"{address} would now {_actions(new)} (not in the saved plan)")
        elif new is None:
            reasons.append(f"{address} would no longer {_actions(old)}")
        else:
            reasons.append(f"{address}: the {_actions(new)} now differs from the saved plan")
    if not reasons:
        return []
    return ["a fresh plan differs from the saved one: " + "; ".join(reasons)]


def _executable(document: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for entry in document.get("changes", []):
        if entry.get("action") in EXECUTABLE_ACTIONS:
            out.setdefault(entry["address_text"], []).append(_stable(entry))
    return out


def _stable(entry: dict[str, Any]) -> dict[str, Any]:
    kept = {k: v for k, v in entry.items() if k not in _VOLATILE}
    kept["fields"] = [
        {k: v for k, v in f.items() if k not in _VOLATILE} for f in entry.get("fields", [])
    ]
    return kept


def _actions(entries: list[dict[str, Any]] | None) -> str:
    return " and ".join(str(e["action"]) for e in entries or [])
