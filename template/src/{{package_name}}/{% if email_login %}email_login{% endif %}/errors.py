from ..core.errors import ConflictError, DomainError


class NothingPendingError(DomainError):
    """No e-mail address is waiting for verification."""

    code = "nothing_pending"
    detail = "No e-mail address is waiting for verification"


class InvalidVerificationCodeError(DomainError):
    """The verification code is wrong or has expired."""

    code = "invalid_code"
    detail = "Invalid or expired verification code"


class EmailTakenError(ConflictError):
    """Another account verified this address first."""

    detail = "This e-mail address belongs to another account"
