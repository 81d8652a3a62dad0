"""X-Request-ID on every response: the client's, when it is 1 to 128 printable characters (a
proxy's or a caller's trace), else a new UUID. asgi-correlation-id keeps it for the request's
log records (core/logs.py)."""

import uuid

HEADER = "X-Request-ID"


def is_request_id(value: str) -> bool:
    return 1 <= len(value) <= 128 and value.isprintable()


def new_request_id() -> str:
    return str(uuid.uuid4())
