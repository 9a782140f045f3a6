"""What the live data says of a plan's risky changes. Pure: samples in, annotated plan out.

Generic: which risky fields a kind's data can size, and the words for what it says, are the
kind's (`Kind.sized_by_data`, `field_impact`, `object_impact`; the table kinds count rows).
A kind that holds no data says nothing here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from actito_iac.actual import Sample
from actito_iac.constants import DATA_SAMPLE as DATA_SAMPLE  # the bounds live there
from actito_iac.constants import DATA_SAMPLE_MAX as DATA_SAMPLE_MAX
from actito_iac.kinds.base import Kind
from actito_iac.kinds.registry import KINDS
from actito_iac.plan.model import Change, Plan
from actito_iac.vocabulary import Address, Risk


def needs_data(change: Change, kind: Kind) -> bool:
    """Whether reading the object's data could size one of the change's risky fields."""
    return kind.rows is not None and any(
        f.risk is not Risk.SAFE and kind.sized_by_data(f.path) for f in change.fields
    )


def quantify(plan: Plan, samples: Mapping[Address, Sample], kinds: Sequence[Kind] = KINDS) -> Plan:
    by_name = {k.name: k for k in kinds}
    return Plan(
        tuple(_annotate(c, by_name[c.address.kind], samples.get(c.address)) for c in plan.changes)
    )


def _annotate(change: Change, kind: Kind, sample: Sample | None) -> Change:
    if kind.rows is None or all(f.risk is Risk.SAFE for f in change.fields):
        return change
    wanted = needs_data(change, kind)
    seen = sample if wanted else None
    fields = tuple(
        replace(f, impact=kind.field_impact(f.path, f.after, seen))
        if f.risk is not Risk.SAFE
        else f
        for f in change.fields
    )
    return replace(change, fields=fields, impact=kind.object_impact(seen) if wanted else "")
