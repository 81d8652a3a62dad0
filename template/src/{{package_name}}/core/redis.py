"""The async Redis client, one per process."""

from typing import Annotated

from fastapi import Depends, Request
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff

from .config import Settings


def create_redis(settings: Settings) -> Redis:
    timeout = settings.REDIS_TIMEOUT_SECONDS
    return Redis.from_url(
        settings.REDIS_URL,
        decode_responses=True,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        health_check_interval=30,
        # One quick retry rides out a restart; more would hold requests hostage to a dead server.
        retry=Retry(ExponentialBackoff(cap=timeout / 4, base=0.05), retries=1),
    )


async def get_redis(request: Request) -> Redis:
    redis: Redis = request.app.state.redis
    return redis


RedisDep = Annotated[Redis, Depends(get_redis)]
