from fastapi import HTTPException, status
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from .models import ADMIN_ROLE, USER_ROLE, Role
from .schemas import RoleCreate

# Seeded by the migrations; the service itself relies on them.
BUILT_IN = frozenset({USER_ROLE, ADMIN_ROLE})


async def list_roles(db: AsyncSession) -> list[Role]:
    return list((await db.exec(select(Role).order_by(col(Role.name)))).all())


async def get_role(db: AsyncSession, name: str) -> Role:
    role = (await db.exec(select(Role).where(col(Role.name) == name))).first()
    if role is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"No role named {name!r}")
    return role


async def create_role(db: AsyncSession, data: RoleCreate) -> Role:
    role = Role(name=data.name, description=data.description)
    db.add(role)
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise HTTPException(
            status.HTTP_409_CONFLICT, detail=f"A role named {data.name!r} exists"
        ) from None
    return role


async def delete_role(db: AsyncSession, name: str) -> None:
    if name in BUILT_IN:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=f"The {name!r} role is built in")
    await db.delete(await get_role(db, name))
    await db.commit()
