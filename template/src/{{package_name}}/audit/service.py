"""Reading and pruning the audit log (events are written by `events.record`)."""

import uuid
from datetime import timedelta

from sqlalchemy import delete, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from ..core.clock import utcnow
from ..models.audit_events import AuditEvent
from .events import EventType
from .schemas import EventView


async def page(
    db: AsyncSession,
    offset: int,
    limit: int,
    *,
    user_id: uuid.UUID | None = None,
    event_type: EventType | None = None,
) -> tuple[list[EventView], int]:
    """Events newest first (ids are time-ordered), filtered by user and type."""
    conditions = []
    if user_id is not None:
        conditions.append(col(AuditEvent.user_id) == user_id)
    if event_type is not None:
        conditions.append(col(AuditEvent.type) == event_type)
    query = select(AuditEvent).where(*conditions)
    events = await db.exec(query.order_by(col(AuditEvent.id).desc()).offset(offset).limit(limit))
    counted = select(func.count()).select_from(AuditEvent).where(*conditions)
    total = (await db.exec(counted)).one()
    return [EventView.model_validate(event) for event in events], total


async def prune(db: AsyncSession, retention_days: int) -> int:
    """Delete the events older than the retention; how many went."""
    cutoff = utcnow() - timedelta(days=retention_days)
    deleted = await db.exec(delete(AuditEvent).where(col(AuditEvent.created_at) < cutoff))
    return deleted.rowcount
