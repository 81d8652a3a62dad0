from ..core.errors import NotAuthenticatedError, NotFoundError


class InvalidRefreshTokenError(NotAuthenticatedError):
    """The refresh token is unknown, expired or spent, or its session has ended."""

    code = "invalid_refresh_token"
    detail = "Invalid refresh token"
    oauth_error = "invalid_grant"


class RefreshTokenReusedError(InvalidRefreshTokenError):
    """A spent refresh token came back: its session ends, and stays ended though this fails."""

    keeps_changes = True


class SessionNotFoundError(NotFoundError):
    """No live session of this user has this id."""

    detail = "Session not found"
