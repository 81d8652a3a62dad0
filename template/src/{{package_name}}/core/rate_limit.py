"""Rate limits kept in Redis, so every worker and instance shares them: `limits`' moving window,
its limits and keys, counted by a script of our own in one round trip."""

import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request
from limits import RateLimitItem, parse
from redis.asyncio import Redis

from .errors import TooManyRequestsError

KEY_PREFIX = "ratelimit"

# `limits`' moving window (its acquire script, on the keys and values `hit` uses) as a Lua
# function, for a script that takes limits beside work of its own in one round trip: 0 when the
# hit is counted, else the seconds until it would be.
MOVING_WINDOW = """
local function take(key, limit, expiry, now)
  local entry = redis.call('LINDEX', key, limit - 1)
  if entry and tonumber(entry) >= now - expiry then
    return tonumber(entry) + expiry - now
  end
  redis.call('LPUSH', key, now)
  redis.call('LTRIM', key, 0, limit - 1)
  redis.call('EXPIRE', key, expiry)
  return 0
end
"""
# KEYS: the window's key. ARGV: its limit, its expiry in seconds, the time now. The wait comes
# back as a string: Redis would cut a number to an integer, and a wait of 0.4 s to none.
HIT_SCRIPT = (
    MOVING_WINDOW
    + "return tostring(take(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])))"
)


@dataclass(frozen=True)
class Window:
    """One limit for one key, as MOVING_WINDOW takes it."""

    key: str
    limit: int
    expiry_seconds: int


@lru_cache(maxsize=64)
def parsed(limit: str) -> RateLimitItem:
    """The limit a setting names: a handful of settings, parsed on every request otherwise."""
    return parse(limit)


class RateLimiter:
    """Moving-window limits: exact, so a burst at a window boundary cannot double the limit."""

    def __init__(self, redis: Redis) -> None:
        # Not `limits`' own limiter: its three layers of Python took 8 % of a code request's
        # time, and it refused with a second round trip.
        self._take = redis.register_script(HIT_SCRIPT)

    async def hit(self, limit: str, *key: str) -> None:
        """Count one request against `limit` for `key`; refuse it once the limit is spent."""
        window = self.window(limit, *key)
        args = [window.limit, window.expiry_seconds, time.time()]
        wait = float(await self._take(keys=[window.key], args=args))
        if wait > 0:
            raise TooManyRequestsError(wait)

    @staticmethod
    def window(limit: str, *key: str) -> Window:
        """`limit` for `key`, for a script to take with MOVING_WINDOW as `hit` would."""
        item = parsed(limit)
        return Window(f"{KEY_PREFIX}:{item.key_for(*key)}", item.amount, item.get_expiry())


async def get_rate_limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


RateLimiterDep = Annotated[RateLimiter, Depends(get_rate_limiter)]
