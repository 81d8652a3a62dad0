"""The async database engine and the per-request session."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from psycopg import AsyncConnection
from psycopg.rows import DictRow, dict_row
from psycopg_pool import AsyncConnectionPool
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from .config import Settings


def create_engine(settings: Settings) -> AsyncEngine:
    return create_async_engine(
        settings.DATABASE_URL,
        pool_size=settings.DB_POOL_SIZE,
        max_overflow=settings.DB_MAX_OVERFLOW,
        pool_timeout=settings.DB_POOL_TIMEOUT_SECONDS,
        # A connection the server dropped is replaced instead of failing a request.
        pool_pre_ping=True,
        connect_args={"connect_timeout": max(1, round(settings.DB_POOL_TIMEOUT_SECONDS))},
    )


def create_read_pool(settings: Settings) -> AsyncConnectionPool[AsyncConnection[DictRow]]:
    """Plain psycopg connections in autocommit, for the one query every authenticated request
    makes: measured here, a checkout and query through it costs a fifth of the same through
    SQLAlchemy's pool. Bounded like the engine's; not checked before use, as the engine's are,
    because its one caller retries on a dropped connection instead."""
    url = make_url(settings.DATABASE_URL).set(drivername="postgresql")
    return AsyncConnectionPool(
        url.render_as_string(hide_password=False),
        connection_class=AsyncConnection[DictRow],
        kwargs={
            "autocommit": True,
            "row_factory": dict_row,
            "connect_timeout": max(1, round(settings.DB_POOL_TIMEOUT_SECONDS)),
        },
        min_size=1,
        max_size=settings.DB_POOL_SIZE,
        timeout=settings.DB_POOL_TIMEOUT_SECONDS,
        open=False,
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # Objects stay readable after commit, so a handler can return what it just saved.
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def get_engine(request: Request) -> AsyncEngine:
    engine: AsyncEngine = request.app.state.engine
    return engine


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        yield session


EngineDep = Annotated[AsyncEngine, Depends(get_engine)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]
