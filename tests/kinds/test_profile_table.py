"""The profile table kind, pure: canonical form, payloads both ways, and the change rules."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actito_iac.kinds.profile_table import ProfileTableKind
from actito_iac.kinds.profile_table_spec import TECHNICAL_ATTRIBUTES, ProfileTableSpec
from actito_iac.vocabulary import Risk

KIND = ProfileTableKind()

# What ACTITO adds to every stored definition (docs/api.md), with a display text of its own.
GENERATED = [
    {"type": "CUSTOM", "name": "profileId", "unique": True, "mandatory": True,
     "valueType": "INTEGER", "multiValued": False},
    {"type": "CUSTOM", "name": "creationMoment", "unique": False, "mandatory": True,
     "valueType": "TIMESTAMP", "multiValued": False},
]  # fmt: skip


def NO_IDS(kind: str, name: str) -> str:
    raise KeyError(name)


def NO_NAMES(kind: str, object_id: str) -> str | None:
    return None


def stored(spec: ProfileTableSpec) -> dict[str, Any]:
    """What the server would hold after creating `spec`: an id and technical attributes."""
    body = KIND.payload(spec, NO_IDS, None)
    body["attributes"] = copy.deepcopy(GENERATED) + body["attributes"]
    body["displayOptions"]["forAttributes"].insert(
        0, {"name": "profileId", "description": "Profile id"}
    )
    return {"id": "16", **body}


def canonical_of(doc: dict[str, Any]) -> dict[str, Any]:
    return KIND.canonical(ProfileTableSpec.model_validate(doc))


# -- canonical form ---------------------------------------------------------------------------


def test_canonical_form_of_the_example(customers: dict[str, Any]) -> None:
    canonical = canonical_of(customers)
    assert canonical["displayName"] == "Our customers"
    assert canonical["attributes"]["firstName"] == {
        "type": "FIRSTNAME",
        "mandatory": False,
        "unique": False,
    }
    assert canonical["attributes"]["interests"]["acceptedValues"] == ["FASHION", "HOME", "SPORT"]
    assert canonical["attributes"]["interests"]["multiValued"] is True
    assert canonical["subscriptions"] == {"Newsletter": {"channel": "EMAIL"}}
    assert canonical["segmentations"] == {
        "VIP": {"type": "SIMPLE", "history": False},
        "Tier": {
            "type": "EXCLUSIVE",
            "segments": ["Bronze", "Gold", "Silver"],
            "mandatory": True,
            "defaultSegment": "Bronze",
            "history": True,
        },
    }


def test_canonical_form_never_holds_technical_attributes(customers: dict[str, Any]) -> None:
    live = KIND.spec_from_payload(stored(ProfileTableSpec.model_validate(customers)), NO_NAMES)
    canonical = KIND.canonical(live)
    assert not set(canonical["attributes"]) & TECHNICAL_ATTRIBUTES
    # Even a spec built around the checks leaves them out.
    customers["attributes"].append({"name": "profileId", "valueType": "INTEGER"})
    assert "profileId" not in canonical_of(customers)["attributes"]


def test_order_of_segments_and_accepted_values_does_not_matter(
    customers: dict[str, Any],
) -> None:
    before = canonical_of(customers)
    customers["segmentations"][1]["segments"].reverse()
    customers["attributes"][4]["acceptedValues"].reverse()
    assert canonical_of(customers) == before


# -- payloads both ways -----------------------------------------------------------------------


def test_create_body_carries_subscriptions_and_segmentations_not_technical_attributes(
    customers: dict[str, Any],
) -> None:
    body = KIND.payload(ProfileTableSpec.model_validate(customers), NO_IDS, None)
    assert [a["name"] for a in body["attributes"]] == [
        "emailAddress", "firstName", "motherLanguage", "customerId", "interests"
    ]  # fmt: skip
    assert body["attributes"][1] == {
        "type": "FIRSTNAME", "name": "firstName", "mandatory": False, "unique": False
    }  # fmt: skip
    assert body["attributes"][3]["valueRestriction"] == {"maxLength": 255}
    assert body["subscriptions"] == [{"name": "Newsletter", "channel": "EMAIL"}]
    assert body["segmentations"][0] == {"name": "VIP", "type": "SIMPLE", "history": False}
    assert body["displayOptions"] == {
        "displayName": "Our customers",
        "forAttributes": [
            {
                "name": "customerId",
                "displayName": "Customer id",
                "description": "Id in the web shop",
            }
        ],
    }
    assert "id" not in body


def test_change_request_keeps_what_the_api_will_not_change(customers: dict[str, Any]) -> None:
    live = stored(ProfileTableSpec.model_validate(customers))
    live["subscriptions"].append({"name": "Partners", "channel": "EMAIL"})  # made in the UI
    live["segmentations"] = [{"name": "Legacy", "type": "SIMPLE"}]
    live["futureKey"] = {"kept": True}
    live["displayOptions"]["description"] = "described in the UI"
    customers["subscriptions"].append({"name": "Promotions", "channel": "SMS"})
    customers["attributes"].append({"name": "shop", "valueType": "STRING", "displayName": "Shop"})
    customers.pop("displayName")

    body = KIND.payload(ProfileTableSpec.model_validate(customers), NO_IDS, live)

    assert body["subscriptions"] == live["subscriptions"]
    assert body["segmentations"] == live["segmentations"]
    assert body["futureKey"] == {"kept": True}
    assert body["attributes"][:2] == GENERATED
    assert [a["name"] for a in body["attributes"][2:]][-1] == "shop"
    assert body["displayOptions"]["forAttributes"][0] == live["displayOptions"]["forAttributes"][0]
    assert {"name": "shop", "displayName": "Shop"} in body["displayOptions"]["forAttributes"]
    assert body["displayOptions"]["description"] == "described in the UI"
    # A display text the manifest leaves out is not managed: the licence's own stays.
    assert body["displayOptions"]["displayName"] == live["displayOptions"]["displayName"]
    assert "id" not in body


def test_reading_never_fails_on_values_this_version_does_not_know() -> None:
    live = {
        "id": "3",
        "name": "Members",
        "attributes": [
            {"type": "LOYALTY_CARD", "name": "card", "mandatory": False, "unique": True},
            {"type": "CUSTOM", "name": "tier", "valueType": "ENUM", "multiValued": False},
        ],
        "subscriptions": [{"name": "News", "channel": "PUSH"}],
        "segmentations": [{"name": "Odd", "type": "EXCLUSIVE"}],
    }
    canonical = KIND.canonical(KIND.spec_from_payload(live, NO_NAMES))
    assert canonical["attributes"]["card"]["type"] == "LOYALTY_CARD"
    assert canonical["attributes"]["tier"]["valueType"] == "ENUM"
    assert canonical["subscriptions"] == {"News": {"channel": "PUSH"}}
    assert canonical["segmentations"]["Odd"]["type"] == "EXCLUSIVE"


def test_identify_reads_the_numeric_id_and_the_name() -> None:
    assert KIND.identify({"id": "16", "name": "Customers"}, lambda k, i: None) == (
        "16",
        "Customers",
    )


def test_profile_tables_link_to_nothing(customers: dict[str, Any]) -> None:
    assert KIND.references("B2C", ProfileTableSpec.model_validate(customers)) == []


NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,10}", fullmatch=True)
TEXTS = st.none() | st.text(min_size=1, max_size=8)
CUSTOM_ATTRIBUTES = st.fixed_dictionaries(
    {"valueType": st.sampled_from(["LONG", "INTEGER", "TIMESTAMP", "BOOLEAN"])},
    optional={
        "multiValued": st.booleans(),
        "mandatory": st.booleans(),
        "unique": st.booleans(),
        "displayName": TEXTS,
        "description": TEXTS,
    },
)
STRING_ATTRIBUTES = st.fixed_dictionaries(
    {"valueType": st.just("STRING")},
    optional={
        "maxLength": st.integers(1, 999),
        "acceptedValues": st.lists(st.text(min_size=1, max_size=5), min_size=1, unique=True),
        "mandatory": st.booleans(),
    },
)
PREDEFINED = st.fixed_dictionaries(
    {"type": st.sampled_from(["FIRSTNAME", "SEX", "GSM_NUMBER", "ADDRESS_CITY"])},
    optional={"unique": st.booleans(), "description": TEXTS},
)
SEGMENTATIONS = st.fixed_dictionaries(
    {},
    optional={
        "segments": st.lists(st.text(min_size=1, max_size=5), min_size=2, unique=True),
        "history": st.booleans(),
    },
)


@st.composite
def tables(draw: st.DrawFn) -> ProfileTableSpec:
    names = draw(st.lists(NAMES, min_size=1, max_size=6, unique=True))
    names = [n for n in names if n not in TECHNICAL_ATTRIBUTES] or ["emailAddress"]
    attributes = []
    for name in names:
        fields = draw(st.one_of(CUSTOM_ATTRIBUTES, STRING_ATTRIBUTES, PREDEFINED))
        attributes.append({"name": name, **{k: v for k, v in fields.items() if v is not None}})
    channels = draw(st.lists(st.sampled_from(["EMAIL", "SMS"]), max_size=3))
    segmentations = draw(st.lists(SEGMENTATIONS, max_size=3))
    return ProfileTableSpec.model_validate(
        {
            "name": draw(NAMES),
            "displayName": draw(TEXTS),
            "attributes": attributes,
            "subscriptions": [
                {"name": f"S{i}", "channel": c} for i, c in enumerate(["EMAIL", *channels])
            ],
            "segmentations": [{"name": f"G{i}", **s} for i, s in enumerate(segmentations)],
        }
    )


@given(tables())
def test_round_trip_through_the_api_keeps_the_canonical_form(spec: ProfileTableSpec) -> None:
    live = KIND.spec_from_payload(stored(spec), NO_NAMES)
    assert KIND.canonical(live) == KIND.canonical(spec)
    # A change request of an unchanged spec reads back the same, too.
    again = {"id": "16", **KIND.payload(spec, NO_IDS, stored(spec))}
    assert KIND.canonical(KIND.spec_from_payload(again, NO_NAMES)) == KIND.canonical(spec)


# -- change rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "before", "after", "why"),
    [
        ("type", "CUSTOM", "FIRSTNAME", "the type of attribute 'customerId' cannot be changed"),
        ("valueType", "STRING", "LONG", "the valueType of attribute 'customerId' cannot"),
        ("multiValued", False, True, "the multiValued of attribute 'customerId' cannot"),
        ("maxLength", 255, 100, "maxLength of attribute 'customerId' cannot be changed"),
        ("minLength", None, 2, "minLength of attribute 'customerId' cannot be changed"),
        ("acceptedValues", ["A", "B"], ["A"], "accepted values can only be added, not removed"),
        ("acceptedValues", ["A"], None, "accepted values can only be added, not removed"),
    ],
)
def test_attribute_changes_actito_forbids_are_blocked(
    field: str, before: object, after: object, why: str
) -> None:
    verdict = KIND.judge(("attributes", "customerId", field), before, after)
    assert verdict.blocked.startswith(why)
    assert verdict.blocked.endswith(
        "add a new attribute, migrate the values, then remove the old attribute"
    )
    assert not verdict.manual


@pytest.mark.parametrize(
    ("path", "before", "after", "risk"),
    [
        (("attributes", "shop"), None, {"type": "CUSTOM", "mandatory": False}, Risk.SAFE),
        (("attributes", "x"), None, {"type": "CUSTOM", "mandatory": True}, Risk.MAY_FAIL_ON_DATA),
        (("attributes", "shop"), {"type": "CUSTOM"}, None, Risk.DESTRUCTIVE),
        (("attributes", "shop", "mandatory"), False, True, Risk.MAY_FAIL_ON_DATA),
        (("attributes", "shop", "unique"), False, True, Risk.MAY_FAIL_ON_DATA),
        (("attributes", "shop", "unique"), True, False, Risk.SAFE),
        (("attributes", "shop", "acceptedValues"), None, ["A"], Risk.MAY_FAIL_ON_DATA),
        (("attributes", "shop", "acceptedValues"), ["A"], ["A", "B"], Risk.SAFE),
        (("attributes", "shop", "displayName"), None, "Shop", Risk.SAFE),
        (("attributes", "shop", "description"), "old", "new", Risk.SAFE),
        (("displayName",), "Old", "New", Risk.SAFE),
    ],
)  # fmt: skip
def test_attribute_changes_the_api_makes(
    path: tuple[str, ...], before: object, after: object, risk: Risk
) -> None:
    verdict = KIND.judge(path, before, after)
    assert (verdict.risk, verdict.blocked, verdict.manual) == (risk, "", "")


def test_the_email_address_cannot_be_removed() -> None:
    verdict = KIND.judge(("attributes", "emailAddress"), {"type": "EMAIL_ADDRESS"}, None)
    assert "'emailAddress' cannot be removed" in verdict.blocked


def test_adding_a_subscription_is_a_manual_step_naming_table_item_and_channel() -> None:
    verdict = KIND.judge(("subscriptions", "Promotions"), None, {"channel": "SMS"}, "Customers")
    assert verdict.risk is Risk.SAFE
    assert not verdict.blocked
    assert verdict.manual == (
        'In ACTITO: Catalog › Profiles › Manage DB structure › select profile table "Customers" '
        '› Update › Subscriptions tab › Add: name "Promotions", channel SMS'
    )


def test_removing_a_subscription_is_manual_and_destructive() -> None:
    verdict = KIND.judge(("subscriptions", "Old"), {"channel": "EMAIL"}, None, "Customers")
    assert verdict.risk is Risk.DESTRUCTIVE
    assert 'profile table "Customers"' in verdict.manual
    assert 'delete "Old" (its opt-ins are lost)' in verdict.manual
    assert "cannot rename a subscription" in verdict.manual


def test_a_subscription_channel_change_is_a_delete_and_an_add() -> None:
    verdict = KIND.judge(("subscriptions", "News", "channel"), "EMAIL", "SMS", "Customers")
    assert verdict.risk is Risk.DESTRUCTIVE
    assert verdict.manual.startswith('subscription "News" cannot change channel (EMAIL → SMS)')
    assert verdict.manual.endswith('then Add: name "News", channel SMS')


def test_adding_a_segmentation_says_where_and_every_value_to_set() -> None:
    after = {
        "type": "EXCLUSIVE",
        "segments": ["Bronze", "Gold"],
        "mandatory": True,
        "defaultSegment": "Bronze",
        "history": True,
    }
    verdict = KIND.judge(("segmentations", "Tier"), None, after, "Customers")
    assert verdict.risk is Risk.SAFE
    assert verdict.manual == (
        "In ACTITO: Catalog › Profiles › Manage Segmentations › Create a segmentation › "
        'Exclusive › From blank: database "Customers", name "Tier", '
        'segments "Bronze", "Gold", mandatory, default segment "Bronze", history tracked'
    )


def test_removing_a_segmentation_is_manual_and_destructive() -> None:
    verdict = KIND.judge(("segmentations", "VIP"), {"type": "SIMPLE"}, None, "Customers")
    assert verdict.risk is Risk.DESTRUCTIVE
    assert not verdict.blocked
    assert 'Manage Segmentations › delete segmentation "VIP"' in verdict.manual
    assert 'of database "Customers"' in verdict.manual


@pytest.mark.parametrize(
    ("field", "before", "after", "risk", "text"),
    [
        ("segments", ["A", "B"], ["A", "B", "C"], Risk.SAFE, 'segments "A", "B", "C"'),
        ("segments", ["A", "B"], ["A", "C"], Risk.DESTRUCTIVE, 'segments "A", "C"'),
        ("history", False, True, Risk.SAFE, "history tracked"),
        ("defaultSegment", "A", None, Risk.SAFE, "no default segment"),
        ("type", "SIMPLE", "EXCLUSIVE", Risk.DESTRUCTIVE, "cannot change from SIMPLE"),
    ],
)
def test_segmentation_changes_are_manual(
    field: str, before: object, after: object, risk: Risk, text: str
) -> None:
    verdict = KIND.judge(("segmentations", "Tier", field), before, after, "Customers")
    assert verdict.risk is risk
    assert not verdict.blocked
    assert text in verdict.manual
    assert 'segmentation "Tier"' in verdict.manual


def test_a_type_change_is_one_recreation_not_a_series_of_edits() -> None:
    verdicts = {
        field: KIND.judge(("segmentations", "Tier", field), before, after, "Customers")
        for field, before, after in [
            ("type", "SIMPLE", "EXCLUSIVE"),
            ("segments", None, ["A", "B"]),
            ("mandatory", None, False),
        ]
    }
    assert verdicts["type"].risk is Risk.DESTRUCTIVE
    assert verdicts["type"].manual.endswith(
        "then Create a segmentation › Exclusive › From blank with the values this plan shows"
    )
    assert verdicts["segments"].manual.endswith('once created again: segments "A", "B"')
    assert verdicts["mandatory"].manual.endswith("once created again: not mandatory")
    assert all("edit" not in v.manual for v in verdicts.values())


def test_without_a_table_name_the_steps_still_read() -> None:
    verdict = KIND.judge(("subscriptions", "Promotions"), None, {"channel": "SMS"})
    assert "select this profile table ›" in verdict.manual


def test_rename_intents_are_attribute_paths(customers: dict[str, Any]) -> None:
    customers["attributes"].append(
        {"name": "oldName2", "valueType": "STRING", "renamedFrom": "oldName"}
    )
    spec = ProfileTableSpec.model_validate(customers)
    assert KIND.renames(spec) == [(("attributes", "oldName2"), ("attributes", "oldName"))]
