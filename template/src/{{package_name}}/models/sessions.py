"""Sessions and their refresh tokens: one session per login, one token per rotation."""

import uuid
from datetime import datetime

from sqlalchemy import ARRAY, Column, String
from sqlmodel import Field

from ..core.clock import utcnow
from ..core.ids import uuid7
from .base import TIMESTAMPTZ, CreatedAt


class AuthSession(CreatedAt, table=True):
    """A login on one device: the family every rotated refresh token of that login belongs to."""

    __tablename__ = "auth_sessions"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    revoked_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    # Its end, whatever its refreshes: SESSION_MAX_AGE_DAYS after the login.
    expires_at: datetime = Field(sa_type=TIMESTAMPTZ)
    # When the session last proved a code or a password, and how (RFC 8176 method names).
    auth_time: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMPTZ)
    amr: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(String(16)), nullable=False)
    )
    # Kept to the minute: a request writes it at most once a minute.
    last_used_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMPTZ)
    user_agent: str | None = Field(default=None, max_length=512)
    ip_address: str | None = Field(default=None, max_length=45)


class RefreshToken(CreatedAt, table=True):
    __tablename__ = "refresh_tokens"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    session_id: uuid.UUID = Field(foreign_key="auth_sessions.id", index=True, ondelete="CASCADE")
    # SHA-256 of the token: 256 random bits need no slow hash, only no plain copy at rest.
    token_hash: str = Field(max_length=64, unique=True)
    parent_id: uuid.UUID | None = Field(default=None)
    expires_at: datetime = Field(sa_type=TIMESTAMPTZ)
    # Set when the token is rotated; presenting it again is reuse and ends its session.
    used_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
