import uuid
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Field, Relationship

from ..core.clock import utcnow
from ..core.ids import uuid7
from .base import TIMESTAMPTZ, CreatedAt
from .roles import Role, UserRole


class User(CreatedAt, table=True):
    __tablename__ = "users"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    # E.164: a plus sign and at most 15 digits.
    phone_number: str = Field(max_length=16, unique=True)
    is_phone_verified: bool = False
    full_name: str | None = Field(default=None, max_length=200)
    hashed_password: str | None = Field(default=None, max_length=255)
    is_active: bool = True
    updated_at: datetime = Field(
        default_factory=utcnow,
        sa_type=TIMESTAMPTZ,
        sa_column_kwargs={"server_default": func.now(), "onupdate": utcnow},
    )

    roles: list[Role] = Relationship(
        link_model=UserRole, sa_relationship_kwargs={"lazy": "selectin"}
    )

    @property
    def role_names(self) -> list[str]:
        return sorted(role.name for role in self.roles)
