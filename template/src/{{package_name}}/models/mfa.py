"""The second factor: an authenticator app's shared secret, and the recovery codes beside it."""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, UniqueConstraint
from sqlmodel import Field

from ..core.ids import uuid7
from .base import TIMESTAMPTZ, CreatedAt


class TotpFactor(CreatedAt, table=True):
    """A user's authenticator app (RFC 6238): on once a code from it has confirmed it."""

    __tablename__ = "totp_factors"

    user_id: uuid.UUID = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    # The shared secret, encrypted (see mfa/sealing.py): a copy of the table cannot make codes.
    sealed_secret: str = Field(max_length=255)
    confirmed_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    # The time step of the last code accepted: no code of it or before it is accepted again.
    last_used_step: int | None = Field(default=None, sa_type=BigInteger)


class RecoveryCode(CreatedAt, table=True):
    """One of the codes that stand in for the authenticator once each, kept only as a hash."""

    __tablename__ = "recovery_codes"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE")
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
