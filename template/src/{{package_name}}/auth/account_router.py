"""The routes of /auth where a logged-in user proves themselves again or changes how they log
in: reauthentication, the password, the phone number."""

from fastapi import Response, status

from ..core.config import SettingsDep
from ..core.db import SessionDep
from ..core.errors import InvalidInputError, NotAuthenticatedError, TooManyRequestsError
from ..core.guards import AuthRouter
from ..core.rate_limit import RateLimiterDep
from ..core.schemas import Message, responses
from ..credentials.dependencies import CodeStoreDep, PasswordAttemptsDep
from ..credentials.errors import (
    DeliveryFailedError,
    InvalidCodeError,
    InvalidCredentialsError,
    NothingPendingError,
    TooManyAttemptsError,
    WeakPasswordError,
)
from ..identity.dependencies import CurrentUser, RecentlyAuthenticatedUser
from ..identity.errors import ReauthenticationRequiredError
from ..notifications.dependencies import NoticesDep, SmsSenderDep
from ..sessions.schemas import AccessToken
from . import service
from .errors import PhoneTakenError, WrongPasswordError
from .schemas import PasswordChange, PhoneChange, PhoneVerification, Reauthentication

router = AuthRouter(
    prefix="/auth",
    responses=responses(NotAuthenticatedError, TooManyRequestsError, InvalidInputError),
)


@router.post(
    "/reauthenticate",
    summary="Prove the session again with a code or the password, for sensitive changes",
    operation_id="reauthenticate",
    responses=responses(InvalidCredentialsError, TooManyAttemptsError),
)
async def reauthenticate(
    body: Reauthentication,
    caller: CurrentUser,
    db: SessionDep,
    codes: CodeStoreDep,
    attempts: PasswordAttemptsDep,
    settings: SettingsDep,
) -> AccessToken:
    """The code is one from request-otp for the caller's own phone number or address. The new
    access token (and every refresh of the session) carries the new `auth_time`."""
    return await service.reauthenticate(
        db, codes, attempts, settings, caller, body.otp, body.password
    )


@router.put(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Set or change the password; ends the user's other sessions",
    operation_id="change_password",
    responses=responses(
        ReauthenticationRequiredError, WrongPasswordError, WeakPasswordError, TooManyAttemptsError
    ),
)
async def change_password(
    body: PasswordChange,
    caller: CurrentUser,
    db: SessionDep,
    attempts: PasswordAttemptsDep,
    settings: SettingsDep,
    notices: NoticesDep,
) -> Response:
    """A session that logged in (or reauthenticated) recently needs no `current_password`:
    that is how a forgotten password is replaced. Any other proves itself with it. The user
    is told, once the change is committed."""
    await service.change_password(
        db, attempts, settings, notices, caller, body.new_password, body.current_password
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/update-phone",
    summary="Send a code to a new phone number; verify-phone moves the account to it",
    operation_id="update_phone",
    responses=responses(ReauthenticationRequiredError, TooManyAttemptsError, DeliveryFailedError),
)
async def update_phone(
    body: PhoneChange,
    caller: RecentlyAuthenticatedUser,
    codes: CodeStoreDep,
    limiter: RateLimiterDep,
    settings: SettingsDep,
    sms: SmsSenderDep,
) -> Message:
    await service.start_phone_change(codes, limiter, settings, sms, caller, body.phone_number)
    return Message(message="Verification code sent to the new number.")


@router.post(
    "/verify-phone",
    summary="Move the account to the new phone number with its code",
    operation_id="verify_phone",
    responses=responses(
        InvalidCodeError, NothingPendingError, TooManyAttemptsError, PhoneTakenError
    ),
)
async def verify_phone(
    body: PhoneVerification,
    caller: CurrentUser,
    db: SessionDep,
    codes: CodeStoreDep,
    notices: NoticesDep,
) -> Message:
    """Ends the user's other sessions; the old number is told, once the change is committed."""
    await service.change_phone(db, codes, notices, caller, body.otp)
    return Message(message="Phone number updated")
