"""Domain errors: what a service refuses, with the HTTP status and the stable code it answers.

Services raise these and know nothing of HTTP; one handler in the app turns each into
`{"detail": ..., "code": ...}`. Each package adds its own in an `errors.py` of its own.
"""

import math
from collections.abc import Mapping
from typing import ClassVar


class DomainError(Exception):
    """The base of every refusal; a subclass sets the status, the code and the usual detail."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    detail: str = "The request cannot be carried out"
    # True for a refusal that stands on changes of its own, such as the session a reused
    # refresh token ends: the request's transaction commits them even though it fails.
    keeps_changes: ClassVar[bool] = False
    # RFC 6749's error code, for the refusals a token request can meet: what standard OAuth2
    # clients read (section 5.2).
    oauth_error: ClassVar[str | None] = None

    def __init__(self, detail: str | None = None) -> None:
        if detail is not None:
            self.detail = detail
        super().__init__(self.detail)

    @property
    def headers(self) -> Mapping[str, str]:
        return {}


class NotAuthenticatedError(DomainError):
    """The bearer token is missing, invalid or expired, or its session has ended."""

    status = 401
    code = "not_authenticated"
    detail = "Could not validate credentials"

    @property
    def headers(self) -> Mapping[str, str]:
        return {"WWW-Authenticate": "Bearer"}


class NotFoundError(DomainError):
    """No such resource."""

    status = 404
    code = "not_found"
    detail = "Not found"


class ConflictError(DomainError):
    """The change conflicts with the current state."""

    status = 409
    code = "conflict"
    detail = "Conflicts with the current state"


class TooManyRequestsError(DomainError):
    """A limit is spent; `Retry-After` says when to try again."""

    status = 429
    code = "rate_limited"
    detail = "Too many requests; try again later"

    def __init__(self, retry_after_seconds: float, detail: str | None = None) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds

    @property
    def headers(self) -> Mapping[str, str]:
        return {"Retry-After": str(max(1, math.ceil(self.retry_after_seconds)))}


class InvalidInputError(DomainError):
    """The request's parameters or body do not fit the route's schema."""

    status = 422
    code = "validation_error"
    detail = "The request is not valid"


class ServiceUnavailableError(DomainError):
    """PostgreSQL or Redis is down, refusing or too slow: nothing was done; try again shortly."""

    status = 503
    code = "service_unavailable"
    detail = "The service is unavailable for a moment; try again shortly"
    # Long enough for a restart of either; the client has nothing better to do meanwhile.
    retry_after_seconds: ClassVar[int] = 5

    @property
    def headers(self) -> Mapping[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}
