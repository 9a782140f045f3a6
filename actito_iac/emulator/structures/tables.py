"""Table structures held in the store, both families: the checks that need more than the
request body (names taken in the entity, referenced tables, the rows already held) and the
writes they guard, each done in one store transaction.

The API routes and the seed go through here, so a seeded table obeys the API's rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from actito_iac.emulator.data.change_rules import change_problems, dropped_values
from actito_iac.emulator.problems import RuleError
from actito_iac.emulator.store import CUSTOM_TABLE, PROFILE_TABLE, Store, reference_target
from actito_iac.emulator.structures.custom_table_rules import (
    TECHNICAL_ATTRIBUTES as CUSTOM_TECHNICAL,
)
from actito_iac.emulator.structures.custom_table_rules import validate_change, validate_create
from actito_iac.emulator.structures.link_rules import (
    CUSTOM_TABLE_REF,
    PROFILE_TABLE_REF,
    References,
    kept_reference_problems,
    referrers,
)
from actito_iac.emulator.structures.profile_rules import (
    TECHNICAL_ATTRIBUTES as PROFILE_TECHNICAL,
)
from actito_iac.emulator.structures.profile_rules import (
    validate_profile_change,
    validate_profile_create,
)
from actito_iac.emulator.structures.technical import stripped, technical_problems


@dataclass(frozen=True)
class Family:
    """One family of tables: how it is stored, named in messages and referenced."""

    kind: str
    label: str
    noun: str
    reference_type: str
    technical: frozenset[str]
    """Attributes ACTITO generates: a create may not carry them (technical.py)."""


PROFILE_TABLE_PARTS = "profileTableParts"
"""The licence setting (seed `settings`) saying whether profile tables are answered with their
subscriptions and segmentations ("shown", the default) or without ("hidden")."""

CUSTOM = Family(CUSTOM_TABLE, "table", "record", CUSTOM_TABLE_REF, CUSTOM_TECHNICAL)
PROFILE = Family(PROFILE_TABLE, "profile table", "profile", PROFILE_TABLE_REF, PROFILE_TECHNICAL)


class Structures:
    def __init__(self, store: Store) -> None:
        self.store = store

    def find(self, entity: str, family: Family, key: str) -> dict[str, Any] | None:
        """A table by id, else by name. [INFER] both are accepted wherever a table is named,
        as public clients address tables both ways."""
        return self.store.get_object(entity, family.kind, key) or self.store.find_object(
            entity, family.kind, key
        )

    def parts_shown(self) -> bool:
        return bool(self.store.setting(PROFILE_TABLE_PARTS, "shown") == "shown")

    def answer(self, family: Family, table: dict[str, Any]) -> dict[str, Any]:
        """A table as the API answers it: without subscriptions and segmentations when the
        licence is set to hide them (seed `settings`)."""
        return table if self.as_stored(family) else without_parts(table)

    def as_stored(self, family: Family) -> bool:
        """Whether the API answers this family's tables exactly as they are stored."""
        return family is not PROFILE or self.parts_shown()

    def references(self, entity: str) -> References:
        """The tables a foreign key may point at: in the same entity, by id (docs/api.md)."""

        def lookup(table_type: str, table_id: str) -> Mapping[str, Any] | None:
            if table_type == PROFILE_TABLE_REF:
                return self.store.get_profile_table(entity, table_id)
            return self.store.get_custom_table(entity, table_id)

        return lookup

    def create(
        self, entity: str, family: Family, body: object, *, seeded: bool = False
    ) -> dict[str, Any]:
        """Create a table, or raise RuleError with every problem. A create carrying technical
        fields is refused [DOC]; a `seeded` definition (what already exists) is stripped of
        them instead, and keeps the `id` it gives (technical.py)."""
        store = self.store
        table_id = None
        if seeded:
            table_id, body = stripped(body, family.technical)
            if table_id is not None and store.get_object(entity, family.kind, table_id):
                raise RuleError([f"id {table_id!r} is already the id of another table"])
        else:
            name = body.get("name") if isinstance(body, Mapping) else None
            label = f"{family.label} {name!r}" if isinstance(name, str) else family.label
            refused = technical_problems(label, body, family.technical)
            if refused:
                raise RuleError(refused)
        with store.transaction():
            taken = store.names(entity, family.kind)  # one lookup, not a listing: O(1) creates
            if family is PROFILE:
                shown = self.parts_shown()
                table = validate_profile_create(body, existing_names=taken, parts=shown)
                stored = store.insert_profile_table(entity, table, table_id)
                return self.answer(family, stored)
            table = validate_create(body, existing_names=taken, references=self.references(entity))
            return store.insert_custom_table(entity, table, table_id)

    def change(
        self, entity: str, family: Family, stored: Mapping[str, Any], body: object
    ) -> dict[str, Any]:
        """Apply a change request, or raise RuleError with every problem.

        Definition rules come first and alone; then the links other tables hold on this one
        and the rows, checked against the new definition together. Values of removed
        attributes leave the rows in the same transaction.
        """
        store = self.store
        with store.transaction():
            if family is PROFILE:
                changed = validate_profile_change(stored, body)
            else:
                changed = validate_change(stored, body, references=self.references(entity))
            label = f"{family.label} {stored['name']!r}"
            pointing = store.referring(
                entity, CUSTOM_TABLE, reference_target(family.reference_type, str(stored["id"]))
            )
            others = [t for t in pointing if t["id"] != stored["id"]]
            problems = kept_reference_problems(
                label, changed["attributes"], referrers(others, family.reference_type, stored["id"])
            )
            rows = store.rows.read(entity, family.kind, stored["id"])
            problems += change_problems(
                label,
                family.noun,
                stored["attributes"],
                changed["attributes"],
                (r["values"] for r in rows.values()),
            )
            if problems:
                raise RuleError(problems)
            store.replace_object(entity, family.kind, stored["id"], changed["name"], changed)
            kept = {a["name"] for a in changed["attributes"]}
            for key, row in dropped_values(rows, kept).items():
                store.rows.put(entity, family.kind, stored["id"], key, row)
        return self.answer(family, changed)


def without_parts(table: dict[str, Any]) -> dict[str, Any]:
    """A profile table as a licence that hides its parts answers it."""
    return {k: v for k, v in table.items() if k not in ("subscriptions", "segmentations")}
