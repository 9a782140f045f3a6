"""What e-mail and SMS campaigns share: target, languages, sending mode, lifecycle.

A campaign is sent to one profile table (`targetTable`, in `targetEntity`, by default the
campaign's own entity); both are fixed once it exists [DOC]: a change is blocked, and the way
around is a new campaign under another name. Its name is unique in its entity [CODE: 409
`ALREADY_USED_MAIL_NAME`] and is its identity here; its id (`campaignId`) is read live.

Lifecycle. ACTITO's API shows a campaign's state; its field and values are [INFER]:
`IN_DEFINITION` (being built: every change, and a delete [DOC], are possible), `ACTIVE` (a
continuous campaign sending as it is triggered) and `SENT` (a mass campaign that went out).
Activating and sending are not configuration: a manifest may state the state it expects
(`state:`), and a difference is a `manual` step in the ACTITO UI — never an API call the tool
would guess. A change to an active campaign is a manual step too (ACTITO takes none through
the API while it runs [INFER]); a change to a sent one is blocked (it is history: the next
sending is a new campaign). Only a campaign in definition can be deleted [DOC]; `--prune`
leaves the others, saying why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, StringConstraints

from actito_iac.kinds.base import Kind, ManifestFiles
from actito_iac.kinds.common import PROFILE_TABLE, inferred_enum
from actito_iac.vocabulary import (
    JSON,
    Address,
    Issue,
    NamedSpec,
    Path,
    Risk,
    Source,
    SpecModel,
    Verdict,
)

SendingMode = Literal["MASS", "CONTINUOUS"]
"""MASS is documented (create body); CONTINUOUS is inferred from the list filter's
`type=MASS_SENDING|CONTINUOUS` [CODE] and the documented continuous campaigns."""

State = Literal["IN_DEFINITION", "ACTIVE", "SENT"]
IN_DEFINITION, ACTIVE, SENT = "IN_DEFINITION", "ACTIVE", "SENT"
STATUS_KEY = "status"
"""[INFER] where a campaign's answer gives its state."""

CAMPAIGN_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"
"""[INFER] a technical name: letters, digits, `_ . -`; ACTITO advises dated names."""
LANGUAGE = r"^[A-Z]{2}$"
"""[DOC] ISO codes in upper case (`FR`); profiles are targeted by their `motherLanguage`."""
SERVER_MANAGED = frozenset({"id", "campaignId", STATUS_KEY})
"""Keys of a live campaign that a write never sends back: ACTITO sets them."""
PERSONALISED_KEEPS = ("type", "valueType")
"""What a personalisation relies on, beyond the attribute being there: its type, which decides
how its value is written into the text [INFER]; retyping it is blocked naming the campaign."""

WORDS = {IN_DEFINITION: "in definition", ACTIVE: "active", SENT: "sent"}


class CampaignSpec(NamedSpec):
    """The fields every campaign has."""

    name: str = Field(
        pattern=CAMPAIGN_NAME,
        description="Technical name, unique in the entity (not shown to recipients); identity.",
    )
    targetTable: str = Field(
        description="The profile table it is sent to; fixed once the campaign exists."
    )
    targetEntity: str | None = Field(
        default=None,
        description="The entity of that table (default: this document's); fixed once created.",
    )
    sendingMode: SendingMode = Field(
        default="MASS",
        **inferred_enum(
            "MASS (documented): sent to the whole target at once. CONTINUOUS: activated, then "
            "sent profile by profile by scenarios or the API.",
            "CONTINUOUS",
        ),
    )
    languages: list[Annotated[str, StringConstraints(pattern=LANGUAGE)]] = Field(
        min_length=1,
        description="Languages (ISO codes, FR, EN…): profiles whose mother language matches.",
    )
    state: State | None = Field(
        default=None,
        **inferred_enum(
            "The state you expect. Never set by the tool: a difference is a manual step in "
            "the ACTITO UI. Left out: not compared. The states exist in ACTITO's UI; their "
            "API spelling does not appear in its documentation.",
            "IN_DEFINITION",
            "ACTIVE",
            "SENT",
        ),
    )

    def target(self, entity: str) -> Address:
        return Address(self.targetEntity or entity, PROFILE_TABLE, self.targetTable)


