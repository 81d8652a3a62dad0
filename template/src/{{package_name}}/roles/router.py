from fastapi import Response, status

from ..core.db import SessionDep
from ..core.errors import InvalidInputError, NotAuthenticatedError
from ..core.routing import DocumentedRouter
from ..core.schemas import responses
from ..identity.dependencies import AdminUser
from ..identity.errors import AdminMfaRequiredError, AdminRequiredError
from . import service
from .errors import BuiltInRoleError, RoleExistsError, RoleNotFoundError
from .schemas import RoleCreate, RolePublic

router = DocumentedRouter(
    prefix="/roles",
    tags=["roles"],
    responses=responses(NotAuthenticatedError, AdminRequiredError, AdminMfaRequiredError),
)


@router.get("/", summary="List the roles", operation_id="list_roles")
async def list_roles(_: AdminUser, db: SessionDep) -> list[RolePublic]:
    roles = await service.list_roles(db)
    return [RolePublic.model_validate(role, from_attributes=True) for role in roles]


@router.post(
    "/",
    status_code=status.HTTP_201_CREATED,
    summary="Create a role",
    operation_id="create_role",
    responses=responses(RoleExistsError, InvalidInputError),
)
async def create_role(body: RoleCreate, _: AdminUser, db: SessionDep) -> RolePublic:
    return RolePublic.model_validate(await service.create_role(db, body), from_attributes=True)


@router.delete(
    "/{role_name}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a role (its assignments go with it)",
    operation_id="delete_role",
    responses=responses(RoleNotFoundError, BuiltInRoleError, InvalidInputError),
)
async def delete_role(role_name: str, _: AdminUser, db: SessionDep) -> Response:
    await service.delete_role(db, role_name)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
