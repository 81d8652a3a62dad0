"""The bodies every package answers with: a plain message, and errors with their documentation."""

from typing import Any

from pydantic import BaseModel

from .errors import DomainError, InvalidInputError

OpenApiResponses = dict[int | str, dict[str, Any]]
# Headers a refusal of that status carries.
HEADERS = {
    401: {"WWW-Authenticate": {"description": "`Bearer`", "schema": {"type": "string"}}},
    405: {"Allow": {"description": "The methods the path takes", "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}},
}


class Message(BaseModel):
    message: str


class ErrorBody(BaseModel):
    detail: str
    code: str
    # RFC 6749's error code, where a token request was refused (`invalid_grant`).
    error: str | None = None


class InvalidField(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class InvalidInputBody(ErrorBody):
    # What the schema found, each problem where it is; empty for a service's own refusal.
    errors: list[InvalidField] = []


def responses(*refusals: type[DomainError]) -> OpenApiResponses:
    """OpenAPI `responses` for the refusals a route can answer, with each status's codes."""
    by_status: dict[int, list[type[DomainError]]] = {}
    for refusal in refusals:
        by_status.setdefault(refusal.status, []).append(refusal)
    documented: OpenApiResponses = {}
    for status, group in sorted(by_status.items()):
        model = InvalidInputBody if status == InvalidInputError.status else ErrorBody
        lines = sorted({f"`{refusal.code}`: {summary(refusal)}" for refusal in group})
        documented[status] = {"model": model, "description": "<br>".join(lines)}
        if status in HEADERS:
            documented[status]["headers"] = HEADERS[status]
    return documented


def summary(refusal: type[DomainError]) -> str:
    return (refusal.__doc__ or refusal.detail).strip().splitlines()[0]
