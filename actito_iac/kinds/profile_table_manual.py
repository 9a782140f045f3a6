"""Subscriptions and segmentations of a profile table: every change is a manual step.

ACTITO has no API endpoint to create, change or remove either (actito-api.md §3.3), so each
field change under them becomes a `manual` verdict whose text says where in the ACTITO UI to
go, on which table, and what to set — precise enough to follow without reading the manifest.
The risk still says what the step does to data: deleting loses opt-ins or memberships.
"""

from __future__ import annotations

from collections.abc import Mapping

from actito_iac.vocabulary import JSON, Path, Risk, Source, Verdict

# The UI paths are taken from ACTITO's end-user documentation ("Adding a Subscription to the
# Profile Table", "Creating a Segmentation in a Profile Table"). [INFER] deleting and editing
# happen on the same screens, and the subscription pop-up asks for the channel.
_DB_STRUCTURE = "In ACTITO: Catalog › Profiles › Manage DB structure"
_SEGMENTATIONS = "In ACTITO: Catalog › Profiles › Manage Segmentations"
_MEMBERSHIP_LOST = "its profiles lose their membership"


def table_label(table: str) -> str:
    return f'profile table "{table}"' if table else "this profile table"


def judge_subscription(table: str, path: Path, before: JSON, after: JSON) -> Verdict:
    """`path` is ("subscriptions", name) for an add or removal, (…, "channel") for a change."""
    name = path[1]
    tab = f"{_DB_STRUCTURE} › select {table_label(table)} › Update › Subscriptions tab"
    if before is None:
        # [DOC] no API endpoint; the UI's Add is documented.
        return Verdict(Risk.SAFE, manual=f"{tab} › {_add(name, after)}", source=Source.DOC)
    delete = f'{tab} › delete "{name}" (its opt-ins are lost)'
    if after is None:
        # [DOC] a subscription's name becomes a technical value: renaming is delete + add.
        rename = "ACTITO cannot rename a subscription: a rename is this deletion plus an Add"
        return Verdict(Risk.DESTRUCTIVE, manual=f"{delete}; {rename}", source=Source.DOC)
    # [INFER] the channel is set when the subscription is added (its spelling is inferred).
    why = f'subscription "{name}" cannot change channel ({before} → {after})'
    return Verdict(Risk.DESTRUCTIVE, manual=f"{why}: {delete}, then {_add(name, after)}")


def _add(name: str, subscription: JSON) -> str:
    channel = subscription.get("channel") if isinstance(subscription, dict) else subscription
    return f'Add: name "{name}", channel {channel}'


def judge_segmentation(table: str, path: Path, before: JSON, after: JSON) -> Verdict:
    """`path` is ("segmentations", name) for an add or removal, (…, field) for a change."""
    name = path[1]
    database = f'database "{table}"' if table else "the database of this profile table"
    own = f'segmentation "{name}" of {database}'
    if len(path) == 2:
        if before is None:
            # [DOC] created in the UI's "Manage Segmentations" app; no API endpoint.
            create = f"{_SEGMENTATIONS} › {_create(after.get('type'))}"
            return Verdict(
                Risk.SAFE,
                manual=f'{create}: {database}, name "{name}", {_settings(after)}',
                source=Source.DOC,
            )
        # [INFER] deleted on the same screen.
        return Verdict(
            Risk.DESTRUCTIVE, manual=f"{_SEGMENTATIONS} › delete {own} ({_MEMBERSHIP_LOST})"
        )
    field = path[2]
    if field == "type":
        return Verdict(
            Risk.DESTRUCTIVE,
            manual=f"{own} cannot change from {before} to {after}: {_SEGMENTATIONS} › delete it "
            f"({_MEMBERSHIP_LOST}), then {_create(after)} with the values this plan shows",
        )
    if field in ("segments", "mandatory") and (before is None or after is None):
        # Only a change of type adds or drops these: they come with re-creating it.
        return Verdict(Risk.SAFE, manual=f"{own} once created again: {_setting(field, after)}")
    # [INFER] the app edits a segmentation in place; dropping a segment empties it.
    lost = field == "segments" and not set(before or []) <= set(after or [])
    edit = f"{_SEGMENTATIONS} › edit {own} › set: {_setting(field, after)}"
    return Verdict(Risk.DESTRUCTIVE if lost else Risk.SAFE, manual=edit)


def _create(kind: JSON) -> str:
    return (
        f"Create a segmentation › {'Exclusive' if kind == 'EXCLUSIVE' else 'Simple'} › From blank"
    )


def _settings(segmentation: Mapping[str, JSON]) -> str:
    fields = ("segments", "mandatory", "defaultSegment", "history")
    return ", ".join(_setting(f, segmentation[f]) for f in fields if f in segmentation)


def _setting(field: str, value: JSON) -> str:
    if field == "segments":
        return "segments " + ", ".join(f'"{s}"' for s in value) if value else "no segments"
    if field == "defaultSegment":
        return f'default segment "{value}"' if value else "no default segment"
    if field == "mandatory":
        return "mandatory" if value else "not mandatory"
    return "history tracked" if value else "history not tracked"