def check_campaign(spec: CampaignSpec) -> list[Issue]:
    issues: list[Issue] = []
    if len(set(spec.languages)) != len(spec.languages):
        issues.append(Issue(("languages",), "a language is listed twice"))
    if spec.state == ACTIVE and spec.sendingMode != "CONTINUOUS":
        issues.append(Issue(("state",), "only a CONTINUOUS campaign is ever ACTIVE"))
    if spec.state == SENT and spec.sendingMode != "MASS":
        issues.append(Issue(("state",), "only a MASS campaign is ever SENT"))
    return issues


def canonical_campaign(spec: CampaignSpec) -> dict[str, JSON]:
    """The shared part of the canonical form (the target first: what cannot change)."""
    out: dict[str, JSON] = {
        "targetEntity": spec.targetEntity,
        "targetTable": spec.targetTable,
        "sendingMode": spec.sendingMode,
        "languages": sorted(spec.languages),  # a set: the profiles of these languages
    }
    if spec.state is not None:
        out["state"] = spec.state
    return out


FIXED = frozenset({"targetTable", "targetEntity"})


def judge_campaign(
    noun: str,
    path: Path,
    before: JSON,
    after: JSON,
    name: str,
    *,
    fixed: Source = Source.INFER,
    changed: Source = Source.INFER,
) -> Verdict:
    """`fixed`: how sure we are that the target is fixed; `changed`: that the API changes the
    other fields in place (each kind says, from what is known of its endpoints)."""
    head = path[0]
    if head in FIXED:
        return Verdict(
            Risk.SAFE,
            blocked=(
                f"the target table and entity of {_an(noun)} are fixed once it exists: create "
                f"a new {noun} under another name for the new target, and remove {name!r} "
                "(while in definition, --prune deletes it)"
            ),
            source=fixed,
        )
    if head == "state":
        return _judge_state(noun, str(before), str(after), name)
    return Verdict(Risk.SAFE, source=changed)


