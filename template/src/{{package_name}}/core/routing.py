"""Routers whose routes document the router's refusals beside their own, and routes that answer
a request without FastAPI's per-request work."""

from collections.abc import Callable, Coroutine
from typing import Any, cast

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute

from .schemas import OpenApiResponses


def merged(common: OpenApiResponses, own: OpenApiResponses) -> OpenApiResponses:
    """`own` beside `common`, status by status: a status both give lists the codes of both."""
    documented = {**common, **own}
    for status in common.keys() & own.keys():
        lines = {
            line
            for responses in (common, own)
            for line in responses[status].get("description", "").split("<br>")
            if line
        }
        # Headers go by status (schemas.HEADERS), so either side's are right.
        documented[status] = {**own[status], "description": "<br>".join(sorted(lines))}
    return documented


class DocumentedRouter(APIRouter):
    """FastAPI lets a route's 429 replace its router's, so `/auth/login` would document its
    `too_many_attempts` and lose the per-IP `rate_limited` every /auth route can answer."""

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        kwargs["responses"] = merged(self.responses, kwargs.get("responses") or {})
        super().add_api_route(path, endpoint, **kwargs)


class RequestRoute(APIRoute):
    """A route documented from its declaration as any other, whose endpoint takes the request
    alone and returns its response: FastAPI solves no parameters or dependencies for it and
    serialises no response model, which costs every request even when there are none.

    For an endpoint so frequent that this counts, and so simple that it needs none of it: it
    reads what it needs from the request itself, and raises errors as any endpoint does.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        return cast(Callable[[Request], Coroutine[Any, Any, Response]], self.endpoint)
