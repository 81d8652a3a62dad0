"""Dependency checks that answer in bounded time and never leak error text."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from .schemas import CheckStatus, ExtendedHealth

logger = logging.getLogger(__name__)


async def ping_database(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def ping_redis(redis: Redis) -> None:
    await redis.ping()


async def run_check(name: str, check: Callable[[], Awaitable[None]], seconds: float) -> CheckStatus:
    try:
        async with asyncio.timeout(seconds):
            await check()
    except Exception:
        # The details go to the operator's log, never to the anonymous caller.
        logger.warning("health check %s failed", name, exc_info=True)
        return "error"
    return "ok"


async def check_dependencies(engine: AsyncEngine, redis: Redis, seconds: float) -> ExtendedHealth:
    checks: dict[str, Callable[[], Awaitable[None]]] = {
        "database": lambda: ping_database(engine),
        "redis": lambda: ping_redis(redis),
    }
    results = await asyncio.gather(*(run_check(n, check, seconds) for n, check in checks.items()))
    status: CheckStatus = "ok" if all(result == "ok" for result in results) else "error"
    return ExtendedHealth(status=status, checks=dict(zip(checks, results, strict=True)))
