"""Every table, imported once so that the metadata Alembic compares is complete."""

from .auth.models import AuthSession, RefreshToken
from .core.models import metadata
from .roles.models import Role, UserRole
from .users.models import User

__all__ = ["AuthSession", "RefreshToken", "Role", "User", "UserRole", "metadata"]
