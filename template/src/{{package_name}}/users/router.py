from fastapi import APIRouter, status

from ..auth.dependencies import CurrentUser
from .schemas import UserPublic

router = APIRouter(prefix="/users", tags=["users"])


@router.get(
    "/me",
    summary="The current user",
    operation_id="read_current_user",
    responses={status.HTTP_401_UNAUTHORIZED: {"description": "Missing or invalid token"}},
)
async def read_me(user: CurrentUser) -> UserPublic:
    return UserPublic.of(user)
