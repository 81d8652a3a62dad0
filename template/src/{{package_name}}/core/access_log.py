"""What every request gets on its way in and out, in one layer (each layer costs every request):
its id (X-Request-ID, core/request_ids.py), headers that keep its answer out of caches, and once
its response is sent an access record (method, route template, status, duration, client; in
the log format of every other record) and the request metrics."""

import logging
import time
from collections.abc import Sequence

from prometheus_client import Counter, Histogram
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .client_ip import Network, client_ip
from .metrics import IN_PROGRESS, REQUEST_DURATION, REQUESTS
from .request_ids import RAW_HEADER, current_request_id, request_id_for

logger = logging.getLogger(__name__)
# The template of a path no route matched: the paths themselves are the client's to invent.
UNMATCHED = "unmatched"
# No cache may keep an answer: tokens, sessions, personal data. RFC 6749 (5.1) requires both
# headers on every answer that holds a token; no answer of the service is worth caching.
NOT_STORED = ((b"cache-control", b"no-store"), (b"pragma", b"no-cache"))


def route_template(scope: Scope) -> str:
    """The matched route's path template (`/users/{user_id}`), set by the router."""
    route = scope.get("route")
    return getattr(route, "path", UNMATCHED)


class AccessLog:
    def __init__(self, app: ASGIApp, trusted_proxies: Sequence[Network]) -> None:
        self.app = app
        self.trusted_proxies = trusted_proxies
        # The series of each (method, route, status) once found: `labels()` looks them up
        # under a lock each time. Bounded: the routes and methods are the server's.
        self.series: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = request_id_for(scope["headers"])
        id_header = (RAW_HEADER, request_id.encode("latin-1"))
        # What the client is told when the application fails before it answers.
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), id_header, *NOT_STORED]
            await send(message)

        IN_PROGRESS.inc()
        token = current_request_id.set(request_id)
        try:
            await self.app(scope, receive, sending)
        finally:
            IN_PROGRESS.dec()
            self.record(scope, status, time.perf_counter() - started)
            current_request_id.reset(token)

    def record(self, scope: Scope, status: int, seconds: float) -> None:
        method, path = scope["method"], route_template(scope)
        series = self.series.get((method, path, status))
        if series is None:
            series = REQUESTS.labels(method, path, status), REQUEST_DURATION.labels(method, path)
            self.series[method, path, status] = series
        series[0].inc()
        series[1].observe(seconds)
        duration_ms = round(seconds * 1000, 2)
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
