"""One access record per request, once its response is sent: method, route template, status,
duration and client, in the log format of every other record (with the request's id); and the
request metrics."""

import logging
import time
from collections.abc import Sequence

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .client_ip import Network, client_ip
from .metrics import IN_PROGRESS, REQUEST_DURATION, REQUESTS

logger = logging.getLogger(__name__)
# The template of a path no route matched: the paths themselves are the client's to invent.
UNMATCHED = "unmatched"


def route_template(scope: Scope) -> str:
    """The matched route's path template (`/users/{user_id}`), set by the router."""
    route = scope.get("route")
    return getattr(route, "path", UNMATCHED)


class AccessLog:
    def __init__(self, app: ASGIApp, trusted_proxies: Sequence[Network]) -> None:
        self.app = app
        self.trusted_proxies = trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        # What the client is told when the application fails before it answers.
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        IN_PROGRESS.inc()
        try:
            await self.app(scope, receive, sending)
        finally:
            IN_PROGRESS.dec()
            seconds = time.perf_counter() - started
            duration_ms = round(seconds * 1000, 2)
            method, path = scope["method"], route_template(scope)
            REQUESTS.labels(method, path, status).inc()
            REQUEST_DURATION.labels(method, path).observe(seconds)
            logger.info(
                "%s %s %s %.2f ms",
                method,
                path,
                status,
                duration_ms,
                extra={
                    "method": method,
                    "path": path,
                    "status": status,
                    "duration_ms": duration_ms,
                    "client_ip": client_ip(Request(scope), self.trusted_proxies),
                },
            )
