"""Change requests built on the live definition: what the tool does not manage is sent back.

A change request carries a whole definition [INFER: the body of `change-requests` is not
documented]. ACTITO's UI makes settings whose JSON spelling nobody here knows (a "Datamart"
value restriction, for one), so every key of the live definition that the tool does not manage
— at the top, inside each attribute, link, event and retention rule, and inside
`valueRestriction` — goes back as ACTITO sent it. Leaving one out would erase the setting.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from actito_iac.vocabulary import JSON


def overlay(live: object, desired: Mapping[str, JSON], managed: Iterable[str]) -> dict[str, JSON]:
    """`desired` over `live`: a managed key takes desired's value, or goes when desired leaves
    it out (that is how a restriction is dropped); every other live key is kept."""
    owned = set(managed)
    out: dict[str, JSON] = (
        {k: v for k, v in live.items() if k not in owned} if isinstance(live, Mapping) else {}
    )
    out.update(desired)
    return out


def overlay_items(
    live: object,
    desired: Iterable[Mapping[str, JSON]],
    *,
    key: str,
    managed: Iterable[str],
    nested: Mapping[str, Iterable[str]] | None = None,
) -> list[dict[str, JSON]]:
    """Each desired item over the live item with the same `key` (a name).

    `nested` names sub-objects merged the same way, with their own managed keys; a nested
    object left with no key at all is left out.
    """
    by_key: dict[Any, Mapping[str, Any]] = {}
    if isinstance(live, list):
        by_key = {item.get(key): item for item in live if isinstance(item, Mapping)}
    out = []
    for item in desired:
        old = by_key.get(item.get(key))
        merged = overlay(old, item, managed)
        for sub, sub_managed in (nested or {}).items():
            wanted = item.get(sub)
            kept = overlay(
                old.get(sub) if old else None,
                wanted if isinstance(wanted, Mapping) else {},
                sub_managed,
            )
            if kept:
                merged[sub] = kept
            else:
                merged.pop(sub, None)
        out.append(merged)
    return out
