from typing import Annotated

from fastapi import Query, Request, Response, status

from ..core.db import SessionDep
from ..core.errors import InvalidInputError, NotAuthenticatedError
from ..core.routing import DocumentedRouter, RequestRoute
from ..core.schemas import responses
from ..credentials.dependencies import CodeStoreDep
from ..identity.dependencies import (
    AdminUser,
    CurrentUser,
    RecentlyAuthenticatedUser,
    current_user,
)
from ..identity.errors import (
    AdminMfaRequiredError,
    AdminRequiredError,
    ReauthenticationRequiredError,
)
from ..roles.dependencies import RoleInPath
from ..roles.errors import RoleNotFoundError
from ..sessions import service as sessions
from ..sessions.schemas import SessionView
from . import service
from .dependencies import UserInPath
from .errors import LastAdminError, UserNotFoundError
from .schemas import ProfileUpdate, UserAdminUpdate, UserAdminView, UserPage, UserPublic

# The largest OFFSET PostgreSQL takes.
BIGINT_MAX = 2**63 - 1
router = DocumentedRouter(
    prefix="/users", tags=["users"], responses=responses(NotAuthenticatedError)
)
ADMIN = (AdminRequiredError, AdminMfaRequiredError, InvalidInputError)


async def read_me(request: Request) -> Response:
    # The service's most frequent request, answered without FastAPI's per-request work (a
    # RequestRoute): the caller is found, and serialised, here.
    caller = await current_user(request)
    public = UserPublic.model_validate(caller, from_attributes=True)
    return Response(public.model_dump_json(), media_type="application/json")


# Documented as a route with the CurrentUser dependency would be.
router.add_api_route(
    "/me",
    read_me,
    methods=["GET"],
    response_model=UserPublic,
    summary="The current user",
    operation_id="read_current_user",
    openapi_extra=current_user.security,
    route_class_override=RequestRoute,
)


@router.put(
    "/me",
    summary="Change the current user's profile",
    operation_id="update_current_user",
    responses=responses(InvalidInputError),
)
async def update_me(body: ProfileUpdate, caller: CurrentUser, db: SessionDep) -> UserPublic:
    user = await service.by_id(db, caller.id)
    await service.update(db, user, body.model_dump(exclude_unset=True))
    return await service.view(db, UserPublic, user.id)


@router.delete(
    "/me",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete the current user and end all their sessions",
    operation_id="delete_current_user",
    responses=responses(ReauthenticationRequiredError, LastAdminError),
)
async def delete_me(
    caller: RecentlyAuthenticatedUser, db: SessionDep, codes: CodeStoreDep
) -> Response:
    await service.remove(db, codes, await service.by_id(db, caller.id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/",
    summary="List users, oldest first",
    operation_id="list_users",
    responses=responses(*ADMIN),
)
async def list_users(
    _: AdminUser,
    db: SessionDep,
    offset: Annotated[int, Query(ge=0, le=BIGINT_MAX)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> UserPage:
    users, total = await service.page(db, offset, limit)
    return UserPage(items=users, total=total, offset=offset, limit=limit)


@router.get(
    "/{user_id}",
    summary="Read a user",
    operation_id="read_user",
    responses=responses(*ADMIN, UserNotFoundError),
)
async def read_user(_: AdminUser, user: UserInPath, db: SessionDep) -> UserAdminView:
    return await service.view(db, UserAdminView, user.id)


@router.put(
    "/{user_id}",
    summary="Change a user's profile or deactivate them",
    operation_id="update_user",
    responses=responses(*ADMIN, UserNotFoundError, LastAdminError),
)
async def update_user(
    body: UserAdminUpdate, admin: AdminUser, user: UserInPath, db: SessionDep
) -> UserAdminView:
    await service.update(db, user, body.model_dump(exclude_unset=True), actor_id=admin.id)
    return await service.view(db, UserAdminView, user.id)


@router.delete(
    "/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a user and end all their sessions",
    operation_id="delete_user",
    responses=responses(*ADMIN, UserNotFoundError, LastAdminError),
)
async def delete_user(
    admin: AdminUser, user: UserInPath, db: SessionDep, codes: CodeStoreDep
) -> Response:
    await service.remove(db, codes, user, actor_id=admin.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{user_id}/sessions",
    summary="List a user's live sessions, newest first",
    operation_id="list_user_sessions",
    responses=responses(*ADMIN, UserNotFoundError),
)
async def list_user_sessions(
    caller: AdminUser, user: UserInPath, db: SessionDep
) -> list[SessionView]:
    live = await sessions.live_sessions(db, user.id)
    return [sessions.view(session, current=caller.session.id) for session in live]


@router.delete(
    "/{user_id}/sessions",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End every session of a user",
    operation_id="end_user_sessions",
    responses=responses(*ADMIN, UserNotFoundError),
)
async def end_user_sessions(admin: AdminUser, user: UserInPath, db: SessionDep) -> Response:
    await sessions.log_out_everywhere(db, user.id, actor_id=admin.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{user_id}/roles/{role_name}",
    summary="Give a user a role",
    operation_id="assign_role",
    responses=responses(*ADMIN, UserNotFoundError, RoleNotFoundError),
)
async def assign_role(
    admin: AdminUser, user: UserInPath, role: RoleInPath, db: SessionDep
) -> UserAdminView:
    await service.assign_role(db, user, role, actor_id=admin.id)
    return await service.view(db, UserAdminView, user.id)


@router.delete(
    "/{user_id}/roles/{role_name}",
    summary="Take a role from a user",
    operation_id="remove_role",
    responses=responses(*ADMIN, UserNotFoundError, RoleNotFoundError, LastAdminError),
)
async def remove_role(
    admin: AdminUser, user: UserInPath, role: RoleInPath, db: SessionDep
) -> UserAdminView:
    await service.remove_role(db, user, role, actor_id=admin.id)
    return await service.view(db, UserAdminView, user.id)
