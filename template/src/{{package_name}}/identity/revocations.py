"""The revocation channel: a Redis channel naming each user whose identity a transaction
changed (a session ended, deactivated, deleted, a role or the profile changed), published once
it commits and before its answer; every worker follows it and forgets what it remembered of
them (callers.py).

ORM changes to the tables the identity query reads are found at flush; statements that change
many rows at once say which users they changed with `changed`.
"""

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager, suppress
from itertools import chain
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.sql.util import find_tables
from sqlmodel.ext.asyncio.session import AsyncSession

from ..core.config import Settings
from ..core.db import on_commit, request_of
from ..models.roles import Role
from ..models.sessions import AuthSession
from ..models.users import User
from .caller import QUERY
from .callers import Callers

logger = logging.getLogger(__name__)
# Followed by the database's number: see channel_of.
CHANNEL = "identity:changed"
# A role renamed or deleted changes everyone who held it.
EVERYONE = "*"
# The tables whose rows make a caller what they are.
WATCHED = {table.name for table in find_tables(QUERY)}
# What a transaction changed, kept in its session's `info` until it commits.
CHANGED = "identity_changed"
# An idle subscription is checked this often: a connection that died silently is found.
HEARTBEAT_SECONDS = 5.0
# How the subscriptions show in Redis's CLIENT LIST.
CLIENT_NAME = f"{__name__.partition('.')[0]}-revocations"
RESUBSCRIBE_SECONDS = 0.5


def channel_of(redis: Redis) -> str:
    """The channel of the database `redis` uses. Redis delivers a message to the subscribers of
    every database on its server, and services that share a server, each in a database of its
    own, must not hear each other: each would forget the other's users and read its own again."""
    return f"{CHANNEL}:{redis.connection_pool.connection_kwargs.get('db', 0)}"


def changed(db: AsyncSession | Session, *user_ids: uuid.UUID | str) -> None:
    """The transaction changes these users' identity (EVERYONE: every user's): announce them
    once it commits."""
    pending: set[str] | None = db.info.get(CHANGED)
    if pending is None:
        pending = db.info[CHANGED] = set()
        on_commit(db, lambda: announce(db, pending))
    pending.update(map(str, user_ids))


async def announce(db: AsyncSession | Session, user_ids: Iterable[str]) -> None:
    request = request_of(db)
    if request is None:  # the CLI: no worker remembers what it changes for more than a minute
        return
    # This worker forgets at once: the client's next request may well come back to it before
    # its own subscription delivers the message.
    callers: Callers = request.app.state.callers
    for user_id in user_ids:
        _forget(callers, user_id)
    redis: Redis = request.app.state.redis
    channel = channel_of(redis)
    async with redis.pipeline(transaction=False) as pipe:
        for user_id in user_ids:
            pipe.publish(channel, user_id)
        await pipe.execute()


def _user_of(row: object, new: bool) -> str | None:
    table = getattr(row, "__tablename__", None)
    if table not in WATCHED or (new and isinstance(row, AuthSession)):
        return None  # a new session is in no worker's memory yet
    if isinstance(row, User):
        return str(row.id)
    if isinstance(row, Role):
        return EVERYONE
    return str(row.user_id)  # type: ignore[attr-defined]


@event.listens_for(Session, "after_flush")
def _found_at_flush(session: Session, _: Any) -> None:
    # A row set to what it held already (a login marks the number verified again) is no change.
    modified = (row for row in session.dirty if session.is_modified(row))
    found = [_user_of(row, new=True) for row in session.new]
    found += [_user_of(row, new=False) for row in chain(modified, session.deleted)]
    if users := {user for user in found if user is not None}:
        changed(session, *users)


@asynccontextmanager
async def following(settings: Settings, callers: Callers) -> AsyncIterator[None]:
    """The worker follows the channel for `callers` while inside."""
    task = asyncio.create_task(_follow(settings, callers))
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


async def _follow(settings: Settings, callers: Callers) -> None:
    """Keep `callers` told of every change, until cancelled; while the subscription is down
    they trust nothing, and each new subscription starts them with an empty memory."""
    # A connection of its own that never reconnects behind our back: a silent reconnection
    # would hide the gap in which messages were missed.
    redis = Redis.from_url(
        settings.REDIS_URL,
        decode_responses=True,
        socket_connect_timeout=settings.REDIS_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),
        client_name=CLIENT_NAME,
    )
    try:
        while True:
            try:
                await _listen(redis, callers)
            except Exception:
                logger.warning("the revocation channel is down; callers are read each time")
            finally:
                callers.stop_following()
            await asyncio.sleep(RESUBSCRIBE_SECONDS)
    finally:
        await redis.aclose()


async def _listen(redis: Redis, callers: Callers) -> None:
    async with redis.pubsub() as subscription:
        await subscription.subscribe(channel_of(redis))
        while True:
            message = await subscription.get_message(timeout=HEARTBEAT_SECONDS)
            if message is None:
                await subscription.ping()
            elif message["type"] == "subscribe":
                callers.start_following()
            elif message["type"] == "message":
                _forget(callers, message["data"])


def _forget(callers: Callers, announced: str) -> None:
    if announced == EVERYONE:
        callers.forget_everyone()
    else:
        callers.forget_user(uuid.UUID(announced))
