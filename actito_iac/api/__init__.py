"""The ACTITO API client: auth, URLs, retries, concurrency cap, typed errors."""

from actito_iac.api.client import ActitoClient
from actito_iac.api.errors import (
    ApiError,
    AuthenticationError,
    ConnectionFailed,
    NotFound,
    PermissionDenied,
    RateLimited,
    RequestRejected,
    ServerError,
    UnexpectedResponse,
)
from actito_iac.api.urls import check_base_url

__all__ = [
    "ActitoClient",
    "ApiError",
    "AuthenticationError",
    "ConnectionFailed",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "RequestRejected",
    "ServerError",
    "UnexpectedResponse",
    "check_base_url",
]
