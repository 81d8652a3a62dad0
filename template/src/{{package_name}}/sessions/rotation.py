"""A refresh in one statement: spend the token, renew its session, add the next token.

Each of those needs the one before it, and each would be a round trip of its own; chained in
one statement they are one, and the whole refresh is that statement and the commit. The first
step is conditional, so of any number of parallel refreshes of one token exactly one finds it
unspent; the other two find nothing when the session has ended, run out or lost its user, and
the caller's refusal rolls the spending back.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from ..core.ids import uuid7
from ..identity.tokens import Authentication

ROTATE = text("""
WITH spent AS (
    UPDATE refresh_tokens SET used_at = :now
    WHERE token_hash = :token_hash AND used_at IS NULL AND expires_at > :now
    RETURNING id, session_id
), renewed AS (
    UPDATE auth_sessions SET last_used_at = :now
    FROM spent, users
    WHERE auth_sessions.id = spent.session_id
        AND users.id = auth_sessions.user_id AND users.is_active
        AND auth_sessions.revoked_at IS NULL AND auth_sessions.expires_at > :now
    RETURNING auth_sessions.id, auth_sessions.user_id, auth_sessions.auth_time,
        auth_sessions.amr, auth_sessions.expires_at, spent.id AS parent_id
), added AS (
    INSERT INTO refresh_tokens (id, created_at, session_id, parent_id, token_hash, expires_at)
    -- No refresh token outlives its session.
    SELECT :next_id, :now, id, parent_id, :next_hash, LEAST(:next_expires_at, expires_at)
    FROM renewed
)
SELECT renewed.id, renewed.user_id, renewed.auth_time, renewed.amr
FROM spent LEFT JOIN renewed ON true
""")


@dataclass(frozen=True)
class Rotated:
    """The session a refresh renewed, as its next access token describes it."""

    session_id: uuid.UUID
    user_id: uuid.UUID
    authentication: Authentication


class SessionGoneError(Exception):
    """The token was unspent, but its session has ended, run out or lost its user."""


async def rotate(
    db: AsyncSession, token_hash: str, next_hash: str, next_expires_at: datetime, now: datetime
) -> Rotated | None:
    """Spend the token of `token_hash` for the one of `next_hash`; None when no unspent,
    unexpired token has that hash."""
    # Plain SQL on the transaction's connection: nothing here is for the ORM to track.
    connection = await db.connection()
    result = await connection.execute(
        ROTATE,
        {
            "now": now,
            "token_hash": token_hash,
            "next_id": uuid7(),
            "next_hash": next_hash,
            "next_expires_at": next_expires_at,
        },
    )
    row = result.first()
    if row is None:
        return None
    session_id, user_id, auth_time, amr = row
    if session_id is None:
        raise SessionGoneError
    return Rotated(session_id, user_id, Authentication(auth_time, amr))
