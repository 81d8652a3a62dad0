"""What every /auth endpoint passes first: a limit per client IP, then an admission slot."""

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from .client_ip import client_ip, limited_as
from .config import Settings
from .rate_limit import RateLimiter
from .routing import DocumentedRouter


async def limit_by_client_ip(request: Request) -> None:
    """AUTH_RATE_LIMIT per client IP (IPv6: per network), counted on each auth endpoint."""
    settings: Settings = request.app.state.settings
    limiter: RateLimiter = request.app.state.rate_limiter
    address = client_ip(request, settings.TRUSTED_PROXIES)
    counted = limited_as(address, settings.IPV6_PREFIX_LENGTH)
    # The path as the server received it: `request.url` would build the whole URL for it.
    await limiter.hit(settings.AUTH_RATE_LIMIT, "auth", request.scope["path"], counted)


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


class GuardedRoute(APIRoute):
    """A route of /auth: the request is counted against its client IP's limit, then waits for
    an admission slot, before its body is read or any dependency solved.

    The guards wrap the route's handler rather than being its first dependencies because
    FastAPI charges each dependency it solves, a generator most: as two dependencies they took
    a tenth of a refresh. The limit comes first, so a client over its limit is refused without
    taking a slot from others; the slot is given back when the handler returns, so what runs
    after the response (notices) holds none.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            await limit_by_client_ip(request)
            slot = AdmissionSlot(request.app.state.auth_slots)
            await slot.take()
            current = _current_slot.set(slot)
            try:
                return await handle(request)
            finally:
                slot.give_back()
                _current_slot.reset(current)

        return guarded


class AuthRouter(DocumentedRouter):
    """A router of /auth: every route of it is a GuardedRoute, under the "auth" tag."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(route_class=GuardedRoute, tags=["auth"], **kwargs)
