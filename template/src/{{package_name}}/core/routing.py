"""Routers whose routes document the router's refusals beside their own, and routes that answer
a request without FastAPI's per-request work."""

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, cast

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError

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


# Answers a request from its body and the request itself, or leaves it to the endpoint (None).
QuickPath = Callable[[Any, Request], Awaitable[BaseModel | None]]


class QuickRoute(APIRoute):
    """A route with a quick path in front of its endpoint: a JSON body that fits `body_model`
    goes to `quick`, whose answer is sent as the endpoint's would be; a request it leaves
    (None), and any body that is not plain JSON of that model, go to the endpoint the way of
    any route, so that every refusal of a body is FastAPI's own.

    For a frequent request whose common case needs none of FastAPI's per-request work
    (dependencies solved, the body checked field by field, the response model serialised)
    while its rare cases need the endpoint's dependencies. `quick` must answer only as the
    endpoint would: it is the endpoint's first step, run without them.
    """

    body_model: type[BaseModel]
    quick: QuickPath

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        status = self.status_code or 200

        async def quickly(request: Request) -> Response:
            if request.headers.get("content-type") == "application/json":
                try:
                    body = self.body_model.model_validate_json(await request.body())
                except ValidationError:
                    return await handle(request)
                if (answer := await self.quick(body, request)) is not None:
                    return Response(answer.model_dump_json(), status, media_type="application/json")
            return await handle(request)

        return quickly


def with_quick_path(
    route_class: type[APIRoute], body_model: type[BaseModel], quick: QuickPath
) -> type[APIRoute]:
    """`route_class` (its guards, if any, still first) with `quick` in front of the endpoint."""
    bases = (QuickRoute,) if issubclass(QuickRoute, route_class) else (route_class, QuickRoute)
    attributes = {"body_model": body_model, "quick": staticmethod(quick)}
    return type(f"Quick{route_class.__name__}", bases, attributes)
