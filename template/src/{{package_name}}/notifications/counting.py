"""What the metrics count of every sender: the codes a provider took, and the messages it did
not take."""

from collections.abc import Awaitable

from ..core.metrics import CODES_SENT, DELIVERY_FAILURES
from .errors import DeliveryError

CODE, NOTICE = "code", "notice"


async def counted(sending: Awaitable[None], channel: str, provider: str, kind: str) -> None:
    try:
        await sending
    except DeliveryError:
        DELIVERY_FAILURES.labels(channel, provider, kind).inc()
        raise
    if kind == CODE:
        CODES_SENT.labels(channel, provider).inc()
