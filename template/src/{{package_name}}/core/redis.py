"""The async Redis client, one per process."""

from typing import Annotated

from fastapi import Depends, Request
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError

from .config import Settings


def create_redis(settings: Settings) -> Redis:
    timeout = settings.REDIS_TIMEOUT_SECONDS
    return Redis.from_url(
        settings.REDIS_URL,
        decode_responses=True,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        health_check_interval=30,
        # A new connection says nothing before its first command (no HELLO, no CLIENT SETINFO):
        # each would cost one more timeout against a hung server.
        protocol=2,
        driver_info=None,
        # One quick retry on a dropped connection rides out a restart; none on a timeout, so a
        # hung server costs a request one timeout (then 503), and more would hold requests
        # hostage to a dead server.
        retry=Retry(
            ExponentialBackoff(cap=timeout / 4, base=0.05),
            retries=1,
            supported_errors=(ConnectionError,),
        ),
    )


async def get_redis(request: Request) -> Redis:
    redis: Redis = request.app.state.redis
    return redis


RedisDep = Annotated[Redis, Depends(get_redis)]
