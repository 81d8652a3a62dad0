import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ..models.roles import ROLE_NAME_PATTERN

RoleName = Annotated[
    str,
    Field(
        min_length=2,
        max_length=50,
        pattern=ROLE_NAME_PATTERN,
        description="Lower-case letters and digits, words joined by single - or _",
        examples=["support-agent"],
    ),
]


class RoleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: RoleName
    description: str | None = Field(default=None, max_length=255)


class RolePublic(BaseModel):
    id: uuid.UUID
    name: str
    description: str | None
