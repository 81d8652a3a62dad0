from ..core.errors import ConflictError, DomainError
from ..credentials.errors import WrongGuessError


class WrongPasswordError(DomainError, WrongGuessError):
    """`current_password` is not the account's password."""

    code = "wrong_password"
    detail = "current_password is wrong"


class BootstrapDisabledError(DomainError):
    """ADMIN_SECRET_KEY is not set: the admin bootstrap is turned off."""

    status = 403
    code = "admin_bootstrap_disabled"
    detail = "The admin bootstrap is turned off"


class InvalidSecretKeyError(DomainError):
    """The secret key is not ADMIN_SECRET_KEY."""

    status = 403
    code = "invalid_secret_key"
    detail = "Invalid secret key"


class PhoneTakenError(ConflictError):
    """Another account has this number by now."""

    detail = "This phone number belongs to another account"
