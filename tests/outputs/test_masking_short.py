"""Very short secrets are masked where they stand alone, never cut out of other words."""

from __future__ import annotations

from actito_iac.secrets import MASK, Masker


def test_a_one_letter_key_does_not_corrupt_words() -> None:
    masker = Masker("k")
    assert (
        masker.text("kind: customTable; key k; token=k")
        == f"kind: customTable; key {MASK}; token={MASK}"
    )
    assert not masker.holds_secret("kind")
    assert masker.holds_secret("key is k")


def test_long_secrets_are_masked_inside_words_too() -> None:
    masker = Masker("s3cr3t-value-42")
    assert masker.text("Bearer-s3cr3t-value-42x") == f"Bearer-{MASK}x"
