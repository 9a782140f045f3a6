"""The plan as a versioned JSON document (`plan --format json`, saved plans, `show`).

`format_version` is MAJOR.MINOR: a new minor only adds keys, so consumers must ignore keys
they do not know; a new major may remove or change them. Keys are sorted, except inside the
specs (`before`, `after`), which keep their kind's canonical order; lists keep the plan's order
(execution order, deterministic), so equal inputs give byte-identical documents.
The document is built from an already-masked plan (render/masked.py): it holds no secret.

The reverse, `plan_from_document`, lets `show` render a saved plan with the same renderers.
"""

from __future__ import annotations

from typing import Any

from actito_iac import __version__
from actito_iac.heap import collector_paused
from actito_iac.plan.model import Action, Change, FieldChange, Plan, manual_steps
from actito_iac.plan.select import Selection
from actito_iac.plan.textdiff import TextDiff
from actito_iac.render.json_text import indented
from actito_iac.vocabulary import Address, Risk, Source

FORMAT_VERSION = "1.4"
"""1.1 added the `replace` action, `runs_after`, `not_compared`, each field's `replace` and
`selection.prune`; 1.2 each change's `status` (the live object's state) and `diffs` (line
diffs of long texts: `path`, `text`, `added`, `removed`, `more` lines left out); 1.3
`summary.manual_steps`; 1.4 `source` on changes and fields (documented, seen in client code,
inferred)."""
SUPPORTED_MAJOR = 1

SUMMARY_ACTIONS = {
    "create": Action.CREATE,
    "update": Action.UPDATE,
    "replace": Action.REPLACE,
    "delete": Action.DELETE,
    "manual": Action.MANUAL,
    "blocked": Action.BLOCKED,
    "unmanaged": Action.UNMANAGED,
    "no_op": Action.NO_OP,
}
SUMMARY_RISKS = {
    "safe": Risk.SAFE,
    "may_fail_on_data": Risk.MAY_FAIL_ON_DATA,
    "destructive": Risk.DESTRUCTIVE,
}


class DocumentError(ValueError):
    """A JSON document that is not a plan this version can read."""


def plan_document(plan: Plan, *, environment: str, selection: Selection) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "tool_version": __version__,
        "environment": environment,
        "selection": {
            "targets": list(selection.targets),
            "excludes": list(selection.excludes),
            "prune": list(selection.prune),
        },
        "summary": summary(plan),
        "has_changes": plan.has_changes,
        "changes": [change_entry(c) for c in plan.changes],
    }


def summary(plan: Plan) -> dict[str, int]:
    """Counts per action (every change), per risk (executable changes only), and the manual
    steps (a manual change may hold several)."""
    actions, risks = plan.count(), plan.risks()
    out = {key: actions.get(action, 0) for key, action in SUMMARY_ACTIONS.items()}
    out.update({key: risks.get(risk, 0) for key, risk in SUMMARY_RISKS.items()})
    out["manual_steps"] = len(manual_steps(plan))  # one per thing to do in the UI
    return out


def address_entry(address: Address) -> dict[str, Any]:
    """An object's address as every JSON document writes it: its parts, and as text."""
    return {
        "address": {"entity": address.entity, "kind": address.kind, "name": address.name},
        "address_text": str(address),
    }


def change_entry(change: Change) -> dict[str, Any]:
    return {
        **address_entry(change.address),
        "action": str(change.action),
        "risk": str(change.risk),
        "reason": change.reason,
        "impact": change.impact,
        "depends_on": [str(d) for d in change.depends_on],
        "runs_after": [str(d) for d in change.runs_after],
        "not_compared": list(change.not_compared),
        "status": change.status,
        "diffs": [
            {
                "path": list(d.path),
                "text": d.text,
                "added": d.added,
                "removed": d.removed,
                "more": d.more,
            }
            for d in change.diffs
        ],
        "source": _source_text(change.source),
        "before": change.before,
        "after": change.after,
        "fields": [
            {
                "path": list(f.path),
                "before": f.before,
                "after": f.after,
                "risk": str(f.risk),
                "blocked": f.blocked,
                "manual": f.manual,
                "replace": f.replace,
                "impact": f.impact,
                "source": _source_text(f.source),
            }
            for f in change.fields
        ],
    }


def _source_text(source: Source | None) -> str | None:
    return None if source is None else str(source)


def _source_of(text: object) -> Source | None:
    """A recorded source (None in documents before 1.4, or for a change no rule decided)."""
    return None if text is None else Source(str(text))


SPEC_KEYS = frozenset({"before", "after"})
"""Keys whose values are specs (or parts of them): they keep the kind's canonical order, the
order every renderer shows, so a plan read back from its file (`show`) renders exactly as it
was rendered when made."""


def dumps(document: dict[str, Any]) -> str:
    """The document as JSON: keys sorted, but specs in canonical order; same input, same bytes."""
    with collector_paused():
        return indented(_ordered(document)) + "\n"


def _ordered(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: node[key] if key in SPEC_KEYS else _ordered(node[key]) for key in sorted(node)}
    if isinstance(node, list):
        return [_ordered(item) for item in node]
    return node


def check_version(document: Any) -> dict[str, Any]:
    if not isinstance(document, dict) or not isinstance(document.get("format_version"), str):
        raise DocumentError("it has no format_version")
    major = document["format_version"].split(".")[0]
    if major != str(SUPPORTED_MAJOR):
        raise DocumentError(
            f"plan format {document['format_version']} is not supported by this version "
            f"(reads {SUPPORTED_MAJOR}.x); use the actito-iac version that wrote it"
        )
    return document


def plan_from_document(document: dict[str, Any]) -> Plan:
    """The plan a document describes (without the specs: enough to render, not to execute)."""
    try:
        return Plan(tuple(_change(entry) for entry in check_version(document)["changes"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise DocumentError(f"not a readable actito-iac plan: {exc}") from None


def selection_of(document: dict[str, Any]) -> Selection:
    chosen = document.get("selection") or {}
    return Selection(
        tuple(chosen.get("targets", ())),
        tuple(chosen.get("excludes", ())),
        tuple(chosen.get("prune", ())),
    )


def _change(entry: dict[str, Any]) -> Change:
    where = entry["address"]
    return Change(
        address=Address(where["entity"], where["kind"], where["name"]),
        action=Action(entry["action"]),
        before=entry["before"],
        after=entry["after"],
        fields=tuple(
            FieldChange(
                tuple(f["path"]),
                f["before"],
                f["after"],
                Risk(f["risk"]),
                f["blocked"],
                f["manual"],
                f["impact"],
                f.get("replace", ""),  # 1.0 documents have no replace
                _source_of(f.get("source")),  # added in 1.4
            )
            for f in entry["fields"]
        ),
        risk=Risk(entry["risk"]),
        reason=entry["reason"],
        depends_on=tuple(Address.parse(d) for d in entry["depends_on"]),
        runs_after=tuple(Address.parse(d) for d in entry.get("runs_after", ())),
        not_compared=tuple(entry.get("not_compared", ())),  # added in 1.1
        impact=entry["impact"],
        status=entry.get("status", ""),  # added in 1.2
        diffs=tuple(
            TextDiff(tuple(d["path"]), d["text"], d["added"], d["removed"], d.get("more", 0))
            for d in entry.get("diffs", ())
        ),
        source=_source_of(entry.get("source")),  # added in 1.4
    )
