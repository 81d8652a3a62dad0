from ..core.errors import ConflictError, NotAuthenticatedError, NotFoundError


class MfaAlreadyEnabledError(ConflictError):
    """An authenticator is on: remove it before enrolling another."""

    code = "mfa_already_enabled"
    detail = "An authenticator app is already enabled; remove it first"


class MfaNotEnabledError(NotFoundError):
    """The user has no authenticator on."""

    code = "mfa_not_enabled"
    detail = "No authenticator app is enabled"


class InvalidMfaTokenError(NotAuthenticatedError):
    """The mfa_token is unknown, spent or expired: log in again."""

    code = "invalid_mfa_token"
    detail = "The mfa_token is invalid or expired; log in again"
    oauth_error = "invalid_grant"
