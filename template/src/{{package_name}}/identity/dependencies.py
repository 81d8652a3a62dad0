"""Who is calling, for the routes that need to know: the bearer token's live user, or an admin."""

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from fastapi.security.base import SecurityBase

from ..core.config import Settings, SettingsDep
from ..core.errors import NotAuthenticatedError
from .caller import Caller, load
from .errors import AdminMfaRequiredError, AdminRequiredError, ReauthenticationRequiredError
from .tokens import InvalidTokenError, decode_access_token

# RFC 8176's name for a session that used two factors.
MFA = "mfa"


class BearerCaller(SecurityBase):
    """The live user of the request's bearer token.

    One dependency that is also the OpenAPI security scheme (OAuth2's password flow): every
    authenticated request comes through here, and each dependency FastAPI resolves costs it
    (a token dependency below this one cost `GET /users/me` 7 % of its time).
    """

    def __init__(self, login_path: str) -> None:
        self.bearer = OAuth2PasswordBearer(tokenUrl=login_path, auto_error=False)
        self.model = self.bearer.model
        self.scheme_name = self.bearer.scheme_name
        # What FastAPI documents for a route that depends on this, for a route that calls it.
        self.security: dict[str, Any] = {"security": [{self.scheme_name: []}]}

    async def __call__(self, request: Request) -> Caller:
        token = await self.bearer(request)
        if token is None:
            # No bearer Authorization header: refused as FastAPI's OAuth2 words it.
            raise self.bearer.make_not_authenticated_error()
        state = request.app.state
        settings: Settings = state.settings
        try:
            claims = decode_access_token(token, settings.SECRET_KEY.get_secret_value())
        except InvalidTokenError:
            raise NotAuthenticatedError from None
        caller = await load(
            state.direct_pool, state.callers, claims, settings.DB_POOL_TIMEOUT_SECONDS
        )
        if caller is None:
            raise NotAuthenticatedError
        return caller


current_user = BearerCaller(login_path="/auth/login")
CurrentUser = Annotated[Caller, Depends(current_user)]


async def admin_user(caller: CurrentUser, settings: SettingsDep) -> Caller:
    """The current user if the database says they hold the admin role right now, and, with
    REQUIRE_ADMIN_MFA, their session used the second factor."""
    if not caller.is_admin:
        raise AdminRequiredError
    if settings.REQUIRE_ADMIN_MFA and MFA not in caller.session.amr:
        raise AdminMfaRequiredError
    return caller


AdminUser = Annotated[Caller, Depends(admin_user)]


async def recently_authenticated_user(caller: CurrentUser, settings: SettingsDep) -> Caller:
    """The current user if their session proved a code or a password recently enough for a
    sensitive change (REAUTH_MAX_AGE_SECONDS); else RFC 9470's challenge."""
    if not caller.authenticated_within(settings.REAUTH_MAX_AGE_SECONDS):
        raise ReauthenticationRequiredError(settings.REAUTH_MAX_AGE_SECONDS)
    return caller


RecentlyAuthenticatedUser = Annotated[Caller, Depends(recently_authenticated_user)]
