"""Login sessions: start one per login, rotate its refresh token, renew its authentication,
list them, end one or all of them.

Every function changes the session it is given and leaves the commit to its caller.
"""

import uuid
from datetime import datetime, timedelta
from typing import NoReturn

from sqlalchemy import ColumnElement, ScalarSelect, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from ..audit.events import EventType, record
from ..core.clock import utcnow
from ..core.config import Settings
from ..core.db import DirectPool
from ..core.devices import Device
from ..core.metrics import REFRESH_TOKEN_REUSE, count_login_after_commit
from ..identity.profiles import contact_of
from ..identity.revocations import changed
from ..identity.tokens import Authentication, create_access_token
from ..models.sessions import AuthSession, RefreshToken
from ..notifications.notices import REFRESH_TOKEN_REUSED, Notices
from . import rotation
from .errors import InvalidRefreshTokenError, RefreshTokenReusedError, SessionNotFoundError
from .refresh_tokens import hash_refresh_token, new_refresh_token
from .schemas import AccessToken, SessionView, TokenPair


def _access_token(
    settings: Settings, user_id: uuid.UUID, session_id: uuid.UUID, authentication: Authentication
) -> AccessToken:
    lifetime = timedelta(minutes=settings.ACCESS_TOKEN_EXPIRE_MINUTES)
    secret = settings.SECRET_KEY.get_secret_value()
    token = create_access_token(user_id, session_id, authentication, secret, lifetime)
    return AccessToken(access_token=token, expires_in=int(lifetime.total_seconds()))


def _session_token(settings: Settings, session: AuthSession) -> AccessToken:
    authentication = Authentication(session.auth_time, session.amr)
    return _access_token(settings, session.user_id, session.id, authentication)


def _add_refresh_token(db: AsyncSession, settings: Settings, session: AuthSession) -> str:
    """The session's first refresh token (`rotation` adds the next ones)."""
    token = new_refresh_token()
    lifetime = timedelta(days=settings.REFRESH_TOKEN_EXPIRE_DAYS)
    db.add(
        RefreshToken(
            session_id=session.id,
            token_hash=hash_refresh_token(token),
            # No refresh token outlives its session.
            expires_at=min(utcnow() + lifetime, session.expires_at),
        )
    )
    return token


def live(now: datetime) -> ColumnElement[bool]:
    """The condition of a session that has neither been ended nor run out."""
    return col(AuthSession.revoked_at).is_(None) & (col(AuthSession.expires_at) > now)


async def start_session(
    db: AsyncSession, settings: Settings, user_id: uuid.UUID, methods: list[str], device: Device
) -> TokenPair:
    """A new session (one device's login), authenticated now by `methods`, with its first
    refresh token."""
    now = utcnow()
    session = AuthSession(
        user_id=user_id,
        created_at=now,
        expires_at=now + timedelta(days=settings.SESSION_MAX_AGE_DAYS),
        auth_time=now,
        amr=methods,
        last_used_at=now,
        ip_address=device.ip_address,
        user_agent=device.user_agent,
    )
    db.add(session)
    record(db, EventType.LOGIN_SUCCEEDED, user_id, methods=methods)
    count_login_after_commit(db, "+".join(methods))
    await db.flush()
    refresh = _add_refresh_token(db, settings, session)
    return TokenPair(**_session_token(settings, session).model_dump(), refresh_token=refresh)


async def rotate(pool: DirectPool, settings: Settings, token: str) -> TokenPair | None:
    """Spend `token` for a new pair; None when it is not a live session's unspent token
    (`refresh` refuses it). Needs no unit of work."""
    now = utcnow()
    refresh = new_refresh_token()
    expires_at = now + timedelta(days=settings.REFRESH_TOKEN_EXPIRE_DAYS)
    try:
        rotated = await rotation.rotate(
            pool,
            hash_refresh_token(token),
            hash_refresh_token(refresh),
            expires_at,
            now,
            settings.DB_POOL_TIMEOUT_SECONDS,
        )
    except rotation.SessionGoneError:
        raise InvalidRefreshTokenError from None
    if rotated is None:
        return None
    access = _access_token(settings, rotated.user_id, rotated.session_id, rotated.authentication)
    return TokenPair(**access.model_dump(), refresh_token=refresh)


async def refresh(
    db: AsyncSession, pool: DirectPool, settings: Settings, notices: Notices, token: str
) -> TokenPair:
    """Spend `token` for a new pair, or refuse it."""
    pair = await rotate(pool, settings, token)
    if pair is None:
        await _refuse(db, notices, token)
    return pair


