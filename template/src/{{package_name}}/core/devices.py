"""Where a request came from, as sessions and the audit log keep it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Device:
    """A client's address (as the trusted proxies say) and browser."""

    ip_address: str | None
    user_agent: str | None
