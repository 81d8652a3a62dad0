from collections.abc import Mapping

from ..core.errors import DomainError, NotAuthenticatedError


class ReauthenticationRequiredError(NotAuthenticatedError):
    """The change needs a session that proved itself recently: POST /auth/reauthenticate."""

    code = "reauthentication_required"
    detail = "This needs a recent login: reauthenticate first"

    def __init__(self, max_age_seconds: int) -> None:
        super().__init__()
        self.max_age_seconds = max_age_seconds

    @property
    def headers(self) -> Mapping[str, str]:
        # RFC 9470's challenge: the client authenticates again, no longer ago than max_age.
        challenge = (
            'Bearer error="insufficient_user_authentication", '
            'error_description="A more recent authentication is required", '
            f"max_age={self.max_age_seconds}"
        )
        return {"WWW-Authenticate": challenge}


class AdminRequiredError(DomainError):
    """The route is for admins."""

    status = 403
    code = "admin_required"
    detail = "The admin role is required"


class AdminMfaRequiredError(DomainError):
    """REQUIRE_ADMIN_MFA is on, and this admin's session did not use the second factor."""

    status = 403
    code = "mfa_required"
    detail = "Admin routes need a session that used the second factor: enrol one, log in again"
