"""Sessions and their refresh tokens: one session per login, one token per rotation."""

import uuid
from datetime import datetime

from sqlmodel import Field

from ..core.ids import uuid7
from .base import TIMESTAMPTZ, CreatedAt


class AuthSession(CreatedAt, table=True):
    """A login on one device: the family every rotated refresh token of that login belongs to."""

    __tablename__ = "auth_sessions"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    revoked_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)


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
