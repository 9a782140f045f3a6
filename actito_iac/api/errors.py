"""Failed ACTITO API calls as typed errors, each printing as one line without secrets.

Tree (all under `actito_iac.errors.ApiError`'s place in the project error tree)::

    ApiError                 any failed call; status None when no HTTP answer came back
    ├── AuthenticationError  401: the API key was rejected, or a fresh token was refused
    ├── PermissionDenied     403: the API user lacks the access right
    ├── NotFound             404
    ├── RequestRejected      400, 409, 422: ACTITO refused the request and said why
    ├── RateLimited          429, still after the retries
    ├── ServerError          5xx, still after the retries
    ├── ConnectionFailed     no answer (network error, timeout), still after the retries
    └── UnexpectedResponse   an answer the client cannot read (e.g. not JSON)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import httpx

from actito_iac.api import network
from actito_iac.errors import ActitoIacError
from actito_iac.secrets import MASK, encoded_forms, mask_credentials

# Long server texts (stack traces, HTML pages) would drown the one-line message.
MAX_DETAIL = 300


class ApiError(ActitoIacError):
    """An ACTITO API call failed.

    `message` is the explanation after the status; `str()` is the whole line:
    ``POST /custom-table-structure/v5/entities/B2C/custom-tables -> 400 Bad Request: …``.
    """

    def __init__(self, method: str, path: str, status: int | None, message: str) -> None:
        self.method = method
        self.path = path
        self.status = status
        # One line whatever the server put in it (a key with a line break, a stack trace).
        self.message = re.sub(r"\s+", " ", message).strip()
        super().__init__(self._line())

    @property
    def reason(self) -> str:
        """The standard phrase of `status` ("Bad Request"), empty without a status."""
        return httpx.codes.get_reason_phrase(self.status) if self.status is not None else ""

    def _line(self) -> str:
        if self.status is None:
            return f"{self.method} {self.path} -> {self.message}"
        status = f"{self.status} {self.reason}".rstrip()
        return f"{self.method} {self.path} -> {status}: {self.message}"


class AuthenticationError(ApiError):
    """401: the API key was rejected at token exchange, or ACTITO refused a fresh token."""


class PermissionDenied(ApiError):
    """403: the API user's access rights do not cover the operation."""


class NotFound(ApiError):
    """404: the resource (or the entity in its path) does not exist."""


class RequestRejected(ApiError):
    """400, 409, 422: ACTITO refused the request; `message` is its explanation."""


class RateLimited(ApiError):
    """429 that persisted through the retries."""


class ServerError(ApiError):
    """5xx that persisted through the retries (or on a call that is never retried)."""


class UnexpectedResponse(ApiError):
    """A successful status whose body the client cannot use."""


class ConnectionFailed(ApiError):
    """No HTTP answer: connection refused, DNS failure, timeout… `host` names the server."""

    def __init__(self, method: str, path: str, message: str, *, host: str) -> None:
        self.host = host
        super().__init__(method, path, None, message)


_REJECTED = frozenset({400, 409, 422})


def error_for_status(
    method: str, path: str, status: int, detail: str, *, attempts: int = 1
) -> ApiError:
    """The typed error for a failed answer; `detail` is what the server said (see below)."""
    said = "" if detail == httpx.codes.get_reason_phrase(status) else detail
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    if status in _REJECTED:
        return RequestRejected(method, path, status, said or "ACTITO refused the request")
    if status == 401:
        lead = "ACTITO refused the access token even after renewing it"
        return AuthenticationError(method, path, status, _join(lead, said))
    if status == 403:
        lead = (
            "the API user's access rights do not allow this operation "
            "(check them in the licence's API user settings)"
        )
        return PermissionDenied(method, path, status, _join(lead, said))
    if status == 404:
        return NotFound(method, path, status, said or "no such resource")
    if status == 429:
        lead = f"ACTITO is limiting requests for this licence; gave up{tries or ' at once'}"
        return RateLimited(method, path, status, _join(lead, said))
    if status >= 500:
        lead = f"ACTITO failed to handle the request{tries}"
        return ServerError(method, path, status, _join(lead, said))
    if 300 <= status < 400:
        lead = "unexpected redirect; redirects are not followed, check the API URL"
        return ApiError(method, path, status, lead)
    return ApiError(method, path, status, said or "unexpected answer")


def describe_response(response: httpx.Response, secrets: Iterable[str] = ()) -> str:
    """What the server said about a failure, on one line.

    ACTITO's error body is undocumented; the emulator answers
    ``{"status", "error", "message"}``. Take `message` when there is one, else the trimmed
    text body (unless it is an HTML page), else the reason phrase.
    """
    text = response.text.strip()
    detail = ""
    if text:
        try:
            body = json.loads(text)
        except (ValueError, RecursionError):  # not JSON, or nested beyond the parser's reach
            body = None
        if isinstance(body, dict) and "message" in body:
            # The error shape: its message or nothing (the raw JSON would only add noise).
            message = body["message"]
            detail = message if isinstance(message, str) else ""
        elif "html" not in response.headers.get("content-type", "").lower():
            detail = text
    detail = one_line(redact(detail, secrets))
    return detail or httpx.codes.get_reason_phrase(response.status_code)


def describe_exception(exc: Exception, host: str, secrets: Iterable[str] = ()) -> str:
    """A line for a network failure, naming the host and what went wrong.

    A refused connection or an unknown host name is not retried (api/network.py): the line
    says what to check instead of the library's wording.
    """
    final = network.hint(exc, host)
    if final:
        return final
    if isinstance(exc, httpx.TimeoutException):
        lead = f"no answer from {host} in time"
    elif isinstance(exc, httpx.ConnectError):
        lead = f"could not connect to {host}"
    else:
        lead = f"connection to {host} failed"
    said = one_line(redact(str(exc), secrets))
    return f"{lead} ({type(exc).__name__}: {said})" if said else f"{lead} ({type(exc).__name__})"


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every occurrence of each secret value, and of its encoded forms (base64,
    URL-encoded…), replaced by the mask; and any `Bearer …` credential."""
    for secret in secrets:
        if secret:
            for form in sorted({secret, *encoded_forms(secret)}, key=len, reverse=True):
                text = text.replace(form, MASK)
    return mask_credentials(text)


def one_line(text: str) -> str:
    """Whitespace runs (line breaks included) collapsed, cut to MAX_DETAIL characters."""
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= MAX_DETAIL else flat[: MAX_DETAIL - 1].rstrip() + "…"


def _join(lead: str, said: str) -> str:
    return f"{lead}: {said}" if said else lead
