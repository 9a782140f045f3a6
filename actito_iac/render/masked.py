"""A plan with every secret value masked: what all renderers and saved plans are given.

Masking once, here, instead of in each renderer means a new renderer cannot forget it. Values
become `*** (sha256:…)` (see actito_iac.secrets), texts get `***`. The specs the executor
writes are kept: masking is about what is shown, never about what is sent.

The masker knows the secrets of this run, not those of the past: after a secret is rotated,
the live value still holds the old one. So where one side of a comparison holds a secret, the
other side at the same place is shown as a fingerprint too — a rotated secret reads as
`*** (sha256:…) → *** (sha256:…)`, never as the old value in clear.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from actito_iac.plan.model import Change, FieldChange, Plan
from actito_iac.secrets import Masker


def mask_plan(plan: Plan, masker: Masker) -> Plan:
    if not masker:
        return plan
    return Plan(tuple(_change(c, masker) for c in plan.changes))


def _change(change: Change, masker: Masker) -> Change:
    before, after = _pair(change.before, change.after, masker)
    return replace(
        change,
        before=before,
        after=after,
        fields=tuple(_field(f, masker) for f in change.fields),
        reason=masker.text(change.reason),
        impact=masker.text(change.impact),
        status=masker.text(change.status),
        diffs=tuple(replace(d, text=masker.text(d.text)) for d in change.diffs),
    )


def _field(field: FieldChange, masker: Masker) -> FieldChange:
    before, after = _pair(field.before, field.after, masker)
    return replace(
        field,
        path=tuple(masker.text(p) for p in field.path),
        before=before,
        after=after,
        blocked=masker.text(field.blocked),
        manual=masker.text(field.manual),
        impact=masker.text(field.impact),
    )


def _pair(before: Any, after: Any, masker: Masker) -> tuple[Any, Any]:
    """Both sides masked; where either holds a secret at a place, both are fingerprints."""
    if isinstance(before, dict) and isinstance(after, dict):
        pairs = {key: _pair(before.get(key), after.get(key), masker) for key in {**before, **after}}
        return (
            {masker.text(k): pairs[k][0] for k in before},
            {masker.text(k): pairs[k][1] for k in after},
        )
    either = masker.holds_secret_deep(before) or masker.holds_secret_deep(after)
    if before is not None and after is not None and either:
        return masker.opaque(before), masker.opaque(after)
    return masker.value(before), masker.value(after)