def _an(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiouAEIOUS" else f"a {noun}"  # "an SMS campaign"


def _judge_state(noun: str, before: str, after: str, name: str) -> Verdict:
    where = f"in the ACTITO UI, open the {noun} {name!r}"
    if before == SENT:
        return Verdict(
            Risk.SAFE,
            blocked=(
                f"{name!r} was sent and stays sent: to send again, create a new {noun} under "
                "another name"
            ),
        )
    if after == ACTIVE:
        step = f"{where} and activate it (activating is not configuration: never done by API)"
    elif after == SENT:
        step = f"{where} and send or schedule it (sending is never done by API)"
    else:
        step = f"{where} and deactivate it, to edit it again (if ACTITO allows it)"
    return Verdict(Risk.SAFE, manual=step)


def lock_of(noun: str, state: str | None, name: str) -> Verdict | None:
    """What a campaign's live state forbids (see the module's docstring)."""
    if state in (None, IN_DEFINITION):
        return None
    if state == SENT:
        return Verdict(
            Risk.SAFE,
            blocked=(
                f"{name!r} was sent: ACTITO changes no sent {noun}; create a new "
                f"{noun} under another name for the next sending"
            ),
        )
    if state == ACTIVE:
        why = "ACTITO takes no change to an active campaign through its API"
    else:
        why = f"its state {state!r} is not one this version knows"
    return Verdict(
        Risk.SAFE,
        manual=(
            f"{name!r} is {WORDS.get(state, state)}: {why}. In the ACTITO UI, make this "
            f"change there, or deactivate the {noun}, apply, and activate it again"
        ),
    )


def refusal_to_delete(state: str | None) -> str:
    if state in (None, IN_DEFINITION):
        return ""
    return (
        f"it is {WORDS.get(state, state)}: ACTITO deletes only a campaign in definition "
        "[documented]"
    )


def status_words(state: str | None) -> str:
    return WORDS.get(state, str(state).lower()) if state else ""


def live_state(payload: Mapping[str, JSON]) -> Any:
    """The state an answer gives (one this version may not know, kept as it is), or None."""
    state = payload.get(STATUS_KEY)
    return state if isinstance(state, str) and state else None


def general_fields(payload: Mapping[str, JSON]) -> dict[str, Any]:
    """A campaign's general data as the licence answers it, as spec fields (what
    general_payload writes back)."""
    return {
        "name": str(payload["name"]),
        "targetTable": str(payload.get("targetTable")),
        "targetEntity": payload.get("entityOfTarget"),
        "sendingMode": payload.get("sendingMode") or "MASS",
        "languages": list(payload.get("supportedLanguages") or []),
        "state": live_state(payload),
    }


def general_payload(
    spec: CampaignSpec, live: Mapping[str, JSON] | None, managed: dict[str, Any]
) -> dict[str, JSON]:
    """A create body, or the whole campaign for a PUT built on the live one: keys this tool
    does not manage go back as ACTITO sent them; keys ACTITO sets are never sent."""
    body: dict[str, Any] = {k: v for k, v in (live or {}).items() if k not in SERVER_MANAGED}
    body.update(
        {
            "name": spec.name,
            # Filled from the document's entity when the manifest was loaded (Kind.complete).
            "entityOfTarget": spec.targetEntity or (live or {}).get("entityOfTarget"),
            "targetTable": spec.targetTable,
            "sendingMode": spec.sendingMode,
            "supportedLanguages": list(spec.languages),
            **managed,
        }
    )
    return body


def exported_document(
    spec: CampaignSpec, entity: str, exclude: frozenset[str] = frozenset()
) -> dict[str, JSON]:
    """The campaign's manifest item: without its defaults, its own entity as target entity,
    or its state while in definition (the state it is created in)."""
    document: dict[str, JSON] = spec.model_dump(
        mode="json", by_alias=True, exclude_defaults=True, exclude={"state", *exclude}
    )
    if spec.targetEntity == entity:
        document.pop("targetEntity", None)
    if spec.state in (ACTIVE, SENT):
        document["state"] = spec.state
    return document


class CampaignKind(Kind):
    """What the campaign kinds share: the target table is what a campaign refers to, the
    target is fixed, and the live state decides what may still change or be deleted."""

    fixed_source: ClassVar[Source] = Source.INFER
    """How sure we are that the target is fixed once the campaign exists."""
    changed_source: ClassVar[Source] = Source.INFER
    """How sure we are that the API changes the other fields in place."""

    def complete(
        self, spec: SpecModel, entity: str, files: ManifestFiles
    ) -> tuple[SpecModel, list[Issue]]:
        """The target entity, when the manifest leaves it out, is the document's own."""
        assert isinstance(spec, CampaignSpec)
        return spec.model_copy(update={"targetEntity": spec.targetEntity or entity}), []

    def references(self, entity: str, spec: SpecModel) -> list[Address]:
        assert isinstance(spec, CampaignSpec)
        return [spec.target(entity)]

    def judge(self, path: Path, before: JSON, after: JSON, name: str = "") -> Verdict:
        return judge_campaign(
            self.noun,
            path,
            before,
            after,
            name,
            fixed=self.fixed_source,
            changed=self.changed_source,
        )

    def locked(self, live: SpecModel, name: str) -> Verdict | None:
        assert isinstance(live, CampaignSpec)
        return lock_of(self.noun, live.state, name)

    def status(self, spec: SpecModel) -> str:
        assert isinstance(spec, CampaignSpec)
        return status_words(spec.state)

    def refuse_delete(self, live: SpecModel) -> str:
        assert isinstance(live, CampaignSpec)
        return refusal_to_delete(live.state)
