import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from ..auth.current_user import AuthenticatedUser
from ..auth.dependencies import AdminUser, CurrentUser, OtpStoreDep
from ..auth.service import forget_codes
from ..core.db import SessionDep
from ..core.schemas import errors
from ..roles import service as roles
from . import service
from .models import User
from .schemas import ProfileUpdate, UserAdminUpdate, UserAdminView, UserPage, UserPublic

router = APIRouter(prefix="/users", tags=["users"], responses=errors(401))


async def user_in_path(user_id: uuid.UUID, db: SessionDep) -> User:
    return await service.by_id(db, user_id)


# Declared after AdminUser in every route, so a non-admin gets 403 before any lookup.
UserInPath = Annotated[User, Depends(user_in_path)]


@router.get(
    "/me", response_model=UserPublic, summary="The current user", operation_id="read_current_user"
)
async def read_me(user: CurrentUser) -> AuthenticatedUser:
    return user


@router.put(
    "/me",
    summary="Change the current user's profile",
    operation_id="update_current_user",
)
async def update_me(body: ProfileUpdate, current: CurrentUser, db: SessionDep) -> UserPublic:
    user = await service.by_id(db, current.id)
    return UserPublic.of(await service.update(db, user, body.model_dump(exclude_unset=True)))


@router.delete(
    "/me",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete the current user and end all their sessions",
    operation_id="delete_current_user",
    responses=errors(409),
)
async def delete_me(current: CurrentUser, db: SessionDep, otp: OtpStoreDep) -> Response:
    user = await service.by_id(db, current.id)
    await service.remove(db, user)
    await forget_codes(otp, user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/", summary="List users, oldest first", operation_id="list_users", responses=errors(403)
)
async def list_users(
    _: AdminUser,
    db: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> UserPage:
    users, total = await service.page(db, offset, limit)
    items = [UserAdminView.of(user) for user in users]
    return UserPage(items=items, total=total, offset=offset, limit=limit)


@router.get(
    "/{user_id}",
    summary="Read a user",
    operation_id="read_user",
    responses=errors(403, 404),
)
async def read_user(_: AdminUser, user: UserInPath) -> UserAdminView:
    return UserAdminView.of(user)


@router.put(
    "/{user_id}",
    summary="Change a user's profile or deactivate them",
    operation_id="update_user",
    responses=errors(403, 404, 409),
)
async def update_user(
    body: UserAdminUpdate, _: AdminUser, user: UserInPath, db: SessionDep
) -> UserAdminView:
    changes = body.model_dump(exclude_unset=True)
    return UserAdminView.of(await service.update(db, user, changes))


@router.delete(
    "/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a user and end all their sessions",
    operation_id="delete_user",
    responses=errors(403, 404, 409),
)
async def delete_user(_: AdminUser, user: UserInPath, db: SessionDep, otp: OtpStoreDep) -> Response:
    await service.remove(db, user)
    await forget_codes(otp, user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{user_id}/roles/{role_name}",
    summary="Give a user a role",
    operation_id="assign_role",
    responses=errors(403, 404),
)
async def assign_role(
    role_name: str, _: AdminUser, user: UserInPath, db: SessionDep
) -> UserAdminView:
    role = await roles.get_role(db, role_name)
    return UserAdminView.of(await service.add_role(db, user, role))


@router.delete(
    "/{user_id}/roles/{role_name}",
    summary="Take a role from a user",
    operation_id="remove_role",
    responses=errors(403, 404, 409),
)
async def remove_role(
    role_name: str, _: AdminUser, user: UserInPath, db: SessionDep
) -> UserAdminView:
    role = await roles.get_role(db, role_name)
    return UserAdminView.of(await service.remove_role(db, user, role))
