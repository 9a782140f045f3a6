"""The masker's shortcuts find every secret the full walk finds: a plan without secrets is
passed through untouched, and one scan over all texts decides it."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from actito_iac.secrets import Masker, mask_credentials

SECRETS = ["k", "s3cr", "hunter2", "tok-3d9f-long-secret", "é2", "a b"]
TEXT = st.text(alphabet=list("ks3cr hunter2-tok\n\x00éa—b\\\"/"), max_size=24)
VALUES = st.recursive(
    TEXT | st.integers() | st.none(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(SECRETS), min_size=1, max_size=3, unique=True), VALUES, VALUES)
def test_holds_none_agrees_with_looking_at_each_text(
    secrets: list[str], before: Any, after: Any
) -> None:
    masker = Masker(*secrets)
    each = any(masker.holds_secret(s) for s in strings(before) + strings(after))
    if each:
        assert not masker.holds_none(before, after)
    # (a secret spread over two texts may make holds_none say False for nothing: only slower)


CREDENTIALS = st.sampled_from(
    ["Bearer abcdefgh12", "basic\tabcdefgh12", 'x "Bearer\u00a0abcdefgh"', "BAſIC abcdefgh12"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SECRETS), min_size=1, max_size=3, unique=True), VALUES, CREDENTIALS)
def test_holds_none_finds_a_credential_wherever_it_is(
    secrets: list[str], around: Any, credential: str
) -> None:
    masker = Masker(*secrets)
    assert not masker.holds_none([around, {"k": credential}])
    assert not masker.holds_none({credential: around})
    assert "abcdefgh" not in mask_credentials(f"{around!r} {credential}")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SECRETS), min_size=1, max_size=3, unique=True), TEXT)
def test_text_is_masked_as_by_the_full_loop(secrets: list[str], text: str) -> None:
    masker = Masker(*secrets)
    expected = text
    for value in sorted(masker._values, key=lambda v: (-len(v), v)):
        short = masker._short.get(value)
        expected = short.sub("***", expected) if short else expected.replace(value, "***")
    assert masker.text(text) == mask_credentials(expected)


SECRET = "tok-3d9f-long-secret"


def _changes() -> list[Any]:
    from dataclasses import replace

    from actito_iac.plan.model import Action, Change, FieldChange
    from actito_iac.plan.textdiff import TextDiff
    from actito_iac.vocabulary import Address

    base = Change(Address("B2C", "customTable", "T"), Action.UPDATE, {"a": "x"}, {"a": "y"})
    field = FieldChange(("a",), "x", "y")
    return [
        replace(base, reason=f"because {SECRET}"),
        replace(base, impact=SECRET),
        replace(base, status=SECRET),
        replace(base, before={"a": SECRET}),
        replace(base, after={SECRET: "y"}),
        replace(base, diffs=(TextDiff(("html",), f"-{SECRET}\n+x", 1, 1),)),
        replace(base, fields=(replace(field, blocked=SECRET),)),
        replace(base, fields=(replace(field, manual=SECRET),)),
        replace(base, fields=(replace(field, impact=SECRET),)),
        replace(base, fields=(replace(field, after=[SECRET]),)),
        replace(base, fields=(replace(field, path=("a", SECRET)),)),
    ]


def test_a_secret_anywhere_in_a_change_is_masked() -> None:
    from actito_iac.plan.model import Plan
    from actito_iac.plan.select import Selection
    from actito_iac.render.json_plan import dumps, plan_document
    from actito_iac.render.masked import mask_plan

    masker = Masker(SECRET)
    for change in _changes():
        masked = mask_plan(Plan((change,)), masker)
        text = dumps(plan_document(masked, environment="e", selection=Selection()))
        assert SECRET not in text, change
