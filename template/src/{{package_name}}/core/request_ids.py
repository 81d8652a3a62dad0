"""X-Request-ID on every response: the client's, when it is 1 to 128 printable characters (a
proxy's or a caller's trace), else a new UUID; kept for the request's log records
(core/logs.py)."""

import os
from contextvars import ContextVar

HEADER = "X-Request-ID"
RAW_HEADER = HEADER.lower().encode("latin-1")
# Each request runs in a context of its own, so this is the id of the request being served.
current_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def is_request_id(value: str) -> bool:
    return 1 <= len(value) <= 128 and value.isprintable()


def new_request_id() -> str:
    """A random (version 4) UUID, formatted without building a `uuid.UUID`, which costs every
    request several microseconds more."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40  # version 4
    raw[8] = raw[8] & 0x3F | 0x80  # the RFC 9562 variant
    digits = raw.hex()
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def request_id_for(headers: list[tuple[bytes, bytes]]) -> str:
    """The id of a request with these (ASGI) headers."""
    for name, value in headers:
        if name == RAW_HEADER:
            given = value.decode("latin-1")
            return given if is_request_id(given) else new_request_id()
    return new_request_id()
