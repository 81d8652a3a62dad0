from ..core.errors import ConflictError


class EmailTakenError(ConflictError):
    """Another account verified this address first."""

    detail = "This e-mail address belongs to another account"
