"""The two reads of the audit log: one's own events, and everyone's for admins."""

import uuid
from typing import Annotated

from fastapi import Query

from ..core.db import SessionDep
from ..core.errors import InvalidInputError, NotAuthenticatedError
from ..core.routing import DocumentedRouter
from ..core.schemas import responses
from ..identity.dependencies import AdminUser, CurrentUser
from ..identity.errors import AdminMfaRequiredError, AdminRequiredError
from . import service
from .events import EventType
from .schemas import EventPage

BIGINT_MAX = 2**63 - 1
Offset = Annotated[int, Query(ge=0, le=BIGINT_MAX)]
Limit = Annotated[int, Query(ge=1, le=100)]
router = DocumentedRouter(responses=responses(NotAuthenticatedError, InvalidInputError))


@router.get(
    "/users/me/events",
    tags=["users"],
    summary="The current user's security events, newest first",
    operation_id="read_current_user_events",
)
async def read_my_events(
    caller: CurrentUser, db: SessionDep, offset: Offset = 0, limit: Limit = 50
) -> EventPage:
    events, total = await service.page(db, offset, limit, user_id=caller.id)
    return EventPage(items=events, total=total, offset=offset, limit=limit)


@router.get(
    "/audit-events",
    tags=["audit"],
    summary="Every security event, newest first, by user and type",
    operation_id="list_audit_events",
    responses=responses(AdminRequiredError, AdminMfaRequiredError),
)
async def list_events(
    _: AdminUser,
    db: SessionDep,
    user_id: uuid.UUID | None = None,
    type: EventType | None = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> EventPage:
    events, total = await service.page(db, offset, limit, user_id=user_id, event_type=type)
    return EventPage(items=events, total=total, offset=offset, limit=limit)
