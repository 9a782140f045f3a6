"""What profile-table and custom-table definitions share: names, value types, restrictions.

Pure helpers reporting through a `Report` callback, so a caller collects every problem of a
definition before answering (a client fixing a definition wants them all at once).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from actito_iac.emulator.problems import Report, unknown_keys

# The 64-character limit is documented. [INFER] the character set (letter first, then letters,
# digits, `_`), the same pattern the client checks manifests against.
TECHNICAL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")

# STRING, LONG, NUMBER, TIMESTAMP are documented for custom tables; INTEGER only for profile
# tables. [INFER] INTEGER, BOOLEAN and DATE are accepted on custom tables (never seen there).
VALUE_TYPES = frozenset({"STRING", "LONG", "NUMBER", "TIMESTAMP", "INTEGER", "BOOLEAN", "DATE"})

RESTRICTION_KEYS = ("minLength", "maxLength", "acceptedValues")

# [INFER] Stand-ins for settings that only ACTITO's UI makes and whose JSON spelling nobody here
# knows (the UI's "Datamart" value restriction, for one). The emulator stores and serves them,
# and a definition sent without them loses them, as ACTITO would: a client that drops keys it
# does not manage is caught by the tests instead of by a licence.
UI_ATTRIBUTE_KEYS = ("uiOnlySetting",)
UI_RESTRICTION_KEYS = ("datamart",)


def is_technical_name(value: object) -> bool:
    return isinstance(value, str) and TECHNICAL_NAME.fullmatch(value) is not None


def check_name(name: object, bad: Report) -> None:
    """An object's `name` must be a technical name."""
    if not is_technical_name(name):
        bad(f"name {name!r} is not a technical name (a letter, then letters, digits or _)")


def table_head(
    definition: Mapping[str, Any], noun: str, allowed: Collection[str]
) -> tuple[object, list[str], Report]:
    """(name, problems, report) for a table definition: every problem is collected, prefixed
    with the table's label; unknown keys and a non-technical name are reported already."""
    name = definition.get("name")
    label = f"{noun} {name!r}" if isinstance(name, str) else noun
    problems: list[str] = []

    def bad(message: str) -> None:
        problems.append(f"{label}: {message}")

    unknown_keys("", definition, allowed, bad)
    if not is_technical_name(name):
        bad(f"name {name!r} is not a technical name (a letter, then letters, digits or _; ≤ 64)")
    return name, problems, bad


def attribute_head(
    index: int, raw: object, allowed: Collection[str], bad: Report
) -> tuple[str, str, Mapping[str, Any]] | None:
    """(name, where, raw) of the index-th attribute when it is an object with a technical
    name, its unknown keys reported; None (and reported) otherwise."""
    if not isinstance(raw, Mapping):
        bad(f"attributes[{index}] must be an object")
        return None
    name = raw.get("name")
    if not is_technical_name(name):
        bad(f"attributes[{index}]: name {name!r} is not a technical name")
        return None
    where = f"attribute {name!r}"
    unknown_keys(where, raw, (*allowed, *UI_ATTRIBUTE_KEYS), bad)
    return str(name), where, raw


def ui_settings(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The UI-only settings of an attribute, kept as sent."""
    return {key: raw[key] for key in UI_ATTRIBUTE_KEYS if key in raw}


def flag(where: str, raw: Mapping[str, Any], name: str, bad: Report) -> bool:
    """A boolean property, false when absent. [INFER] the server default false."""
    value = raw.get(name, False)
    if not isinstance(value, bool):
        bad(f"{where}: {name} must be true or false" if where else f"{name} must be true or false")
        return False
    return value


def restriction(
    where: str, value_type: object, raw: object, bad: Report, *, string_like: bool = False
) -> dict[str, Any]:
    """The normalised `valueRestriction` (null members dropped; `{}` when there is none).

    `string_like` lets an attribute without a value type (a predefined profile attribute,
    which holds text) take a restriction.
    """
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        bad(f"{where}: valueRestriction must be an object")
        return {}
    for key in sorted(set(raw) - {*RESTRICTION_KEYS, *UI_RESTRICTION_KEYS}, key=str):
        bad(f"{where}: unknown valueRestriction property {key!r}")
    out = {k: raw[k] for k in RESTRICTION_KEYS if raw.get(k) is not None}
    if out and value_type != "STRING" and not string_like:
        bad(f"{where}: only STRING attributes take a valueRestriction")  # [INFER]
    for key, low in (("minLength", 0), ("maxLength", 1)):
        value = out.get(key)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < low
        ):
            bad(f"{where}: {key} must be an integer ≥ {low}")
            out.pop(key)
    if "minLength" in out and "maxLength" in out and out["minLength"] > out["maxLength"]:
        bad(f"{where}: minLength is above maxLength")
    values = out.get("acceptedValues")
    if values is not None:
        if (
            not isinstance(values, list)
            or not values
            or not all(isinstance(v, str) for v in values)
        ):
            bad(f"{where}: acceptedValues must be a non-empty list of strings")
        elif len(set(values)) != len(values):
            bad(f"{where}: acceptedValues lists a value twice")  # [INFER]
    out.update({k: raw[k] for k in UI_RESTRICTION_KEYS if k in raw})
    return out


def restriction_change_problems(
    where: str, old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[str]:
    """Lengths are fixed; accepted values may be added, or a restriction introduced [DOC]."""
    old_r = old.get("valueRestriction", {})
    new_r = new.get("valueRestriction", {})
    problems = [
        # [INFER] lengths are not in ACTITO's list of possible modifications.
        f"{where}: {key} cannot be changed ({old_r.get(key)!r} → {new_r.get(key)!r})"
        for key in ("minLength", "maxLength")
        if old_r.get(key) != new_r.get(key)
    ]
    # [INFER] removing accepted values, or dropping the restriction, is refused.
    before = old_r.get("acceptedValues")
    if before is None:
        return problems
    after = new_r.get("acceptedValues")
    if after is None:
        problems.append(f"{where}: the accepted-values restriction cannot be dropped")
        return problems
    removed = [v for v in before if v not in after]
    if removed:
        problems.append(
            f"{where}: accepted values cannot be removed ({', '.join(map(repr, removed))})"
        )
    return problems
