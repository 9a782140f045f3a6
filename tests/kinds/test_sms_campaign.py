"""SMS campaigns: every endpoint inferred, a table with a mobile number required (offline and
against the licence), texts per language, payloads."""

from __future__ import annotations

from pathlib import Path

import pytest

from actito_iac.errors import ManifestError
from actito_iac.kinds.sms_campaign import SmsCampaignKind, SmsCampaignSpec, has_mobile_number
from actito_iac.manifest.loader import load
from actito_iac.plan.planner import check_manifests
from actito_iac.vocabulary import Source

KIND = SmsCampaignKind()
SMS = """\
entity: B2C
smsCampaigns:
  - name: shipped
    targetTable: Customers
    languages: [EN, FR]
    messages:
      EN: Shipped, $${firstName}
      FR: Parti
"""


def table(attribute: str) -> str:
    return f"""\
profileTables:
  - name: Customers
    attributes:
      - {{name: emailAddress, type: EMAIL_ADDRESS}}
      - {attribute}
    subscriptions: [{{name: News}}]
"""


def test_every_operation_is_marked_inferred() -> None:
    assert {op.source for _, op in KIND.capabilities.rows()} == {Source.INFER}


@pytest.mark.parametrize(
    ("attribute", "found"),
    [
        ("{name: mobile, type: GSM_NUMBER}", True),
        ("{name: gsmNumber, valueType: STRING}", True),
        ("{name: phone, valueType: STRING}", False),
    ],
)
def test_the_table_in_the_manifests_needs_a_mobile_number(
    tmp_path: Path, attribute: str, found: bool
) -> None:
    manifest = tmp_path / "b2c.yaml"
    manifest.write_text(SMS + table(attribute), encoding="utf-8")
    problems = check_manifests(load([manifest], {}))
    if found:
        assert problems == []
        return
    assert [(p.message, p.location.line if p.location else 0) for p in problems] == [
        (
            "smsCampaign 'shipped' sends to its mobile numbers (an attribute of type "
            "GSM_NUMBER, or 'gsmNumber') of profileTable 'Customers', but the manifests do not "
            "declare it",
            3,
        )
    ]


@pytest.mark.parametrize(
    ("field", "before", "after"),
    [("targetTable", "Customers", "Prospects"), ("targetEntity", "B2C", "B2B")],
)
def test_the_target_table_and_entity_are_fixed_with_the_way_around(
    field: str, before: str, after: str
) -> None:
    verdict = KIND.judge((field,), before, after, "shipped")
    assert "fixed once it exists" in verdict.blocked
    assert "create a new SMS campaign under another name" in verdict.blocked
    assert "remove 'shipped'" in verdict.blocked
    assert KIND.judge(("messages", "EN"), "a", "b", "shipped").blocked == ""


def test_has_mobile_number_reads_a_canonical_table() -> None:
    assert has_mobile_number({"gsm": {"type": "GSM_NUMBER"}})
    assert not has_mobile_number({"phone": {"type": "CUSTOM"}})
    assert not has_mobile_number(None)


def test_texts_are_one_per_language(tmp_path: Path) -> None:
    manifest = tmp_path / "b2c.yaml"
    manifest.write_text(
        SMS.replace("FR: Parti", "DE: Versandt\n      FR: ' '"),
        encoding="utf-8",
    )
    with pytest.raises(ManifestError) as failure:
        load([manifest], {})
    found = sorted((d.field, d.message) for d in failure.value.diagnostics)
    assert found == [
        ("smsCampaigns[0].messages.DE", "'DE' is not one of the campaign's languages"),
        ("smsCampaigns[0].messages.FR", "the text is empty"),
    ]


def test_payloads_and_the_live_campaign_read_back(tmp_path: Path) -> None:
    manifest = tmp_path / "b2c.yaml"
    manifest.write_text(SMS, encoding="utf-8")
    spec = load([manifest], {}).objects[0].spec
    assert isinstance(spec, SmsCampaignSpec)
    body = KIND.payload(spec, lambda k, n: "", {"id": 3, "status": "IN_DEFINITION", "x": 1})
    assert body == {
        "x": 1,
        "name": "shipped",
        "entityOfTarget": "B2C",
        "targetTable": "Customers",
        "sendingMode": "MASS",
        "supportedLanguages": ["EN", "FR"],
    }
    part = KIND.part_payload(spec, "messages")
    assert part is not None
    assert part.json == {
        "messages": [
            {"language": "EN", "text": "Shipped, ${firstName}"},
            {"language": "FR", "text": "Parti"},
        ]
    }
    live = {**body, "id": 3, "status": "ACTIVE", "messages": part.json}
    read = KIND.spec_from_payload(live, lambda k, i: None)
    assert KIND.canonical(read) == {**KIND.canonical(spec), "state": "ACTIVE"}
    assert KIND.status(read) == "active"
    assert [u.what for u in KIND.uses("B2C", spec)][1:] == ["personalises ${firstName}"]
