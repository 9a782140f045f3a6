"""The capability table users read: what the API can do per kind, and how sure we are.

Generated from each kind's `capabilities` data; the README embeds the output and a test keeps
the two identical, so the docs cannot promise what the code does not do.
"""

from __future__ import annotations

from actito_iac.kinds.entity import CAPABILITIES as ENTITY_CAPABILITIES
from actito_iac.kinds.registry import KINDS
from actito_iac.plan.impact import DATA_SAMPLE_MAX
from actito_iac.vocabulary import Capabilities, Source

CELL = {
    Source.DOC: "✅ documented",
    Source.CODE: "🟡 seen in client code",
    Source.INFER: "❔ inferred",
    Source.NONE: "— not in the API",
}


LIMITS = [
    f"Rows of profile and custom tables (read to size risky changes): at most "
    f"{DATA_SAMPLE_MAX:,} per call, {CELL[Source.INFER]} — ACTITO documents no maximum for the "
    "lists' `number`, so `--data-sample` above it is refused before anything is read.",
]
"""Limits the tool applies on its own reading of the API, shown with the table."""


def capability_rows() -> list[tuple[str, Capabilities]]:
    return [("entity", ENTITY_CAPABILITIES), *((k.name, k.capabilities) for k in KINDS)]


def capability_table() -> str:
    lines = [
        "| kind | list | get | create | update | delete | notes |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, caps in capability_rows():
        cells = [CELL[o.source] for _, o in caps.rows()]
        notes = "; ".join(f"{verb}: {o.note}" for verb, o in caps.rows() if o.note)
        lines.append(f"| {name} | {' | '.join(cells)} | {notes} |")
    lines += ["", *LIMITS]
    return "\n".join(lines) + "\n"
