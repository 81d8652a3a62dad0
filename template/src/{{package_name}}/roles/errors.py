from ..core.errors import ConflictError, NotFoundError


class RoleNotFoundError(NotFoundError):
    """No role has this name."""

    def __init__(self, name: str) -> None:
        super().__init__(f"No role named {name!r}")


class RoleExistsError(ConflictError):
    """A role of this name exists already."""

    def __init__(self, name: str) -> None:
        super().__init__(f"A role named {name!r} exists")


class BuiltInRoleError(ConflictError):
    """The `user` and `admin` roles are built in and stay."""

    code = "built_in_role"

    def __init__(self, name: str) -> None:
        super().__init__(f"The {name!r} role is built in")
