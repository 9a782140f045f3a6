"""ActitoClient: authenticated JSON calls to one licence's API, with retries and typed errors.

Transport stack, top to bottom::

    httpx.AsyncClient      base URL, default headers, timeout, no redirects
    RetryTransport         repeats idempotent calls on 429/502/503/504 and network errors,
                           writes on 429 only (refused, not processed: api/retry.py)
    ConcurrencyLimit       under `calls_per_minute`, then at most `max_in_flight` attempts in
                           flight, each logged at DEBUG
    inner transport        the network (or a test double)
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import httpx

# httpcore, under httpx, imports sniffio when it sets up each lock of a call, and falls back to
# asyncio when it is missing. A failed import is not remembered: each call would search
# sys.path again (a third of the client's CPU per call). Imported here so that its absence is
# an error at start (pyproject.toml declares it), not a slow client.
import sniffio  # noqa: F401
from httpx_retries import RetryTransport

from actito_iac import __version__
from actito_iac.api.answer import Unreadable, decode, note_answer
from actito_iac.api.auth import TokenCache, is_header_safe, parse_token_answer
from actito_iac.api.errors import (
    ApiError,
    AuthenticationError,
    ConnectionFailed,
    UnexpectedResponse,
    describe_exception,
    describe_response,
    error_for_status,
)
from actito_iac.api.retry import WRITE_METHODS, Sleep, build_retry
from actito_iac.api.transport import ConcurrencyLimit, Pace, attempts_of
from actito_iac.api.urls import HOST_ONLY, check_base_url, host_of, path_of
from actito_iac.constants import CALLS_PER_MINUTE
from actito_iac.errors import ConfigError
from actito_iac.secrets import Secret

logger = logging.getLogger(__name__)

AUTH_PATH = "/auth/token"
RETRY_EXTENSION = "retry"
"""Where httpx-retries looks for a request's own policy (the writes' one)."""
USER_AGENT = f"actito-iac/{__version__}"


LARGE_ANSWER = 1 << 20
"""Bytes past which an answer is decoded in a worker thread (see `_answered`)."""


class ActitoClient:
    """Client of one licence's API. Use as ``async with ActitoClient(url, key) as api:``.

    `retries` is the number of repeats after the first attempt of an idempotent call.
    `clock` (monotonic seconds) decides token renewal; `sleep` performs the waits between
    retries. Both are injectable for tests. `calls_per_minute` paces the calls under ACTITO's
    rate (100 a minute; None or 0: no pacing, for a licence with a larger allowance).
    """

    def __init__(
        self,
        base_url: str,
        api_key: Secret,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        max_in_flight: int = 5,
        calls_per_minute: int | None = CALLS_PER_MINUTE,
        retries: int = 4,
        backoff_factor: float = 0.5,
        max_backoff: float = 30.0,
        timeout: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        token_margin: float = 60.0,
        sleep: Sleep | None = None,
    ) -> None:
        self._base_url = check_base_url(base_url)
        self._host = host_of(self._base_url)
        if not api_key:
            raise ConfigError("the API key is empty")
        if not is_header_safe(api_key.reveal()):
            raise ConfigError(
                "the API key contains spaces, line breaks or non-ASCII characters; "
                "check how it was stored"
            )
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        if token_margin < 0:
            raise ValueError("token_margin must not be negative")
        # Checks retries, backoff_factor and max_backoff; done before any transport exists.
        retry = build_retry(
            retries=retries, backoff_factor=backoff_factor, max_backoff=max_backoff, sleep=sleep
        )
        self._write_retry = build_retry(
            retries=retries,
            backoff_factor=backoff_factor,
            max_backoff=max_backoff,
            sleep=sleep,
            writes=True,
        )
        self._api_key = api_key
        self._tokens_seen: list[Secret] = []
        self._tokens = TokenCache(self._exchange, clock=clock, margin=token_margin)
        if transport is None:
            limits = httpx.Limits(
                max_connections=max_in_flight, max_keepalive_connections=max_in_flight
            )
            transport = httpx.AsyncHTTPTransport(limits=limits)
        pace = None
        if calls_per_minute:
            pace = Pace(calls_per_minute, clock=clock, sleep=sleep or asyncio.sleep)
        self._limit = ConcurrencyLimit(transport, max_in_flight, pace)
        self._http = httpx.AsyncClient(
            base_url=self._base_url,
            transport=RetryTransport(transport=self._limit, retry=retry),
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"ActitoClient(base_url={self._base_url!r})"

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def max_in_flight(self) -> int:
        """The most requests this client has in flight at once (ACTITO's limit: 5)."""
        return self._limit.limit

    @property
    def request_count(self) -> int:
        """HTTP attempts made so far: calls, their retries and token exchanges."""
        return self._limit.attempts

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def get(self, path: str, *, params: Mapping[str, str] | None = None) -> Any:
        return await self._call("GET", path, params=params)

    async def post(self, path: str, *, json: Any = None) -> Any:
        return await self._call("POST", path, json=json)

    async def create(self, path: str, *, json: Any = None) -> tuple[Any, str | None]:
        """POST a new resource: (the decoded body, the `Location` header).

        A 201 "may or may not" carry a body; the new resource is named in `Location` [DOC].
        """
        answer, response = await self._answered("POST", path, json=json)
        return answer, response.headers.get("location")

    async def put(self, path: str, *, json: Any = None) -> Any:
        return await self._call("PUT", path, json=json)

    async def download(self, path: str) -> bytes:
        """GET a file (an archive, a document): its bytes, whatever their type."""
        response = await self._respond("GET", path, accept="*/*")
        note_answer("GET", path, response.status_code)
        return response.content

    async def upload(
        self,
        path: str,
        upload: Upload,
        *,
        method: str = "POST",
        params: Mapping[str, str] | None = None,
    ) -> Any:
        """Send a file in one multipart part; the decoded answer. Retried as any write is: only
        after a 429, which ACTITO answers before processing."""
        files = {upload.field: (upload.filename, upload.data, upload.media_type)}
        return await self._call(method, path, params=params, files=files)

    async def patch(self, path: str, *, json: Any = None) -> Any:
        return await self._call("PATCH", path, json=json)

    async def delete(self, path: str) -> Any:
        return await self._call("DELETE", path)

    async def send_json(
        self, method: str, path: str, *, json: Any, params: Mapping[str, str] | None = None
    ) -> Any:
        """PUT or POST a JSON body with query parameters; the decoded answer."""
        return await self._call(method, path, params=params, json=json)

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
    ) -> Any:
        answer, _ = await self._answered(method, path, params=params, json=json, files=files)
        return answer

    async def _answered(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
    ) -> tuple[Any, httpx.Response]:
        """The decoded answer of one call, and its response; the call is noted as the last
        answered, for the reading guard (answer.py)."""
        response = await self._respond(method, path, params=params, json=json, files=files)
        if len(response.content) > LARGE_ANSWER:
            # Decoded beside the event loop, which meanwhile sends the calls waiting for a
            # slot and reads their answers (a list of 10,000 tables takes 0.2 s to decode).
            answer = await asyncio.to_thread(self._decode, method, path, response)
        else:
            answer = self._decode(method, path, response)
        note_answer(method, path, response.status_code)
        return answer, response

    async def _respond(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        accept: str | None = None,
    ) -> httpx.Response:
        _check_path(path)

        async def attempt(token: Secret) -> httpx.Response:
            return await self._send(
                method, path, token=token, params=params, json=json, files=files, accept=accept
            )

        token = await self._tokens.current()
        response = await attempt(token)
        if response.status_code == 401:
            # A 401 means the call was not processed (the token expired or was revoked), so
            # repeating it once with a fresh token is safe whatever the method.
            logger.debug("%s %s -> 401; renewing the access token", method, path)
            self._tokens.discard(token)
            token = await self._tokens.current()
            response = await attempt(token)
        self._raise_for_status(method, path, response)
        return response

    async def _exchange(self) -> tuple[Secret, float]:
        """Trade the API key for an access token (called by the token cache)."""
        response = await self._send("GET", AUTH_PATH, authorization=self._api_key.reveal())
        prefix = path_of(self._base_url)
        if response.status_code in (404, 405):
            # No token exchange there: the URL is wrong, whatever the key.
            raise ApiError(
                "GET",
                AUTH_PATH,
                response.status_code,
                f"no token exchange at {self._base_url}{AUTH_PATH}: the API URL is wrong; "
                f"{HOST_ONLY}",
            )
        if response.status_code == 401 and prefix:
            # ACTITO serves the token exchange at the host's root: a URL with a path is far
            # more likely copied from an endpoint than a gateway's prefix.
            raise AuthenticationError(
                "GET",
                AUTH_PATH,
                401,
                f"the API URL is wrong: it carries a path ({prefix}), and {HOST_ONLY} "
                f"(only if {prefix} is a gateway's own prefix is the API key the problem)",
            )
        if response.status_code == 401:
            raise AuthenticationError(
                "GET",
                AUTH_PATH,
                401,
                "the API key was rejected (unknown or revoked); "
                "check the key configured for this licence",
            )
        self._raise_for_status("GET", AUTH_PATH, response)
        body = self._decode("GET", AUTH_PATH, response)
        try:
            token, lifetime = parse_token_answer(body)
        except ValueError as exc:
            raise UnexpectedResponse("GET", AUTH_PATH, response.status_code, str(exc)) from None
        self._tokens_seen.append(token)
        logger.debug("access token obtained, valid %.0fs", lifetime)
        return token, lifetime

    async def _send(
        self,
        method: str,
        path: str,
        *,
        token: Secret | None = None,
        authorization: str | None = None,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        accept: str | None = None,
    ) -> httpx.Response:
        if token is not None:
            authorization = f"Bearer {token.reveal()}"
        headers = {"Authorization": authorization} if authorization else {}
        if accept is not None:
            headers["Accept"] = accept
        failure: ApiError
        try:
            request = self._http.build_request(
                method,
                path,
                params=params,
                json=json,
                files=files,
                headers=headers or None,
            )
            if method in WRITE_METHODS:
                request.extensions[RETRY_EXTENSION] = self._write_retry
            try:
                return await self._http.send(request)
            except httpx.TransportError as exc:
                detail = describe_exception(exc, self._host, self._secrets())
                tries = attempts_of(request)
                if tries > 1:
                    detail += f", after {tries} attempts"
                failure = ConnectionFailed(method, path, detail, host=self._host)
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
            detail = describe_exception(exc, self._host, self._secrets())
            failure = ApiError(method, path, None, detail)
        # Raised outside the except blocks so the httpx exception, whose request carries the
        # Authorization header, is not kept as the context of the error.
        raise failure

    def _raise_for_status(self, method: str, path: str, response: httpx.Response) -> None:
        if response.is_success:
            return
        detail = describe_response(response, self._secrets())
        attempts = attempts_of(response.request)
        raise error_for_status(method, path, response.status_code, detail, attempts=attempts)

    def _decode(self, method: str, path: str, response: httpx.Response) -> Any:
        try:
            return decode(response.content, response.headers.get("content-type", ""))
        except Unreadable as exc:
            raise UnexpectedResponse(method, path, response.status_code, str(exc)) from None

    def _secrets(self) -> Iterator[str]:
        """Values to mask in any text that came from the server or the network layer."""
        yield self._api_key.reveal()
        for token in self._tokens_seen:
            yield token.reveal()


@dataclass(frozen=True)
class Upload:
    """One file sent in a multipart part named `field`."""

    field: str
    filename: str
    data: bytes
    media_type: str = "application/zip"


def _check_path(path: str) -> None:
    # An absolute URL would make httpx ignore the base URL and send the token elsewhere.
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"API path must start with a single '/': {path!r}")
