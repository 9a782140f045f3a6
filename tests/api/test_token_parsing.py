"""Reading the token exchange answer."""

from __future__ import annotations

import pytest

from actito_iac.api.auth import DEFAULT_LIFETIME, parse_expires_in, parse_token_answer


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("900s", 900.0), ("900", 900.0), (" 60S ", 60.0), (900, 900.0), (12.5, 12.5)],
    ids=["suffixed", "string", "spaced-upper", "int", "float"],
)
def test_expires_in(value: object, seconds: float) -> None:
    assert parse_expires_in(value) == seconds


@pytest.mark.parametrize("value", ["soon", "s", "", "-5s", "0s", 0, True, None, [900], "infs"])
def test_expires_in_refused(value: object) -> None:
    with pytest.raises(ValueError, match="expiresIn"):
        parse_expires_in(value)


def test_token_answer() -> None:
    token, lifetime = parse_token_answer(
        {"accessToken": "AAAA", "tokenType": "bearer", "expiresIn": "900s"}
    )
    assert token.reveal() == "AAAA"
    assert lifetime == 900.0


def test_missing_lifetime_means_the_documented_15_minutes() -> None:
    assert parse_token_answer({"accessToken": "AAAA"})[1] == DEFAULT_LIFETIME


@pytest.mark.parametrize(
    "body",
    [[], {"tokenType": "bearer"}, {"accessToken": ""}, {"accessToken": "a b"}],
)
def test_unusable_answers(body: object) -> None:
    with pytest.raises(ValueError, match=r"token answer|accessToken"):
        parse_token_answer(body)


def test_error_does_not_show_the_token() -> None:
    with pytest.raises(ValueError, match="accessToken") as info:
        parse_token_answer({"accessToken": "SECRET\n", "expiresIn": "900s"})
    assert "SECRET" not in str(info.value)
