"""A refresh in one statement, outside any transaction: spend the token, renew its session, add
the next token.

Each step needs the one before it, and each would be a round trip of its own; chained in one
statement they are one, atomic without a BEGIN and a COMMIT around it, so it runs on the direct
pool (through the ORM it took four round trips: the pool's ping, BEGIN, the statement, COMMIT).
The token is spent only while its session is live and its user active, so a refusal leaves
nothing to undo; and conditionally, so of any number of parallel refreshes of one token exactly
one finds it unspent.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from ..core.db import DirectPool, surviving_drops
from ..core.ids import uuid7
from ..identity.tokens import Authentication

# $1 the token's hash, $2 the time now, $3 the next token's id, $4 its hash, $5 its expiry.
# The session's liveness (not ended, not run out, its user active: `service.live` for the ORM)
# is read twice on purpose: in `live`, from the statement's snapshot, so that nothing is spent
# for a dead session; and in `renewed`, where the UPDATE rechecks the session row's latest
# version under its lock, because a logout may commit between the two.
# The last SELECT finds the next token a first try added when its connection then failed: a
# second try (core/db.surviving_drops) answers as the first would have, where it would otherwise
# find the token spent and take itself for a thief.
ROTATE = """
WITH live AS (
    SELECT refresh_tokens.id
    FROM refresh_tokens
    JOIN auth_sessions ON auth_sessions.id = refresh_tokens.session_id
    JOIN users ON users.id = auth_sessions.user_id
    WHERE refresh_tokens.token_hash = $1 AND refresh_tokens.used_at IS NULL
        AND refresh_tokens.expires_at > $2 AND users.is_active
        AND auth_sessions.revoked_at IS NULL AND auth_sessions.expires_at > $2
), spent AS (
    UPDATE refresh_tokens SET used_at = $2
    FROM live
    WHERE refresh_tokens.id = live.id AND refresh_tokens.used_at IS NULL
    RETURNING refresh_tokens.id, refresh_tokens.session_id
), renewed AS (
    UPDATE auth_sessions SET last_used_at = $2
    FROM spent, users
    WHERE auth_sessions.id = spent.session_id
        AND users.id = auth_sessions.user_id AND users.is_active
        AND auth_sessions.revoked_at IS NULL AND auth_sessions.expires_at > $2
    RETURNING auth_sessions.id, auth_sessions.user_id, auth_sessions.auth_time,
        auth_sessions.amr, auth_sessions.expires_at, spent.id AS parent_id
), added AS (
    INSERT INTO refresh_tokens (id, created_at, session_id, parent_id, token_hash, expires_at)
    -- No refresh token outlives its session.
    SELECT $3, $2, id, parent_id, $4, LEAST($5, expires_at)
    FROM renewed
)
SELECT renewed.id, renewed.user_id, renewed.auth_time, renewed.amr
FROM spent LEFT JOIN renewed ON true
UNION ALL
SELECT auth_sessions.id, auth_sessions.user_id, auth_sessions.auth_time, auth_sessions.amr
FROM refresh_tokens JOIN auth_sessions ON auth_sessions.id = refresh_tokens.session_id
WHERE refresh_tokens.id = $3
"""


@dataclass(frozen=True)
class Rotated:
    """The session a refresh renewed, as its next access token describes it."""

    session_id: uuid.UUID
    user_id: uuid.UUID
    authentication: Authentication


class SessionGoneError(Exception):
    """The token was live, but its session ended, ran out or lost its user while it was spent."""


async def rotate(
    pool: DirectPool,
    token_hash: str,
    next_hash: str,
    next_expires_at: datetime,
    now: datetime,
    acquire_timeout: float,
) -> Rotated | None:
    """Spend the token of `token_hash` for the one of `next_hash`; None when no unspent,
    unexpired token of a live session has that hash."""
    args = (token_hash, now, uuid7(), next_hash, next_expires_at)

    async def attempt() -> asyncpg.Record | None:
        async with pool.acquire(timeout=acquire_timeout) as connection:
            return await connection.fetchrow(ROTATE, *args)

    row = await surviving_drops(pool, attempt)
    if row is None:
        return None
    session_id, user_id, auth_time, amr = row
    if session_id is None:
        raise SessionGoneError
    return Rotated(session_id, user_id, Authentication(auth_time, amr))
