import uuid

from sqlmodel import Field, SQLModel

from ..core.ids import uuid7

# Lower-case words joined by single hyphens or underscores, 2 to 50 characters.
ROLE_NAME_PATTERN = r"^[a-z][a-z0-9]*([_-][a-z0-9]+)*$"
# Seeded by the migrations; the service itself relies on them.
USER_ROLE = "user"
ADMIN_ROLE = "admin"


class UserRole(SQLModel, table=True):
    __tablename__ = "user_roles"

    user_id: uuid.UUID = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    role_id: uuid.UUID = Field(foreign_key="roles.id", primary_key=True, ondelete="CASCADE")


class Role(SQLModel, table=True):
    __tablename__ = "roles"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    name: str = Field(max_length=50, unique=True)
    description: str | None = Field(default=None, max_length=255)
