import uuid
from typing import Annotated

from fastapi import Depends

from ..core.db import SessionDep
from ..models.users import User
from . import service


async def user_in_path(user_id: uuid.UUID, db: SessionDep) -> User:
    return await service.by_id(db, user_id)


# Declared after AdminUser in every route, so a non-admin gets 403 before any lookup.
UserInPath = Annotated[User, Depends(user_in_path)]
