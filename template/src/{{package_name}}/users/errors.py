from ..core.errors import ConflictError, NotFoundError


class UserNotFoundError(NotFoundError):
    """No user has this id."""

    detail = "User not found"


class LastAdminError(ConflictError):
    """The change would leave the service without an active admin."""

    code = "last_admin"
    detail = "The last admin cannot lose the admin role"


class AdminExistsError(ConflictError):
    """An admin exists already: the bootstrap has done its work."""

    code = "admin_exists"
    detail = "An admin exists already"
