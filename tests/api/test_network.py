"""Network failures: the final ones answer at once with what to check; repeats are logged
with their reason."""

from __future__ import annotations

import errno
import logging
import socket
import time

import httpx
import pytest

from actito_iac.api.client import ActitoClient
from actito_iac.api.errors import ApiError, AuthenticationError, ConnectionFailed
from actito_iac.api.network import hint, is_final, reason
from actito_iac.secrets import Secret

from .conftest import API_KEY, Answer, reply

pytestmark = pytest.mark.anyio


def os_failure(exc_type: type[httpx.TransportError], cause: OSError) -> Answer:
    """An httpx error wrapping an operating-system error, as the real stack raises it."""

    def answer(request: httpx.Request) -> httpx.Response:
        try:
            raise cause
        except OSError as os_error:
            raise exc_type(str(os_error), request=request) from os_error

    return answer


REFUSED = ConnectionRefusedError(errno.ECONNREFUSED, "Connect call failed")
UNKNOWN = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
RESET = ConnectionResetError(errno.ECONNRESET, "Connection reset by peer")


async def test_a_refused_connection_is_not_retried(fake, make_client, sleeps, raises) -> None:
    fake.script("GET", "/x", *[os_failure(httpx.ConnectError, REFUSED)] * 5)
    async with make_client(retries=4) as client:
        with raises(ConnectionFailed) as info:
            await client.get("/x")
    assert fake.calls_to("GET", "/x") == 1
    assert sleeps == []
    assert str(info.value) == (
        "GET /x -> nothing accepts connections at api.test: is the API URL right?"
    )


async def test_an_unknown_host_is_not_retried(fake, make_client, sleeps, raises) -> None:
    fake.script("GET", "/x", *[os_failure(httpx.ConnectError, UNKNOWN)] * 5)
    async with make_client(retries=4) as client:
        with raises(ConnectionFailed, match="the host name api.test does not exist"):
            await client.get("/x")
    assert fake.calls_to("GET", "/x") == 1
    assert sleeps == []


async def test_a_temporary_resolver_failure_is_retried(fake, make_client, sleeps) -> None:
    again = socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    fake.script("GET", "/x", os_failure(httpx.ConnectError, again))
    async with make_client(retries=4) as client:
        assert await client.get("/x") == {"path": "/x"}
    assert fake.calls_to("GET", "/x") == 2


async def test_the_real_stack_answers_a_refused_loopback_at_once(raises) -> None:
    started = time.monotonic()
    async with ActitoClient("http://127.0.0.1:9", Secret(API_KEY), retries=4) as client:
        with raises(ConnectionFailed) as info:
            await client.get("/x")
        assert client.request_count == 1
    assert time.monotonic() - started < 2  # no backoff was waited
    assert "is the emulator running (`actito-iac emulator serve`)?" in str(info.value)


def test_hints_name_the_host_and_only_loopback_mentions_the_emulator() -> None:
    refused = httpx.ConnectError("x")
    refused.__cause__ = REFUSED
    assert "emulator" in hint(refused, "127.0.0.1:8787")
    assert "emulator" in hint(refused, "localhost:8787")
    assert "emulator" in hint(refused, "[::1]:8787")  # an IPv6 address with its port
    assert "emulator" not in hint(refused, "api3.actito.com")
    assert hint(httpx.ReadTimeout("x"), "api3.actito.com") == ""


@pytest.mark.parametrize(
    ("cause", "final", "why"),
    [
        (REFUSED, True, "connection refused"),
        (UNKNOWN, True, "unknown host"),
        (RESET, False, "connection reset"),
    ],
)
def test_the_cause_is_read_at_the_bottom_of_the_chain(
    cause: OSError, final: bool, why: str
) -> None:
    outer = httpx.ReadError("All connection attempts failed")
    middle = OSError("All connection attempts failed")
    middle.__cause__ = cause
    outer.__cause__ = middle
    assert is_final(outer) is final
    assert reason(outer) == why


def retry_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "actito_iac.api.retry" and r.levelno == logging.INFO
    ]


async def test_each_retry_is_logged_with_its_reason(fake, make_client, caplog) -> None:
    fake.script(
        "GET",
        "/x",
        reply(429, headers={"Retry-After": "2"}),
        reply(503),
        os_failure(httpx.ReadError, RESET),
    )
    async with make_client(retries=4, backoff_factor=0) as client:
        await client.get("/x")
    assert retry_lines(caplog) == [
        "GET /x: retry 1 of 4 in 2.0 s after 429 Too Many Requests (Retry-After: 2)",
        "GET /x: retry 2 of 4 in 0.0 s after 503 Service Unavailable",
        "GET /x: retry 3 of 4 in 0.0 s after connection reset",
    ]


async def test_attempt_lines_give_milliseconds(fake, make_client, caplog) -> None:
    async with make_client() as client:
        await client.get("/x")
    lines = [r.getMessage() for r in caplog.records if r.name == "actito_iac.api.transport"]
    assert any(line.startswith("GET /x -> 200 in ") and line.endswith(" ms") for line in lines)


async def test_no_token_exchange_at_the_url_is_a_wrong_url(fake, raises) -> None:
    fake.script("GET", "/auth/token", reply(404, text="Not Found"))
    async with ActitoClient(
        "https://api.test", Secret(API_KEY), transport=httpx.MockTransport(fake.handler)
    ) as client:
        with raises(ApiError, match=r"no token exchange at https://api\.test/auth/token: "):
            await client.get("/x")


async def test_a_refused_key_behind_a_path_points_at_the_url_first(fake, raises) -> None:
    async with ActitoClient(
        "https://api.test/gateway", Secret(API_KEY), transport=httpx.MockTransport(fake.handler)
    ) as client:
        with raises(AuthenticationError, match=r"URL is wrong: it carries a path \(/gateway\)"):
            await client.get("/x")


async def test_a_refused_key_on_a_bare_host_is_a_refused_key(fake, raises) -> None:
    fake.key = "another-key"
    async with ActitoClient(
        "https://api.test", Secret(API_KEY), transport=httpx.MockTransport(fake.handler)
    ) as client:
        with raises(AuthenticationError, match="the API key was rejected"):
            await client.get("/x")
