from ..core.errors import DomainError


class AdminRequiredError(DomainError):
    """The route is for admins."""

    status = 403
    code = "admin_required"
    detail = "The admin role is required"
