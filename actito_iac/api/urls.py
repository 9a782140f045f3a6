"""The API base URL: which ones the client may talk to, and their normal form."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit, urlunsplit

from actito_iac.errors import ConfigError

_LOOPBACK_NAMES = frozenset({"localhost"})

# Segments of ACTITO's own paths: a base URL holding one was copied from an endpoint or from
# the documentation's "v5 root" (https://api3.actito.com/v5). Any other path is kept, for a
# gateway that serves the API under a prefix.
_API_SEGMENT = re.compile(r"(?:^|/)(?:v\d+|auth|ActitoWebServices|ws|entities?)(?:/|$)", re.I)

HOST_ONLY = "the API URL is the host only, e.g. https://api3.actito.com"


def is_loopback(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1: traffic that never leaves the machine."""
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(url: str) -> str:
    """Return `url` without trailing slash, or raise ConfigError if the client must not use it.

    The API key and the access tokens travel in headers, so the connection must be encrypted;
    plain http is only accepted to a loopback host (a local emulator).
    """
    shown = _without_userinfo(url)
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        parts.port  # noqa: B018 - parsing the port is what validates it
    except ValueError as exc:
        raise ConfigError(f"API URL {shown!r} is not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not host:
        raise ConfigError(
            f"API URL {shown!r} must be an https:// URL with a host, e.g. https://api3.actito.com"
        )
    if scheme == "http" and not is_loopback(host):
        raise ConfigError(
            f"API URL {shown!r} must use https: plain http is only allowed to a loopback host "
            "(localhost, 127.0.0.1, [::1])"
        )
    if parts.username is not None or parts.password is not None:
        raise ConfigError(f"API URL {shown!r} must not carry a user name or password")
    if parts.query or parts.fragment:
        raise ConfigError(f"API URL {shown!r} must not have a query string or fragment")
    if _API_SEGMENT.search(parts.path):
        raise ConfigError(
            f"API URL {shown!r} is wrong: it carries a path of the API ({parts.path}); "
            f"{HOST_ONLY} (actito-iac adds /auth/token and the /…/v5/… paths itself)"
        )
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def path_of(base_url: str) -> str:
    """The path of a checked base URL ('' for a bare host): a gateway's prefix."""
    return urlsplit(base_url).path


def host_of(base_url: str) -> str:
    """The host (and port, if any) of a checked base URL, for messages."""
    return urlsplit(base_url).netloc


def _without_userinfo(url: str) -> str:
    """The URL as it may be shown in a message: credentials in it are masked."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]))
