"""What every /auth endpoint passes first: a limit per client IP, then an admission slot."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

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


class AdmissionSlot:
    """One of the worker's AUTH_CONCURRENCY slots, as one auth request holds it."""

    def __init__(self, slots: asyncio.Semaphore) -> None:
        self._slots = slots
        self.held = False

    async def take(self) -> None:
        await self._slots.acquire()
        self.held = True

    def give_back(self) -> None:
        if self.held:
            self.held = False
            self._slots.release()


# The running request's slot, for the code deep in a flow that waits on a provider.
_current_slot: ContextVar[AdmissionSlot | None] = ContextVar("auth_slot", default=None)


async def auth_slot(request: Request) -> AsyncIterator[None]:
    """Hold one of the worker's AUTH_CONCURRENCY slots while an auth request runs."""
    slot = AdmissionSlot(request.app.state.auth_slots)
    await slot.take()
    # Never reset: the variable ends with the request's context, and a slot given back is
    # no longer `held`, so a later request of the same context cannot give it back twice.
    _current_slot.set(slot)
    try:
        yield
    finally:
        slot.give_back()


@asynccontextmanager
async def outside_auth_slot() -> AsyncIterator[None]:
    """Give the request's slot back while it waits on a provider, and take one again after.

    The slots bound the CPU a login storm takes from a worker; a provider answering slowly
    takes none, and holding slots through it would stall every other login of the worker.
    """
    slot = _current_slot.get()
    if slot is None or not slot.held:
        yield
        return
    slot.give_back()
    try:
        yield
    finally:
        await slot.take()


# The limit first: a client over its limit is refused without taking a slot from others. The
# slot is given back when the handler returns: what runs after the response (notices) holds none.
AUTH_GUARDS = [Depends(limit_by_client_ip), Depends(auth_slot, scope="function")]
