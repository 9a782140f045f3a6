"""Profiles: create-or-update, get (by id or `attr=value`) and list (docs/api.md, "Data").

A profile is stored under its `profileId` (a per-table counter) with its attribute values,
its subscription states and its segmentation memberships. With `allowUpdate=true` a write
updates the profile that already holds one of the body's unique values (`emailAddress` first);
otherwise it creates one. [INFER] an update merges, like a record's: attributes left out keep
their values and `null` clears one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from actito_iac.emulator.data.memberships import apply_changes, memberships, segmentation_changes
from actito_iac.emulator.data.row_rules import (
    incoming_problems,
    mandatory_problems,
    pairs,
    parse_text,
)
from actito_iac.emulator.problems import NotFound, RuleError, unknown_keys
from actito_iac.emulator.store import PROFILE_TABLE, Store
from actito_iac.emulator.structures.profile_rules import EMAIL_ADDRESS, TECHNICAL_ATTRIBUTES

# `dataCollectionInformation` is documented; the emulator accepts and ignores it.
_BODY_KEYS = ("attributes", "subscriptions", "segmentations", "dataCollectionInformation")


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Profiles:
    def __init__(self, store: Store, clock: Callable[[], str] = utc_now) -> None:
        self.store = store
        self.clock = clock

    def upsert(
        self, entity: str, table: Mapping[str, Any], body: object, *, allow_update: bool
    ) -> tuple[int, bool]:
        """Write one profile; (its profileId, whether it was created)."""
        label = f"profile of table {table['name']!r}"
        if not isinstance(body, Mapping):
            raise RuleError([f"{label}: the body must be a JSON object"])
        problems: list[str] = []
        unknown_keys("", body, _BODY_KEYS, lambda p: problems.append(f"{label}: {p}"))
        values = pairs(label, body.get("attributes", []), "attributes")
        attributes = {a["name"]: a for a in table["attributes"]}
        problems += incoming_problems(label, attributes, values, generated=TECHNICAL_ATTRIBUTES)
        subscribed = _subscription_changes(label, table, body.get("subscriptions", []), problems)
        segmented = segmentation_changes(label, table, body.get("segmentations", []), problems)
        if problems:
            raise RuleError(problems)
        rows, table_id = self.store.rows, table["id"]
        with self.store.transaction():
            key = self._match(entity, table, values) if allow_update else None
            existing = None if key is None else rows.get(entity, PROFILE_TABLE, table_id, key)
            now = self.clock()
            created = existing is None
            if existing is None:
                profile_id = self.store.next_number(f"profileId/{entity}/{table_id}")
                key = str(profile_id)
                existing = {
                    "values": {"profileId": profile_id, "creationMoment": now},
                    "subscriptions": {},
                    "segmentations": memberships(table),
                }
            assert key is not None
            merged = {**existing["values"], **values, "updateMoment": now}
            merged = {k: v for k, v in merged.items() if v is not None}
            problems = mandatory_problems(label, table["attributes"], merged)
            problems += [
                f"{label}: unique attribute {name!r}: {merged[name]!r} is already used"
                for name in rows.clashes(
                    entity, PROFILE_TABLE, table_id, table["attributes"], merged, key
                )
            ]
            if problems:
                raise RuleError(problems)
            row = {
                "values": merged,
                "subscriptions": {**existing["subscriptions"], **subscribed},
                "segmentations": apply_changes(table, existing["segmentations"], segmented),
            }
            if created or _changed(existing, row):
                rows.put(entity, PROFILE_TABLE, table_id, key, row)
        return int(key), created

    def _match(
        self, entity: str, table: Mapping[str, Any], values: Mapping[str, Any]
    ) -> str | None:
        """The profile holding one of the body's unique values, `emailAddress` first."""
        unique = [a["name"] for a in table["attributes"] if a["unique"] and a["name"] in values]
        unique.sort(key=lambda name: name != EMAIL_ADDRESS)
        for name in unique:
            if values[name] is not None:
                found = self.store.rows.find(entity, PROFILE_TABLE, table["id"], name, values[name])
                if found:
                    return next(iter(found))
        return None

    def get(self, entity: str, table: Mapping[str, Any], key: str) -> dict[str, Any]:
        """By profileId, or by `attr=value` on a unique attribute [CODE]."""
        rows, table_id = self.store.rows, table["id"]
        name, equals, text = key.partition("=")
        if not equals:
            row = rows.get(entity, PROFILE_TABLE, table_id, key)
        else:
            attribute = next((a for a in table["attributes"] if a["name"] == name), None)
            if attribute is None or not attribute["unique"]:
                # [INFER] only a unique attribute designates one profile.
                raise RuleError(
                    [f"profile table {table['name']!r}: {name!r} is not a unique attribute"]
                )
            value = parse_text(attribute, text)
            found = {} if value is None else rows.find(entity, PROFILE_TABLE, table_id, name, value)
            row = next(iter(found.values()), None)
        if row is None:
            raise NotFound(f"no profile {key!r} in profile table {table['name']!r}")
        return {
            "attributes": [{"name": n, "value": v} for n, v in _values(table, row).items()],
            # Every subscription of the table; [INFER] a profile starts unsubscribed.
            "subscriptions": [
                {"name": s["name"], "subscribe": row["subscriptions"].get(s["name"], False)}
                for s in table["subscriptions"]
            ],
            "segmentations": _segmentations_answer(table, row["segmentations"]),
        }

    def page(self, entity: str, table: Mapping[str, Any], number: int) -> list[dict[str, Any]]:
        rows = self.store.rows.read(entity, PROFILE_TABLE, table["id"], limit=number)
        return [{"attributes": _values(table, row)} for row in rows.values()]


