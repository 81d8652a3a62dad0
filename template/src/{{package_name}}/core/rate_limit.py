"""Rate limits kept in Redis by the `limits` library, so every worker and instance shares them."""

import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends, Request
from limits import RateLimitItem, parse
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
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


@dataclass(frozen=True)
class Window:
    """One limit for one key, as MOVING_WINDOW takes it."""

    key: str
    limit: int
    expiry_seconds: int


def storage_uri(redis_url: str) -> str:
    # limits names the same URLs with its own scheme prefixes.
    scheme, rest = redis_url.split(":", 1)
    return f"async+{'redis+unix' if scheme == 'unix' else scheme}:{rest}"


@lru_cache(maxsize=64)
def parsed(limit: str) -> RateLimitItem:
    """The limit a setting names: a handful of settings, parsed on every request otherwise."""
    return parse(limit)


class RateLimiter:
    """Moving-window limits: exact, so a burst at a window boundary cannot double the limit."""

    def __init__(self, redis: Redis, redis_url: str) -> None:
        # The app's own connection pool: one set of connections and timeouts for all of Redis.
        shared: dict[str, Any] = {"connection_pool": redis.connection_pool}
        storage = RedisStorage(
            storage_uri(redis_url), implementation="redispy", key_prefix=KEY_PREFIX, **shared
        )
        self._limiter = MovingWindowRateLimiter(storage)

    async def hit(self, limit: str, *key: str) -> None:
        """Count one request against `limit` for `key`; refuse it once the limit is spent."""
        item = parsed(limit)
        if await self._limiter.hit(item, *key):
            return
        stats = await self._limiter.get_window_stats(item, *key)
        raise TooManyRequestsError(stats.reset_time - time.time())

    @staticmethod
    def window(limit: str, *key: str) -> Window:
        """`limit` for `key`, for a script to take with MOVING_WINDOW as `hit` would."""
        item = parsed(limit)
        return Window(f"{KEY_PREFIX}:{item.key_for(*key)}", item.amount, item.get_expiry())


async def get_rate_limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


RateLimiterDep = Annotated[RateLimiter, Depends(get_rate_limiter)]
