from ..core.errors import (
    DomainError,
    InvalidInputError,
    NotAuthenticatedError,
    TooManyRequestsError,
)


class WrongGuessError(Exception):
    """What the refusal of a wrong code or password also is: counted against the identifier's
    attempts, it may have been the last one allowed."""

    # Whether it started a lockout.
    started_lockout: bool = False


class InvalidCredentialsError(NotAuthenticatedError, WrongGuessError):
    """Wrong code, wrong password or unknown user: one answer for all three."""

    code = "invalid_credentials"
    detail = "Invalid credentials"
    oauth_error = "invalid_grant"


class TooManyAttemptsError(TooManyRequestsError):
    """Too many wrong codes for this identifier: locked out until the window ends."""

    code = "too_many_attempts"
    detail = "Too many attempts; try again later"
    oauth_error = "invalid_grant"


class DeliveryFailedError(DomainError):
    """The code could not be sent; it was discarded."""

    status = 503
    code = "delivery_failed"
    detail = "The code could not be sent; try again later"


class UnsupportedNumberError(InvalidInputError):
    """Codes go by SMS only to mobile numbers in the countries the service serves."""

    code = "unsupported_number"
    detail = "Codes are sent only to mobile numbers in the countries this service serves"


class InvalidCodeError(DomainError, WrongGuessError):
    """A verification code that is wrong or has expired."""

    code = "invalid_code"
    detail = "Invalid or expired verification code"


class NothingPendingError(DomainError):
    """No change waits for a verification code."""

    code = "nothing_pending"
    detail = "Nothing is waiting for verification"


class WeakPasswordError(DomainError):
    """The new password is too short, too common, or made with the account's identifiers."""

    status = 422
    code = "weak_password"
    detail = "The password is too weak"