def _changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """Whether a write changes anything but `updateMoment`: one that does not is not stored,
    so the moment keeps meaning "last changed" (and re-seeding stores nothing)."""

    def content(row: Mapping[str, Any]) -> dict[str, Any]:
        values = {k: v for k, v in row["values"].items() if k != "updateMoment"}
        return {**row, "values": values}

    return content(before) != content(after)


def _values(table: Mapping[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    """Every attribute in definition order, null when empty [INFER]."""
    return {a["name"]: row["values"].get(a["name"]) for a in table["attributes"]}


def _subscription_changes(
    label: str, table: Mapping[str, Any], raw: object, problems: list[str]
) -> dict[str, bool]:
    """`[{"name", "subscribe": bool}]` → {name: state}; names must be the table's."""
    known = {s["name"] for s in table["subscriptions"]}
    if not isinstance(raw, list):
        problems.append(f"{label}: subscriptions must be a list of {{name, subscribe}} objects")
        return {}
    out: dict[str, bool] = {}
    for index, item in enumerate(raw):
        name = item.get("name") if isinstance(item, Mapping) else None
        subscribe = item.get("subscribe") if isinstance(item, Mapping) else None
        if not isinstance(name, str) or not isinstance(subscribe, bool):
            problems.append(f"{label}: subscriptions[{index}] must be {{name, subscribe: bool}}")
        elif name not in known:
            problems.append(f"{label}: unknown subscription {name!r}")
        else:
            out[name] = subscribe
    return out


def _segmentations_answer(
    table: Mapping[str, Any], held: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Memberships in the write shape, so what is read can be sent back [INFER]."""
    out: list[dict[str, Any]] = []
    for segmentation in table["segmentations"]:
        state = held.get(segmentation["name"])
        if segmentation["type"] == "SIMPLE" and state is True:
            out.append({"belongs": True, "segmentation": {"name": segmentation["name"]}})
        elif segmentation["type"] == "EXCLUSIVE" and isinstance(state, str):
            target = {"category": segmentation["name"], "name": state}
            out.append({"belongs": True, "segmentation": target})
    return out
