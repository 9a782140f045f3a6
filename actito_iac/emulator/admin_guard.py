"""Who may use the admin surface: local tools, never a web page the developer happens to visit.

The admin surface has no authentication (it exists for tests and demos on the developer's
machine), so a page could otherwise drive it from the browser: a `text/plain` form POST
needs no CORS preflight, and DNS rebinding lets a page's own host name resolve to 127.0.0.1.
Three checks close that:

1. `Host` must name this emulator: a loopback address (or `localhost`), or the address it
   was bound to. A rebound host name (`evil.example` resolving to 127.0.0.1) is refused.
2. An `Origin` (or `Sec-Fetch-Site`) header, which browsers send, must be the emulator's own.
   Tools (httpx, curl) send neither.
3. Admin writes (POST, PUT, PATCH) must say `Content-Type: application/json`, which a page can
   only send cross-origin after a CORS preflight; the emulator never grants one.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection

from starlette.responses import Response
from starlette.types import Scope

from actito_iac.emulator.json_http import error_response

_WRITES = frozenset({"POST", "PUT", "PATCH"})
_OWN_FETCH_SITES = frozenset({"same-origin", "none"})


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_name(host_header: str) -> str:
    """The name or address of a Host header, without its port and IPv6 brackets."""
    if host_header.startswith("["):
        return host_header[1:].partition("]")[0]
    return host_header.rpartition(":")[0] if host_header.count(":") == 1 else host_header


def refusal(scope: Scope, hosts: Collection[str] = ()) -> Response | None:
    """The answer refusing an admin request that may come from a web page, or None."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    host = headers.get("host", "")
    name = host_name(host)
    if not (is_loopback(name) or name in hosts):
        return error_response(
            403,
            f"the admin surface answers only requests addressed to the emulator itself "
            f"(a loopback address); Host {host!r} is refused",
        )
    origin = headers.get("origin")
    own = f"{scope.get('scheme', 'http')}://{host}"
    site = headers.get("sec-fetch-site", "none")
    if (origin is not None and origin != own) or site not in _OWN_FETCH_SITES:
        return error_response(403, "the admin surface refuses requests from other origins")
    media = headers.get("content-type", "").split(";")[0].strip().lower()
    if scope["method"] in _WRITES and media != "application/json":
        return error_response(
            415, "admin requests that change the emulator must be sent as application/json"
        )
    return None
