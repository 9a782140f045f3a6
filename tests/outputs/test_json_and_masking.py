"""The JSON plan document and secret masking, below the CLI."""

from __future__ import annotations

import io
import json

from actito_iac.plan.model import Action, Change, FieldChange, Plan
from actito_iac.plan.select import Selection
from actito_iac.render.json_plan import dumps, plan_document, plan_from_document
from actito_iac.render.masked import mask_plan
from actito_iac.render.streams import MaskedStream
from actito_iac.secrets import MASK, Masker, fingerprint

from .plans import blocked, create, drop, plan, table, unmanaged

SECRET = "s3cr3t-token-42"


def test_the_document_has_every_documented_key() -> None:
    document = plan_document(
        plan(create("A"), drop("B"), unmanaged("C")),
        environment="staging",
        selection=Selection(("customTable/A",), ()),
    )

    assert set(document) == {
        "format_version",
        "tool_version",
        "environment",
        "selection",
        "summary",
        "has_changes",
        "changes",
    }
    assert document["summary"] == {
        "create": 1,
        "update": 1,
        "replace": 0,
        "delete": 0,
        "manual": 0,
        "blocked": 0,
        "unmanaged": 1,
        "no_op": 0,
        "safe": 1,
        "may_fail_on_data": 0,
        "destructive": 1,
        "manual_steps": 0,
    }
    update = document["changes"][1]
    assert update["address"] == {"entity": "B2C", "kind": "customTable", "name": "B"}
    assert update["address_text"] == "B2C/customTable/B"
    assert update["fields"][0]["path"] == ["attributes", "gone"]
    assert update["fields"][0]["risk"] == "destructive"
    assert document["selection"] == {"targets": ["customTable/A"], "excludes": [], "prune": []}


def test_a_document_reads_back_into_the_same_plan() -> None:
    original = plan(create("A"), drop("B"), blocked("C"), unmanaged("D"))
    document = plan_document(original, environment="e", selection=Selection())

    again = plan_document(
        plan_from_document(json.loads(dumps(document))), environment="e", selection=Selection()
    )

    assert dumps(again) == dumps(document)


def secret_change(old: str = "old") -> Change:
    before = {"description": old, "acceptedValues": ["A", old], "type": "INTERACTIONS"}
    after = {
        "description": f"token={SECRET}",
        "acceptedValues": ["A", SECRET],
        "type": "INTERACTIONS",
    }
    field = FieldChange(("description",), old, f"token={SECRET}")
    return Change(table("T"), Action.UPDATE, before, after, (field,), reason=f"why {SECRET}")


def test_masked_values_show_a_fingerprint_so_a_change_stays_visible() -> None:
    masked = mask_plan(Plan((secret_change(),)), Masker(SECRET))

    text = dumps(plan_document(masked, environment="e", selection=Selection()))

    assert SECRET not in text
    (field,) = masked.changes[0].fields
    assert field.before == f"{MASK} ({fingerprint('old')})"
    assert field.after == f"{MASK} ({fingerprint('token=' + SECRET)})"
    assert (
        masked.changes[0].after["acceptedValues"]
        == f"{MASK} ({fingerprint(json.dumps(['A', SECRET]))})"
    )
    assert masked.changes[0].after["type"] == "INTERACTIONS"
    assert masked.changes[0].reason == f"why {MASK}"


def test_a_rotated_secret_never_shows_its_old_value() -> None:
    """The run knows only the new value; the live side still holds the old one."""
    masked = mask_plan(Plan((secret_change(old="token=previous-secret"),)), Masker(SECRET))

    text = dumps(plan_document(masked, environment="e", selection=Selection()))

    assert "previous-secret" not in text
    assert SECRET not in text


def test_a_masker_without_secrets_changes_nothing() -> None:
    original = Plan((secret_change(),))

    assert mask_plan(original, Masker()) is original


def test_the_masked_stream_masks_secrets_split_across_writes() -> None:
    target = io.StringIO()
    stream = MaskedStream(target, Masker(SECRET))

    stream.write("key: s3cr3t-")
    stream.write("token-42 end\npartial s3cr")
    stream.write("3t-token-42")
    stream.flush()

    assert target.getvalue() == f"key: {MASK} end\npartial {MASK}"
