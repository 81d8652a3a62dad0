"""What every /auth endpoint passes first: a limit per client IP, then an admission slot."""

import asyncio
from collections.abc import AsyncIterator

from fastapi import Depends, Request

from .client_ip import client_ip, limited_as
from .config import SettingsDep
from .rate_limit import RateLimiterDep


async def limit_by_client_ip(
    request: Request, limiter: RateLimiterDep, settings: SettingsDep
) -> None:
    """AUTH_RATE_LIMIT per client IP (IPv6: per network), counted on each auth endpoint."""
    address = client_ip(request, settings.TRUSTED_PROXIES)
    counted = limited_as(address, settings.IPV6_PREFIX_LENGTH)
    await limiter.hit(settings.AUTH_RATE_LIMIT, "auth", request.url.path, counted)


async def auth_slot(request: Request) -> AsyncIterator[None]:
    """Hold one of the worker's AUTH_CONCURRENCY slots while an auth request runs."""
    slots: asyncio.Semaphore = request.app.state.auth_slots
    async with slots:
        yield


# The limit first: a client over its limit is refused without taking a slot from others.
AUTH_GUARDS = [Depends(limit_by_client_ip), Depends(auth_slot)]
