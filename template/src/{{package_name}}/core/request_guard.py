"""The door every request passes before routing: a body over MAX_BODY_BYTES is refused before
it is read whole, and a NUL byte anywhere (path, query, headers, body) before it can reach
PostgreSQL, whose text types cannot hold one. Both are the client's fault: a 4xx, never a 5xx.
"""

import re
from itertools import chain
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import DomainError, InvalidInputError
from .http_errors import error_response

# A JSON string escape for NUL: `\u0000` after an even run of backslashes (an odd run escapes
# the backslash of `\u` itself, and the text is a plain "\u0000").
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


class BodyTooLargeError(DomainError):
    """The request body is larger than MAX_BODY_BYTES."""

    status = 413
    code = "body_too_large"
    detail = "The request body is too large"


class NulByteError(InvalidInputError):
    """A NUL byte in the path, the query, a header or the body."""

    detail = "The request contains a NUL byte"


def holds_nul(scope: Scope) -> bool:
    query: bytes = scope["query_string"]
    return (
        "\x00" in scope["path"]
        or (bool(query) and b"\x00" in unquote_to_bytes(query))
        # One search of every header at once: a loop over them in Python costs each request.
        or b"\x00" in b"".join(chain.from_iterable(scope["headers"]))
    )


def body_holds_nul(body: bytes, content_type: bytes) -> bool:
    """Also where the parsed body would hold one: a form percent-encodes it, JSON escapes it."""
    if content_type.startswith(b"application/x-www-form-urlencoded"):
        return b"\x00" in unquote_to_bytes(body)
    return b"\x00" in body or JSON_NUL.search(body) is not None


class RequestGuard:
    """Reads the body (at most `max_body_bytes` of it) before the app does, then hands it on."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if holds_nul(scope):
            await refuse(NulByteError, scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is None and b"transfer-encoding" not in headers:
            # No body (RFC 9112 6.3): nothing to read or to hand on, as for most GETs.
            await self.app(scope, receive, send)
            return
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await refuse(BodyTooLargeError, scope, receive, send)
            return
        body, complete = await self._read(receive)
        if not complete:
            await refuse(BodyTooLargeError, scope, receive, send)
            return
        if body_holds_nul(body, headers.get(b"content-type", b"").lower()):
            await refuse(NulByteError, scope, receive, send)
            return
        await self.app(scope, replay(body, receive), send)

    async def _read(self, receive: Receive) -> tuple[bytes, bool]:
        """The body, and whether it fit (a chunked body declares no length)."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return b"", True
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return b"", False
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), True


def replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives the body read already, then whatever comes next (a disconnect)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive_again() -> Message:
        return pending.pop() if pending else await receive()

    return receive_again


async def refuse(refusal: type[DomainError], scope: Scope, receive: Receive, send: Send) -> None:
    response = error_response(refusal.status, refusal.detail, refusal.code)
    await response(scope, receive, send)
