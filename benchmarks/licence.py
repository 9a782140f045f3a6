"""Generated licences for the benchmarks: manifests on disk and the matching emulator seed.

One licence is `tables` custom tables of ten attributes each (plus one profile table per
hundred), in entity B2C, written one file per object as `export` lays them out. A variant
changes a share of the tables on one side only:

- `drift`: the manifests add an attribute the licence lacks (a safe update);
- `risky`: the manifests make an attribute mandatory (may fail on data: the plan reads rows);
- `empty`: the licence holds the entity only (everything is a create).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENTITY = "B2C"
ATTRIBUTES = 10

_TYPES = ("NUMBER", "BOOLEAN", "TIMESTAMP", "STRING", "LONG", "DATE", "STRING", "NUMBER")


@dataclass(frozen=True)
class Licence:
    tables: int
    variant: str = "sync"  # sync | drift | risky | empty
    share: float = 0.1

    @property
    def profile_tables(self) -> int:
        return max(1, self.tables // 100)

    def changed(self, index: int) -> bool:
        """Whether table `index` differs between the manifests and the licence."""
        if self.variant not in ("drift", "risky"):
            return False
        step = max(1, round(1 / self.share))
        return index % step == 0

    @property
    def changed_count(self) -> int:
        return sum(self.changed(i) for i in range(self.tables))


def custom_attributes(index: int) -> list[dict[str, Any]]:
    attributes: list[dict[str, Any]] = [
        {"name": "id", "valueType": "STRING", "mandatory": True, "unique": True, "indexed": True}
    ]
    for n, value_type in enumerate(_TYPES, start=1):
        attribute: dict[str, Any] = {"name": f"a{n}", "valueType": value_type}
        if value_type == "STRING" and n % 2:
            attribute["acceptedValues"] = ["NEW", "SHIPPED", "CANCELED"]
        if value_type == "STRING" and not n % 2:
            attribute["maxLength"] = 40 + index % 20
        attributes.append(attribute)
    attributes.append({"name": "updatedAt", "valueType": "TIMESTAMP", "indexed": index % 2 == 0})
    assert len(attributes) == ATTRIBUTES
    return attributes


def custom_table(index: int, *, extra: bool = False, risky: bool = False) -> dict[str, Any]:
    attributes = custom_attributes(index)
    if extra:
        attributes.append({"name": "note", "valueType": "STRING"})
    if risky:
        attributes[1] = {**attributes[1], "mandatory": True}
    return {"name": f"T{index:05d}", "primaryKey": "id", "attributes": attributes}


def profile_table(index: int) -> dict[str, Any]:
    return {
        "name": f"P{index:03d}",
        "attributes": [
            {"name": "emailAddress", "type": "EMAIL_ADDRESS", "mandatory": True, "unique": True},
            {"name": "firstName", "type": "FIRSTNAME"},
            {"name": "customerId", "valueType": "LONG", "unique": True},
            {"name": "tier", "valueType": "STRING", "acceptedValues": ["A", "B", "C"]},
        ],
        "subscriptions": [{"name": "Newsletter", "channel": "EMAIL"}],
    }


def write_manifests(licence: Licence, folder: Path) -> int:
    """One file per object, in flow style as `export` writes attributes; returns the count."""
    tables = folder / ENTITY / "customTables"
    tables.mkdir(parents=True, exist_ok=True)
    for i in range(licence.tables):
        drift = licence.changed(i)
        spec = custom_table(
            i,
            extra=drift and licence.variant == "drift",
            risky=drift and licence.variant == "risky",
        )
        (tables / f"{spec['name']}.yaml").write_text(
            _document("customTables", spec), encoding="utf-8"
        )
    profiles = folder / ENTITY / "profileTables"
    profiles.mkdir(parents=True, exist_ok=True)
    for i in range(licence.profile_tables):
        spec = profile_table(i)
        (profiles / f"{spec['name']}.yaml").write_text(
            _document("profileTables", spec), encoding="utf-8"
        )
    return licence.tables + licence.profile_tables


def seed(licence: Licence, rows: int = 3) -> dict[str, Any]:
    """The licence as an emulator seed: what the manifests describe, before their changes.

    Tables planned with a risky change hold `rows` records, so the plan has data to count.
    """
    document: dict[str, Any] = {"entities": [{"name": ENTITY}]}
    if licence.variant == "empty":
        return document
    document["customTables"] = [
        {"entity": ENTITY, "definition": _seed_definition(custom_table(i))}
        for i in range(licence.tables)
    ]
    document["profileTables"] = [
        {"entity": ENTITY, "definition": profile_table(i)} for i in range(licence.profile_tables)
    ]
    if licence.variant == "risky":
        document["records"] = [
            {
                "entity": ENTITY,
                "table": f"T{i:05d}",
                "rows": [{"id": f"r{n}", "a1": n} for n in range(rows)],
            }
            for i in range(licence.tables)
            if licence.changed(i)
        ]
    return document


def _seed_definition(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": spec["name"],
        "type": "INTERACTIONS",
        "primaryKeyAttribute": spec["primaryKey"],
        "bigTable": False,
        "attributes": [
            {"mandatory": False, "unique": False, "indexed": False, **a}
            for a in spec["attributes"]
        ],
    }


def _document(section: str, spec: dict[str, Any]) -> str:
    lines = [f"entity: {ENTITY}", f"{section}:", f"  - name: {spec['name']}"]
    for key, value in spec.items():
        if key in ("name", "attributes"):
            continue
        if isinstance(value, list):
            lines.append(f"    {key}:")
            lines += [f"      - {_flow(item)}" for item in value]
        else:
            lines.append(f"    {key}: {value}")
    lines.append("    attributes:")
    lines += [f"      - {_flow(a)}" for a in spec["attributes"]]
    return "\n".join(lines) + "\n"


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
