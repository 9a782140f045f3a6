"""JSON in and out: reading a request body, and the error body every emulator error uses."""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse


def error_response(
    status: int, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """`{"status", "error", "message"}`: the reason phrase and a human message."""
    # [INFER] ACTITO's error body is undocumented; clients in the wild only read the status,
    # so this shape is ours and clients must not depend on more than `status`.
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Error"
    body = {"status": status, "error": reason, "message": message}
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


async def read_json(request: Request) -> Any:
    """The parsed body; 400 when it is not JSON."""
    # [INFER] the Content-Type is not checked: the body is read as JSON whatever it says.
    raw = await request.body()
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HTTPException(400, f"the request body is not valid JSON: {exc}") from None
