"""Custom actions: canonical form, what a parameter change needs, PATCH payloads, and the
capabilities saying the body is inferred."""

from __future__ import annotations

from typing import Any

import pytest

from actito_iac.kinds.custom_action import CustomActionKind, CustomActionSpec
from actito_iac.vocabulary import UNREAD, Risk, Source

KIND = CustomActionKind()
TOKEN = "loyalty-secret-6a1b"


def spec(**fields: Any) -> CustomActionSpec:
    base = {
        "name": "creditPoints",
        "url": "https://loyalty.example.com/points",
        "headers": {"Authorization": TOKEN},
        "parameters": [{"name": "points", "type": "INTEGER", "mandatory": True}],
    }
    return CustomActionSpec.model_validate(base | fields)


def test_the_capabilities_say_the_body_is_inferred() -> None:
    assert KIND.capabilities.create.source is Source.INFER
    assert KIND.capabilities.update.source is Source.INFER
    assert "inferred" in KIND.capabilities.create.note
    assert KIND.capabilities.delete.supported


def test_the_canonical_form_shows_a_digest_of_each_header() -> None:
    canonical = KIND.canonical(spec(label="Credit"))
    assert TOKEN not in repr(canonical)
    assert canonical["parameters"] == {"points": {"type": "INTEGER", "mandatory": True}}
    assert canonical["label"] == "Credit"
    assert "description" not in canonical


def test_a_parameter_type_change_is_a_destructive_replace() -> None:
    verdict = KIND.judge(("parameters", "points", "type"), "INTEGER", "STRING")
    assert verdict.risk is Risk.DESTRUCTIVE
    assert "cannot change type (INTEGER → STRING)" in verdict.replace
    removed = KIND.judge(("parameters", "points"), {"type": "INTEGER"}, None)
    assert (removed.risk, removed.replace) == (Risk.DESTRUCTIVE, "")
    assert KIND.judge(("label",), "a", "b").risk is Risk.SAFE
    assert not KIND.replace_creates_first  # one name cannot be held twice


def test_a_patch_clears_what_the_manifest_no_longer_gives_and_omits_the_rest() -> None:
    live = {"id": "u1", "name": "creditPoints", "label": "Old", "description": None, "x": 1}
    body = KIND.payload(spec(), lambda k, n: "", live)
    assert body["label"] is None  # null clears it (PATCH)
    assert "description" not in body  # nothing to clear
    assert "x" not in body  # PATCH keeps what it omits
    assert body["headers"] == {"Authorization": TOKEN}
    created = KIND.payload(spec(description="d"), lambda k, n: "", None)
    assert (created["description"], "label" in created) == ("d", False)


def test_a_live_action_reads_back_into_the_same_spec_and_unreturned_headers_are_unread() -> None:
    payload = {
        "id": "u1",
        "name": "creditPoints",
        "url": "https://loyalty.example.com/points",
        "method": "POST",
        "headers": {"Authorization": TOKEN},
        "parameters": [{"name": "points", "type": "INTEGER", "mandatory": True}],
        "isActive": True,
        "label": None,
        "description": None,
    }
    read = KIND.spec_from_payload(payload, lambda k, i: None)
    assert KIND.canonical(read) == KIND.canonical(spec())
    hidden = KIND.spec_from_payload(
        {**payload, "headers": {"Authorization": None}}, lambda k, i: None
    )
    assert isinstance(hidden, CustomActionSpec)
    assert hidden.headers == {"Authorization": UNREAD}


def test_a_parameter_twice_is_refused() -> None:
    twice = [{"name": "points"}, {"name": "points", "type": "NUMBER"}]
    (issue,) = KIND.check(spec(parameters=twice))
    assert issue.loc == ("parameters", 1, "name")


@pytest.mark.parametrize("url", ["http://loyalty.example.com", "loyalty.example.com"])
def test_the_url_is_https(url: str) -> None:
    with pytest.raises(ValueError, match="https"):
        spec(url=url)
