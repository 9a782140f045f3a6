"""What both table families share: the v5 structure endpoints and the attribute change rules.

Profile tables and custom tables are read, created and changed the same way (list under a
named property, `POST` to create, `POST …/{id}/change-requests` to change), and their
attributes follow the same documented list of possible modifications.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from actito_iac.actual import Sample
from actito_iac.kinds.base import Kind
from actito_iac.kinds.common import DISPLAY_TEXTS
from actito_iac.kinds.endpoints import Endpoints, UpdateMethod
from actito_iac.kinds.table_rows import attribute_impact, sized_by_rows, table_impact
from actito_iac.vocabulary import JSON, Path, Risk, Source, SpecModel, Verdict

NEW_ATTRIBUTE = "add a new attribute, migrate the values, then remove the old attribute"
IMMUTABLE_FIELDS = frozenset({"type", "valueType", "multiValued"})


class TableKind(Kind):
    """What both table families share: `/<category>/v5/entities/{e}/<resource>` with a list
    wrapper, `POST` to create, `POST …/{id}/change-requests` to change, no delete [DOC: no
    endpoint deletes a table]; display texts managed only where declared; attribute renames;
    and data rows read to size a risky change."""

    declared_only: ClassVar[frozenset[Path]] = DISPLAY_TEXTS
    rename_source: ClassVar[Source] = Source.DOC  # technical names are immutable

    @staticmethod
    def structure(category: str, resource: str, list_key: str) -> Endpoints:
        return Endpoints(
            category=category,
            version="v5",
            resource=resource,
            list_key=list_key,
            update=UpdateMethod.CHANGE_REQUEST,
        )

    def renames(self, spec: SpecModel) -> list[tuple[Path, Path]]:
        return attribute_renames(getattr(spec, "attributes", []))

    def renamed_from(self, spec: SpecModel) -> str | None:
        former = getattr(spec, "renamedFrom", None)
        return str(former) if former else None

    def explain_rename(self, old: Path, new: Path) -> str:
        return (
            f"{self.name} attribute rename {old[-1]!r} → {new[-1]!r}: ACTITO cannot rename an "
            f"attribute (technical names are immutable); add {new[-1]!r}, copy the values, then "
            f"remove {old[-1]!r} — remove renamedFrom to plan exactly that"
        )

    def explain_object_rename(self, old: str, new: str) -> str:
        return (
            f"rename {old!r} → {new!r}: ACTITO cannot rename a {self.name} "
            "(technical names are immutable). Keep the old name in the manifest, or remove "
            f"renamedFrom to create {new!r}, migrate the data, and delete {old!r} in the "
            "ACTITO UI"
        )

    def sized_by_data(self, path: Path) -> bool:
        return sized_by_rows(path)

    def field_impact(self, path: Path, after: JSON, sample: Sample | None) -> str:
        return attribute_impact(path, after, sample)

    def object_impact(self, sample: Sample | None) -> str:
        return table_impact(sample)


def attribute_renames(attributes: Sequence[Any]) -> list[tuple[Path, Path]]:
    """Rename intents (`renamedFrom`) as (new path, old path) in canonical form."""
    return [
        (("attributes", a.name), ("attributes", a.renamedFrom)) for a in attributes if a.renamedFrom
    ]


def judge_attribute_field(name: str, field: str, before: JSON, after: JSON) -> Verdict:
    """One field of an existing attribute, by ACTITO's list of possible modifications [DOC]
    (Modifying_a_custom_table_via_JSON, Modifying_a_profile_table)."""
    if field in IMMUTABLE_FIELDS:
        why = f"the {field} of attribute {name!r} cannot be changed; {NEW_ATTRIBUTE}"
        return Verdict(Risk.SAFE, why, source=Source.DOC)
    if field in ("mandatory", "unique"):
        # [DOC] both ways are listed; [DOC] making a field unique fails on duplicates.
        return Verdict(Risk.MAY_FAIL_ON_DATA if after else Risk.SAFE, source=Source.DOC)
    if field == "acceptedValues":
        if before is None:
            # [DOC] adding possible values succeeds only if every existing value complies.
            return Verdict(Risk.MAY_FAIL_ON_DATA, source=Source.DOC)
        if after is not None and set(before) <= set(after):
            return Verdict(Risk.SAFE, source=Source.DOC)
        # [INFER] ACTITO lists only "adding accepted values" among possible modifications.
        return Verdict(
            Risk.SAFE, "accepted values can only be added, not removed; " + NEW_ATTRIBUTE
        )
    if field in ("minLength", "maxLength"):
        # [INFER] not in ACTITO's list of possible modifications.
        return Verdict(
            Risk.SAFE, f"{field} of attribute {name!r} cannot be changed; {NEW_ATTRIBUTE}"
        )
    return Verdict(Risk.SAFE, source=Source.DOC)  # indexed, display texts: listed [DOC]


def judge_added_or_removed(before: JSON, after: JSON) -> Verdict:
    """[DOC] adding and deleting an attribute are listed modifications. [INFER] a new
    mandatory attribute fails on a table with rows (they would have no value)."""
    if before is None:
        if after.get("mandatory"):
            return Verdict(Risk.MAY_FAIL_ON_DATA)
        return Verdict(Risk.SAFE, source=Source.DOC)
    return Verdict(Risk.DESTRUCTIVE, source=Source.DOC)  # removing an attribute drops its values
