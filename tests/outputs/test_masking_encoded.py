"""A secret echoed back in an encoded form — base64 (alone or inside a longer encoded text),
URL-encoded, JSON-escaped — or any credential written as `Bearer …`/`Basic …`, is masked too."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

import httpx
import pytest

from actito_iac.api.client import ActitoClient
from actito_iac.api.errors import ApiError, describe_response, redact
from actito_iac.secrets import MASK, Masker, Secret

KEY = "k3y/With+Odd=Chars&Other?Marks"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhcGkifQ.c2lnbmF0dXJl"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def urlsafe(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


ENCODED = {
    "base64": (b64(KEY), 0),
    "base64, one byte in": (b64("u" + KEY), 1),
    "base64, two bytes in": (b64("us" + KEY), 2),
    "base64 of user:key (Basic)": (b64("api-user:" + KEY + ":trailing"), 18),
    "base64 url-safe": (urlsafe("xy" + KEY), 2),
    "URL-encoded": (quote(KEY, safe=""), 0),
    "form-encoded": (quote_plus(KEY), 0),
    "JSON-escaped": (json.dumps(KEY)[1:-1].replace("/", "\\/"), 0),
}
"""Each encoded text, and how many bytes of it are not the secret."""


@pytest.mark.parametrize(("encoded", "others"), ENCODED.values(), ids=ENCODED.keys())
def test_an_encoded_secret_is_masked(encoded: str, others: int) -> None:
    masker = Masker(KEY)
    text = f"server said: bad credentials [{encoded}] (request 42)"

    masked = masker.text(text)

    assert masker.holds_secret(text)
    assert masked.startswith("server said: bad credentials [")
    assert masked.endswith("] (request 42)")
    assert MASK in masked
    # What is left of the encoded text is the other bytes' characters, and at most the few
    # characters that mix their bits with the secret's.
    left = masked.removeprefix("server said: bad credentials [").removesuffix("] (request 42)")
    assert len(left.replace(MASK, "")) <= others * 4 // 3 + 6, left


@pytest.mark.parametrize(
    "line",
    [
        f"Authorization: Bearer {TOKEN}",
        f"authorization: bearer {TOKEN}",
        "WWW-Authenticate: Basic dXNlcjpwYXNzd29yZA==",
    ],
)
def test_any_credential_in_authorization_form_is_masked(line: str) -> None:
    masked = Masker().text(line)

    assert TOKEN not in masked
    assert "dXNlcjpwYXNzd29yZA" not in masked
    assert masked.endswith(MASK)


def test_ordinary_text_is_left_alone() -> None:
    masker = Masker(KEY)
    text = "Bearer tokens are renewed; customTables: [Orders]; base64 is fine: aGVsbG8="
    assert masker.text(text) == text


def test_the_client_masks_encoded_secrets_in_an_error_body() -> None:
    body = {"message": f"key {b64(KEY)} / {quote(KEY, safe='')} / Bearer {TOKEN} refused"}
    response = httpx.Response(400, json=body)

    detail = describe_response(response, [KEY])

    assert b64(KEY)[:-4] not in detail
    assert quote(KEY, safe="") not in detail
    assert TOKEN not in detail
    assert redact(f"x {b64(KEY)} y", [KEY]).startswith("x ***")


@pytest.mark.anyio
async def test_a_refused_call_never_shows_the_key_in_any_encoding() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/auth/token":
            return httpx.Response(200, json={"accessToken": TOKEN, "expiresIn": 900})
        echoed = request.headers["Authorization"]
        return httpx.Response(
            400,
            json={"message": f"rejected {b64(echoed)} {quote(KEY, safe='')} {echoed}"},
            headers={"WWW-Authenticate": echoed},
        )

    client = ActitoClient("http://127.0.0.1", Secret(KEY), transport=httpx.MockTransport(handle))
    async with client:
        with pytest.raises(ApiError) as failure:
            await client.get("/entities/v5/entities")

    shown = str(failure.value)
    for leaked in (TOKEN, quote(KEY, safe=""), b64(f"Bearer {TOKEN}")[4:-4]):
        assert leaked not in shown
