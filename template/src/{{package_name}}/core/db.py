"""The async database engine, the request's unit of work, and the direct pool (asyncpg alone)."""

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any

import asyncpg
from fastapi import BackgroundTasks, Depends, Request
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session
from sqlmodel.ext.asyncio.session import AsyncSession

from .config import Settings
from .errors import DomainError

logger = logging.getLogger(__name__)
# What a unit of work keeps in its session's `info`.
REQUEST, ON_COMMIT, AFTER_COMMIT = "request", "on_commit", "after_commit"
KEPT_ON_REFUSAL = "kept_on_refusal"
type AfterCommit = Callable[[], Awaitable[None]]


def engine_url(database_url: str) -> URL:
    """DATABASE_URL for asyncpg, whatever driver it names (Alembic's is psycopg)."""
    url = make_url(database_url).set(drivername="postgresql+asyncpg")
    if "sslmode" in url.query:
        # libpq's name for it, which managed databases hand out; asyncpg's keyword is `ssl`.
        url = url.update_query_dict({"ssl": url.query["sslmode"]}).difference_update_query(
            ["sslmode"]
        )
    return url


def create_engine(settings: Settings) -> AsyncEngine:
    """The ORM's engine, on asyncpg: unlike psycopg it bounds every statement on the client
    side, so a hung server costs a request DB_QUERY_TIMEOUT_SECONDS (then 503), not a worker."""
    return create_async_engine(
        engine_url(settings.DATABASE_URL),
        pool_size=settings.DB_POOL_SIZE,
        max_overflow=settings.DB_MAX_OVERFLOW,
        pool_timeout=settings.DB_POOL_TIMEOUT_SECONDS,
        # A connection the server dropped is replaced instead of failing a request.
        pool_pre_ping=True,
        connect_args={
            "timeout": settings.DB_POOL_TIMEOUT_SECONDS,
            "command_timeout": settings.DB_QUERY_TIMEOUT_SECONDS,
        },
    )


# Lazily evaluated: asyncpg's classes are generic in its type stubs only.
type DirectPool = asyncpg.Pool[asyncpg.Record]
# What a connection the server has dropped raises when used before asyncpg has seen it close,
# depending on how much of the server's goodbye asyncpg has read by then.
DROPPED = (
    asyncpg.PostgresConnectionError,
    asyncpg.AdminShutdownError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    ConnectionError,
)


def create_direct_pool(settings: Settings) -> DirectPool:
    """asyncpg connections, outside the ORM, for the two statements the service runs most: the
    identity query of every authenticated request, and a refresh's rotation.

    asyncpg's own pool runs them for markedly less CPU than the ORM. Bounded like the engine;
    opens no connection until a request needs one, so the service starts, and says so, while
    PostgreSQL is down.
    """
    url = make_url(settings.DATABASE_URL).set(drivername="postgresql")
    return asyncpg.create_pool(
        url.render_as_string(hide_password=False),
        min_size=0,
        max_size=settings.DB_POOL_SIZE,
        timeout=settings.DB_POOL_TIMEOUT_SECONDS,
        command_timeout=settings.DB_QUERY_TIMEOUT_SECONDS,
        reset=left_as_it_was,
    )


async def left_as_it_was(connection: asyncpg.Connection) -> None:
    """How a direct pool connection is reset on release: not at all.

    Its statements change no session state (no SET, LISTEN, cursor or advisory lock), and asyncpg
    rolls back an open transaction before this is called. Its default reset would send four
    statements on every release: a second round trip for each one-statement request.
    """


async def surviving_drops[T](pool: DirectPool, attempt: Callable[[], Awaitable[T]]) -> T:
    """`attempt`, once more on new connections if the one it took had been dropped.

    The pool's connections are not checked by a round trip before use, as that would double
    the cost of a request; asyncpg replaces those it has seen closed. One it has not yet seen
    closed fails the attempt; a restarted server drops them all, so every connection is
    replaced before the second attempt. An attempt that writes must be safe to repeat.
    """
    try:
        return await attempt()
    except DROPPED:
        await pool.expire_connections()
        return await attempt()


async def get_direct_pool(request: Request) -> DirectPool:
    pool: DirectPool = request.app.state.direct_pool
    return pool


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # Objects stay readable after commit, so a handler can return what it just saved.
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def get_engine(request: Request) -> AsyncEngine:
    engine: AsyncEngine = request.app.state.engine
    return engine


def request_of(db: AsyncSession | Session) -> Request | None:
    """The HTTP request whose unit of work `db` is; None outside one (the CLI)."""
    request: Request | None = db.info.get(REQUEST)
    return request


def on_commit(db: AsyncSession | Session, action: AfterCommit) -> None:
    """Run `action` once the transaction has committed, before the answer: what the rest of
    the service must know before the client hears of the change (a revocation)."""
    db.info.setdefault(ON_COMMIT, []).append(action)


def after_commit(db: AsyncSession, action: AfterCommit) -> None:
    """Run `action` once the transaction has committed, after the response: what it does
    (telling someone of the change) must neither delay the change nor undo it."""
    db.info.setdefault(AFTER_COMMIT, []).append(action)


def keep_on_refusal(db: AsyncSession, *rows: Any) -> None:
    """Add `rows` to the transaction, and write them even when the request is refused and its
    other changes are rolled back: the record of a refusal (a failed login) is such a row."""
    db.add_all(rows)
    db.info.setdefault(KEPT_ON_REFUSAL, []).extend(rows)


async def committed(session: AsyncSession) -> None:
    """Commit, then run the on-commit actions."""
    # A request that neither read nor wrote (a code sent by SMS) has no transaction: committing
    # would begin one only to end it, 3 % of such a request's time.
    if session.in_transaction():
        await session.commit()
    await run_after_commit(session.info.pop(ON_COMMIT, []))


async def run_after_commit(actions: list[AfterCommit]) -> None:
    for action in actions:
        try:
            await action()
        except Exception:
            # The change stands whatever happens here; nobody is left to answer to.
            logger.exception("an action after a commit failed")


async def unit_of_work(request: Request, later: BackgroundTasks) -> AsyncIterator[AsyncSession]:
    """The request's one transaction: committed once the handler has returned, else rolled back.

    Services change what they are given and never commit; a request's changes are kept whole
    or not at all (but for `keep_on_refusal`'s rows). The commit runs before the response is
    sent (the dependency's "function" scope below), so a client never hears of a change that
    did not last; `after_commit`'s actions run after the response.
    """
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        session.info[REQUEST] = request
        try:
            yield session
        except DomainError as refusal:
            if refusal.keeps_changes:
                await committed(session)
                # A refusal's answer carries no background tasks: these run before it is sent.
                await run_after_commit(session.info.get(AFTER_COMMIT, []))
            else:
                await session.rollback()
                # What the rolled-back changes would have announced never happened.
                session.info.pop(ON_COMMIT, None)
                if kept := session.info.get(KEPT_ON_REFUSAL):
                    session.add_all(kept)
                    await session.commit()
            raise
        await committed(session)
        if actions := session.info.get(AFTER_COMMIT):
            later.add_task(run_after_commit, actions)


EngineDep = Annotated[AsyncEngine, Depends(get_engine)]
DirectPoolDep = Annotated[DirectPool, Depends(get_direct_pool)]
SessionDep = Annotated[AsyncSession, Depends(unit_of_work, scope="function")]
