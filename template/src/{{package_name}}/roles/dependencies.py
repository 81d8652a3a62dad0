from typing import Annotated

from fastapi import Depends

from ..core.db import SessionDep
from ..models.roles import Role
from . import service


async def role_in_path(role_name: str, db: SessionDep) -> Role:
    return await service.get_role(db, role_name)


# Declared after AdminUser in every route, so a non-admin gets 403 before any lookup.
RoleInPath = Annotated[Role, Depends(role_in_path)]
