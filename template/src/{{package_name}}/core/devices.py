"""Where a request came from, as sessions and the audit log keep it."""

from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import Request

from .client_ip import Network, client_ip


@dataclass(frozen=True)
class Device:
    """A client's address (as the trusted proxies say) and browser."""

    ip_address: str | None
    user_agent: str | None


def device_of(request: Request, trusted_proxies: Sequence[Network]) -> Device:
    address = client_ip(request, trusted_proxies)[:45]
    agent = request.headers.get("user-agent", "")[:512]
    return Device(ip_address=address or None, user_agent=agent or None)
