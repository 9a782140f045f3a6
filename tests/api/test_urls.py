"""check_base_url: https anywhere, plain http only to the local machine."""

from __future__ import annotations

import pytest

from actito_iac.api.urls import check_base_url, host_of
from actito_iac.errors import ConfigError


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("https://api3.actito.com", "https://api3.actito.com"),
        ("https://api3.actito.com/", "https://api3.actito.com"),
        ("HTTPS://api.actito.com//", "https://api.actito.com"),
        ("https://gateway.example.com/actito/", "https://gateway.example.com/actito"),
        ("http://127.0.0.1:8787", "http://127.0.0.1:8787"),
        ("http://127.3.2.1:8787/", "http://127.3.2.1:8787"),
        ("http://localhost:8787/", "http://localhost:8787"),
        ("http://LOCALHOST", "http://LOCALHOST"),
        ("http://[::1]:8787", "http://[::1]:8787"),
    ],
)
def test_accepts_https_and_loopback_http(url: str, normalised: str) -> None:
    assert check_base_url(url) == normalised


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com",
        "http://api3.actito.com/",
        "http://127.0.0.1.example.com:8787",
        "http://10.0.0.1:8787",
        "ftp://api3.actito.com",
        "api3.actito.com",
        "https://",
        "https://api3.actito.com:notaport",
        "https://api3.actito.com/?env=3",
    ],
)
def test_refuses_other_urls_naming_them(url: str) -> None:
    with pytest.raises(ConfigError) as info:
        check_base_url(url)
    assert url in str(info.value)


def test_plain_http_message_says_why() -> None:
    with pytest.raises(ConfigError, match="must use https"):
        check_base_url("http://example.com")


def test_credentials_in_the_url_are_refused_and_not_shown() -> None:
    with pytest.raises(ConfigError) as info:
        check_base_url("https://user:hunter2@api3.actito.com")
    assert "hunter2" not in str(info.value)
    assert "api3.actito.com" in str(info.value)


def test_host_of_keeps_the_port() -> None:
    assert host_of("http://127.0.0.1:8787") == "127.0.0.1:8787"
    assert host_of("https://api3.actito.com") == "api3.actito.com"


@pytest.mark.parametrize(
    "url",
    [
        "https://api3.actito.com/v5",
        "https://api3.actito.com/v4/",
        "https://api3.actito.com/auth/token",
        "https://api.actito.com/ActitoWebServices/ws/v4",
        "https://api3.actito.com/profile-table-structure/v5/entities/B2C",
        "http://127.0.0.1:8787/v5",
    ],
)
def test_a_url_with_a_path_of_the_api_is_reported_as_a_wrong_url(url: str) -> None:
    with pytest.raises(ConfigError) as info:
        check_base_url(url)
    message = str(info.value)
    assert url in message
    assert "is wrong" in message
    assert "host only, e.g. https://api3.actito.com" in message
    assert "key" not in message
