"""Rate limits kept in Redis by the `limits` library, so every worker and instance shares them."""

import time
from typing import Annotated, Any

from fastapi import Depends, Request
from limits import parse
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio import Redis

from .errors import TooManyRequestsError


def storage_uri(redis_url: str) -> str:
    # limits names the same URLs with its own scheme prefixes.
    scheme, rest = redis_url.split(":", 1)
    return f"async+{'redis+unix' if scheme == 'unix' else scheme}:{rest}"


class RateLimiter:
    """Moving-window limits: exact, so a burst at a window boundary cannot double the limit."""

    def __init__(self, redis: Redis, redis_url: str) -> None:
        # The app's own connection pool: one set of connections and timeouts for all of Redis.
        shared: dict[str, Any] = {"connection_pool": redis.connection_pool}
        storage = RedisStorage(
            storage_uri(redis_url), implementation="redispy", key_prefix="ratelimit", **shared
        )
        self._limiter = MovingWindowRateLimiter(storage)

    async def hit(self, limit: str, *key: str) -> None:
        """Count one request against `limit` for `key`; refuse it once the limit is spent."""
        item = parse(limit)
        if await self._limiter.hit(item, *key):
            return
        stats = await self._limiter.get_window_stats(item, *key)
        raise TooManyRequestsError(stats.reset_time - time.time())


async def get_rate_limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


RateLimiterDep = Annotated[RateLimiter, Depends(get_rate_limiter)]
