"""Roles: listed, created, looked up and deleted; the commit is the caller's."""

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from ..models.roles import ADMIN_ROLE, USER_ROLE, Role
from .errors import BuiltInRoleError, RoleExistsError, RoleNotFoundError
from .schemas import RoleCreate

BUILT_IN = frozenset({USER_ROLE, ADMIN_ROLE})


async def list_roles(db: AsyncSession) -> list[Role]:
    return list((await db.exec(select(Role).order_by(col(Role.name)))).all())


async def get_role(db: AsyncSession, name: str) -> Role:
    role = (await db.exec(select(Role).where(col(Role.name) == name))).first()
    if role is None:
        raise RoleNotFoundError(name)
    return role


async def create_role(db: AsyncSession, data: RoleCreate) -> Role:
    role = Role(name=data.name, description=data.description)
    db.add(role)
    try:
        await db.flush()
    except IntegrityError:
        raise RoleExistsError(data.name) from None
    return role


async def delete_role(db: AsyncSession, name: str) -> None:
    if name in BUILT_IN:
        raise BuiltInRoleError(name)
    await db.delete(await get_role(db, name))
