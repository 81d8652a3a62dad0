"""Login sessions: start one per login, rotate its refresh token, end one or all of them.

Every function changes the session it is given and leaves the commit to its caller.
"""

import uuid
from datetime import timedelta

from sqlalchemy import ColumnElement, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from ..core.clock import utcnow
from ..core.config import Settings
from ..identity.tokens import create_access_token
from ..models.sessions import AuthSession, RefreshToken
from ..models.users import User
from .errors import InvalidRefreshTokenError, RefreshTokenReusedError
from .refresh_tokens import hash_refresh_token, new_refresh_token
from .schemas import TokenPair


def _pair(settings: Settings, user_id: uuid.UUID, session_id: uuid.UUID, refresh: str) -> TokenPair:
    lifetime = timedelta(minutes=settings.ACCESS_TOKEN_EXPIRE_MINUTES)
    secret = settings.SECRET_KEY.get_secret_value()
    access = create_access_token(user_id, session_id, secret, lifetime)
    return TokenPair(
        access_token=access, refresh_token=refresh, expires_in=int(lifetime.total_seconds())
    )


def _add_refresh_token(
    db: AsyncSession, settings: Settings, session_id: uuid.UUID, parent_id: uuid.UUID | None
) -> str:
    token = new_refresh_token()
    db.add(
        RefreshToken(
            session_id=session_id,
            parent_id=parent_id,
            token_hash=hash_refresh_token(token),
            expires_at=utcnow() + timedelta(days=settings.REFRESH_TOKEN_EXPIRE_DAYS),
        )
    )
    return token


async def start_session(db: AsyncSession, settings: Settings, user_id: uuid.UUID) -> TokenPair:
    """A new session (one device's login) with its first refresh token."""
    auth_session = AuthSession(user_id=user_id)
    db.add(auth_session)
    await db.flush()
    refresh = _add_refresh_token(db, settings, auth_session.id, parent_id=None)
    return _pair(settings, user_id, auth_session.id, refresh)


async def rotate(db: AsyncSession, settings: Settings, token: str) -> TokenPair:
    """Spend `token` for a new pair; a token spent before ends its whole session."""
    token_hash = hash_refresh_token(token)
    now = utcnow()
    # One conditional UPDATE: of any number of parallel requests, exactly one finds it unspent.
    spent = await db.exec(
        update(RefreshToken)
        .where(
            col(RefreshToken.token_hash) == token_hash,
            col(RefreshToken.used_at).is_(None),
            col(RefreshToken.expires_at) > now,
        )
        .values(used_at=now)
        .returning(col(RefreshToken.id), col(RefreshToken.session_id))
    )
    row = spent.first()
    if row is None:
        if await _end_session_of_spent_token(db, token_hash):
            raise RefreshTokenReusedError
        raise InvalidRefreshTokenError
    token_id, session_id = row
    owner = await db.exec(
        select(AuthSession.user_id)
        .join(User, col(User.id) == col(AuthSession.user_id))
        .where(
            col(AuthSession.id) == session_id,
            col(AuthSession.revoked_at).is_(None),
            col(User.is_active),
        )
    )
    user_id = owner.first()
    if user_id is None:
        raise InvalidRefreshTokenError
    refresh = _add_refresh_token(db, settings, session_id, parent_id=token_id)
    return _pair(settings, user_id, session_id, refresh)


async def _end_session_of_spent_token(db: AsyncSession, token_hash: str) -> bool:
    """End the session of `token_hash` if that token was spent; whether it was."""
    sessions = select(RefreshToken.session_id).where(
        col(RefreshToken.token_hash) == token_hash, col(RefreshToken.used_at).is_not(None)
    )
    spent = await db.exec(sessions)
    if spent.first() is None:
        return False
    await _revoke(db, col(AuthSession.id).in_(sessions.scalar_subquery()))
    return True


async def end_session(db: AsyncSession, token: str) -> None:
    """End the session `token` belongs to, spent or not; unknown tokens end nothing."""
    sessions = select(RefreshToken.session_id).where(
        col(RefreshToken.token_hash) == hash_refresh_token(token)
    )
    await _revoke(db, col(AuthSession.id).in_(sessions.scalar_subquery()))


async def end_all_sessions(
    db: AsyncSession, user_id: uuid.UUID, keep: uuid.UUID | None = None
) -> None:
    """End every session of the user, but `keep` when given."""
    condition = col(AuthSession.user_id) == user_id
    if keep is not None:
        condition = condition & (col(AuthSession.id) != keep)
    await _revoke(db, condition)


async def _revoke(db: AsyncSession, condition: ColumnElement[bool]) -> None:
    await db.exec(
        update(AuthSession)
        .where(condition, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
