"""The caller's own sessions: the devices logged in to their account, each of which they can end."""

import uuid

from fastapi import Response, status

from ..core.db import SessionDep
from ..core.errors import InvalidInputError, NotAuthenticatedError, TooManyRequestsError
from ..core.guards import AuthRouter
from ..core.schemas import responses
from ..identity.dependencies import CurrentUser
from . import service
from .errors import SessionNotFoundError
from .schemas import SessionView

router = AuthRouter(
    prefix="/auth/sessions",
    responses=responses(NotAuthenticatedError, TooManyRequestsError, InvalidInputError),
)


@router.get(
    "",
    summary="The current user's live sessions, newest first",
    operation_id="list_sessions",
)
async def list_sessions(caller: CurrentUser, db: SessionDep) -> list[SessionView]:
    live = await service.live_sessions(db, caller.id)
    return [service.view(session, current=caller.session.id) for session in live]


@router.delete(
    "/{session_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End one of the current user's sessions",
    operation_id="end_session",
    responses=responses(SessionNotFoundError),
)
async def end_session(session_id: uuid.UUID, caller: CurrentUser, db: SessionDep) -> Response:
    """Its access and refresh tokens stop working at once, on every worker."""
    await service.end_session_of(db, caller.id, session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
