"""The audit log: one row per security event, written in the transaction of its change."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from ..core.clock import utcnow
from ..core.ids import uuid7
from .base import TIMESTAMPTZ


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"
    # Both reads are newest first: a user's events, and everyone's of a type. The ids are
    # time-ordered (UUIDv7), so each index yields its rows in order without a sort.
    __table_args__ = (
        Index("ix_audit_events_user_id_id", "user_id", "id"),
        Index("ix_audit_events_type_id", "type", "id"),
        Index("ix_audit_events_created_at", "created_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    type: str = Field(max_length=40)
    # No foreign keys: the events of a deleted account stay readable until pruned.
    user_id: uuid.UUID | None = Field(default=None)
    actor_id: uuid.UUID | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMPTZ)
    ip_address: str | None = Field(default=None, max_length=45)
    user_agent: str | None = Field(default=None, max_length=512)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
