"""Error lines: status mapping, server message extraction, masking."""

from __future__ import annotations

import httpx
import pytest

from actito_iac.api.errors import (
    MAX_DETAIL,
    ApiError,
    AuthenticationError,
    ConnectionFailed,
    NotFound,
    PermissionDenied,
    RateLimited,
    RequestRejected,
    ServerError,
    describe_exception,
    describe_response,
    error_for_status,
    redact,
)
from actito_iac.errors import ActitoIacError

PATH = "/custom-table-structure/v5/entities/B2C/custom-tables"


def test_message_from_the_json_error_body() -> None:
    response = httpx.Response(
        400,
        json={"status": 400, "error": "Bad Request", "message": "attribute 'x' is unknown"},
    )
    assert describe_response(response) == "attribute 'x' is unknown"


def test_message_from_a_plain_text_body_is_trimmed_to_one_line() -> None:
    response = httpx.Response(502, text="\n  upstream   failed\n  try later \n")
    assert describe_response(response) == "upstream failed try later"


def test_long_text_is_cut() -> None:
    detail = describe_response(httpx.Response(500, text="x" * 5000))
    assert len(detail) == MAX_DETAIL
    assert detail.endswith("…")


def test_json_without_message_falls_back_to_its_text() -> None:
    response = httpx.Response(409, json={"error": "Conflict", "code": 7})
    assert describe_response(response) == '{"error":"Conflict","code":7}'


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(503),
        httpx.Response(503, text="   "),
        httpx.Response(503, json={"message": ""}),
        httpx.Response(
            503, text="<html><body>Down</body></html>", headers={"Content-Type": "text/html"}
        ),
    ],
)
def test_reason_phrase_when_the_body_says_nothing_usable(response: httpx.Response) -> None:
    assert describe_response(response) == "Service Unavailable"


def test_secrets_echoed_by_the_server_are_masked() -> None:
    response = httpx.Response(400, json={"message": "bad token tok-secret-1 for key k-1"})
    assert describe_response(response, ["tok-secret-1", "k-1"]) == "bad token *** for key ***"


def test_redact_ignores_empty_secrets() -> None:
    assert redact("abc", ["", "b"]) == "a***c"


def test_rejected_request_line() -> None:
    error = error_for_status("POST", PATH, 400, "attribute 'x' is unknown")
    assert isinstance(error, RequestRejected)
    assert str(error) == f"POST {PATH} -> 400 Bad Request: attribute 'x' is unknown"
    assert (error.method, error.path, error.status) == ("POST", PATH, 400)
    assert error.message == "attribute 'x' is unknown"


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, RequestRejected),
        (401, AuthenticationError),
        (403, PermissionDenied),
        (404, NotFound),
        (409, RequestRejected),
        (422, RequestRejected),
        (429, RateLimited),
        (500, ServerError),
        (503, ServerError),
        (405, ApiError),
        (302, ApiError),
    ],
)
def test_status_mapping(status: int, kind: type[ApiError]) -> None:
    error = error_for_status("GET", "/x", status, "said")
    assert type(error) is kind
    assert isinstance(error, ActitoIacError)
    assert str(error).startswith(f"GET /x -> {status} ")


def test_reason_phrase_alone_is_not_repeated() -> None:
    error = error_for_status("GET", "/x", 404, "Not Found")
    assert str(error) == "GET /x -> 404 Not Found: no such resource"


def test_forbidden_mentions_access_rights() -> None:
    error = error_for_status("GET", "/x", 403, "Access is denied")
    assert "access rights" in str(error)
    assert str(error).endswith(": Access is denied")


def test_attempts_are_reported_for_retried_failures() -> None:
    assert "after 5 attempts" in str(error_for_status("GET", "/x", 503, "", attempts=5))
    assert "attempts" not in str(error_for_status("POST", "/x", 503, "", attempts=1))


def test_connection_failure_names_the_host() -> None:
    request = httpx.Request("GET", "https://api3.actito.com/x")
    detail = describe_exception(httpx.ConnectError("refused", request=request), "api3.actito.com")
    error = ConnectionFailed("GET", "/x", detail, host="api3.actito.com")
    assert error.status is None
    assert str(error) == "GET /x -> could not connect to api3.actito.com (ConnectError: refused)"


def test_timeout_is_described_as_such() -> None:
    detail = describe_exception(httpx.ReadTimeout(""), "h")
    assert detail == "no answer from h in time (ReadTimeout)"
