"""Every error answer is `{"detail", "code"}`: refusals, invalid input, the framework's own."""

import logging
import re
from typing import Any

import asyncpg
import redis.exceptions
import sqlalchemy.exc
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from .errors import DomainError, InvalidInputError, ServiceUnavailableError

logger = logging.getLogger(__name__)

# The codes of the statuses the framework answers by itself; OTHER_CODE for any other.
FRAMEWORK_CODES = {401: "not_authenticated", 404: "not_found", 405: "method_not_allowed"}
OTHER_CODE = "http_error"
INTERNAL_ERROR = "internal_error"
# What a request meets when PostgreSQL or Redis is down, refusing or hung: each client's
# timeouts turn a hung server into one of these. OSError covers a refused or missing socket,
# TimeoutError a pool that found no connection in time.
UNAVAILABLE: tuple[type[Exception], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,
    asyncpg.PostgresConnectionError,
    # The server shutting down, starting up, or cancelling the statement.
    asyncpg.OperatorInterventionError,
    OSError,
    TimeoutError,
)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, answer_refusal)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, answer_invalid_input)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, answer_http_error)  # type: ignore[arg-type]
    for failure in UNAVAILABLE:
        app.add_exception_handler(failure, answer_unavailable)
    # Starlette's outermost middleware logs the exception, then sends this answer.
    app.add_exception_handler(Exception, answer_failure)


def error_response(
    status: int, detail: str, code: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    return JSONResponse({"detail": detail, "code": code, **extra}, status, headers=headers)


async def answer_refusal(_: Request, refusal: DomainError) -> JSONResponse:
    oauth = {"error": refusal.oauth_error} if refusal.oauth_error else {}
    headers = dict(refusal.headers)
    return error_response(refusal.status, refusal.detail, refusal.code, headers, **oauth)


async def answer_unavailable(request: Request, failure: Exception) -> JSONResponse:
    logger.warning("%s %s: a dependency failed", request.method, request.url.path, exc_info=failure)
    return await answer_refusal(request, ServiceUnavailableError())


async def answer_failure(_: Request, __: Exception) -> JSONResponse:
    return error_response(500, "Internal server error", INTERNAL_ERROR)


async def answer_invalid_input(_: Request, error: RequestValidationError) -> JSONResponse:
    # Location, message and type of each problem; never the input itself, which may be a secret.
    problems = [
        {"loc": list(problem["loc"]), "msg": problem["msg"], "type": problem["type"]}
        for problem in error.errors()
    ]
    detail = "; ".join(f"{'.'.join(map(str, p['loc']))}: {p['msg']}" for p in problems)
    return error_response(
        InvalidInputError.status,
        detail or InvalidInputError.detail,
        InvalidInputError.code,
        errors=jsonable_encoder(problems),
    )


async def answer_http_error(request: Request, error: HTTPException) -> JSONResponse:
    if error.status_code == 400:
        # FastAPI's answer to a body it could not read at all (bad encoding, broken form):
        # as much invalid input as a body that does not fit the schema.
        detail = "The request body could not be parsed"
        problem = {"loc": ["body"], "msg": detail, "type": "unreadable_body"}
        return error_response(
            InvalidInputError.status, detail, InvalidInputError.code, errors=[problem]
        )
    headers = dict(error.headers or {})
    if error.status_code == 405:
        named = {method.strip() for method in headers.get("Allow", "").split(",") if method.strip()}
        headers["Allow"] = ", ".join(sorted(named | allowed_methods(request.app, request.url.path)))
    code = FRAMEWORK_CODES.get(error.status_code, OTHER_CODE)
    return error_response(error.status_code, str(error.detail), code, headers)


def allowed_methods(app: FastAPI, path: str) -> set[str]:
    """Every method some route of `path` takes: the router names only the first route's."""
    if not hasattr(app.state, "route_patterns"):
        app.state.route_patterns = [
            (re.compile(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))), operations)
            for template, operations in app.openapi()["paths"].items()
        ]
    methods = {
        method.upper()
        for pattern, operations in app.state.route_patterns
        if pattern.fullmatch(path)
        for method in operations
    }
    return methods | {"HEAD"} if "GET" in methods else methods