async def _refuse(db: AsyncSession, notices: Notices, token: str) -> NoReturn:
    """The refusal of a token `rotate` could not spend: unknown, or spent before, which ends
    its whole session and tells its owner."""
    token_hash = hash_refresh_token(token)
    if not await _was_spent(db, token_hash):
        raise InvalidRefreshTokenError
    # Once per session: later tries with its tokens find it ended already.
    for user_id in await _revoke(db, col(AuthSession.id).in_(_session_of(token_hash))):
        REFRESH_TOKEN_REUSE.inc()
        record(db, EventType.SESSION_REUSE_DETECTED, user_id)
        notices.send(db, await contact_of(db, user_id), REFRESH_TOKEN_REUSED)
    raise RefreshTokenReusedError


async def reauthenticated(
    db: AsyncSession, settings: Settings, session_id: uuid.UUID, method: str
) -> AccessToken:
    """The session proved itself just now with `method`: an access token that says so (and
    its refreshes will too)."""
    session = await proved(db, session_id, [method])
    record(db, EventType.REAUTHENTICATED, session.user_id, method=method)
    return _session_token(settings, session)


async def proved(db: AsyncSession, session_id: uuid.UUID, methods: list[str]) -> AuthSession:
    """The session proved itself just now with `methods`; its next tokens say so."""
    session = await db.get(AuthSession, session_id)
    assert session is not None  # the caller's, read a moment ago
    session.auth_time, session.amr = utcnow(), list(dict.fromkeys(methods))
    db.add(session)
    return session


async def live_sessions(db: AsyncSession, user_id: uuid.UUID) -> list[AuthSession]:
    """The user's sessions that have neither ended nor run out, newest first."""
    query = (
        select(AuthSession)
        .where(col(AuthSession.user_id) == user_id, live(utcnow()))
        .order_by(col(AuthSession.created_at).desc(), col(AuthSession.id).desc())
    )
    return list((await db.exec(query)).all())


def view(session: AuthSession, current: uuid.UUID) -> SessionView:
    """The session as its owner sees it; `current` is the session of the request that asks."""
    return SessionView.model_validate({**session.model_dump(), "current": session.id == current})


async def end_session_of(
    db: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID, actor_id: uuid.UUID | None = None
) -> None:
    """End the user's live session `session_id`; any other is not theirs to end."""
    ended = await _revoke(
        db, (col(AuthSession.id) == session_id) & (col(AuthSession.user_id) == user_id)
    )
    if not ended:
        raise SessionNotFoundError
    record(db, EventType.SESSION_ENDED, user_id, actor_id=actor_id, session_id=str(session_id))


def _session_of(token_hash: str) -> ScalarSelect[uuid.UUID]:
    query = select(RefreshToken.session_id).where(col(RefreshToken.token_hash) == token_hash)
    return query.scalar_subquery()


async def _was_spent(db: AsyncSession, token_hash: str) -> bool:
    query = select(RefreshToken.id).where(
        col(RefreshToken.token_hash) == token_hash, col(RefreshToken.used_at).is_not(None)
    )
    return (await db.exec(query)).first() is not None


async def end_session(db: AsyncSession, token: str) -> None:
    """End the session `token` belongs to, spent or not; unknown tokens end nothing."""
    condition = col(AuthSession.id).in_(_session_of(hash_refresh_token(token)))
    for user_id in await _revoke(db, condition):
        record(db, EventType.SESSION_ENDED, user_id)


async def end_all_sessions(
    db: AsyncSession, user_id: uuid.UUID, keep: uuid.UUID | None = None
) -> int:
    """End every session of the user, but `keep` when given; how many there were."""
    condition = col(AuthSession.user_id) == user_id
    if keep is not None:
        condition = condition & (col(AuthSession.id) != keep)
    return len(await _revoke(db, condition))


async def log_out_everywhere(
    db: AsyncSession, user_id: uuid.UUID, actor_id: uuid.UUID | None = None
) -> None:
    """End every session of the user, at their request or an admin's (`actor_id`)."""
    ended = await end_all_sessions(db, user_id)
    record(db, EventType.SESSIONS_ENDED_ALL, user_id, actor_id=actor_id, sessions=ended)


async def _revoke(db: AsyncSession, condition: ColumnElement[bool]) -> list[uuid.UUID]:
    """End the live sessions that meet `condition`; the user of each."""
    now = utcnow()
    ended = await db.exec(
        update(AuthSession)
        .where(condition, live(now))
        .values(revoked_at=now)
        .returning(col(AuthSession.user_id))
    )
    users = list(ended.scalars())
    changed(db, *users)
    return users
