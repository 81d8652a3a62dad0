"""The second factor's routes: enrol an authenticator app, confirm it, remove it, new recovery
codes, and the second step of a login."""

from fastapi import Response, status

from ..core.config import SettingsDep
from ..core.db import SessionDep
from ..core.errors import InvalidInputError, NotAuthenticatedError, TooManyRequestsError
from ..core.guards import AuthRouter
from ..core.schemas import responses
from ..credentials.errors import (
    InvalidCodeError,
    InvalidCredentialsError,
    NothingPendingError,
    TooManyAttemptsError,
)
from ..identity.dependencies import RecentlyAuthenticatedUser
from ..identity.errors import ReauthenticationRequiredError
from ..notifications.dependencies import NoticesDep
from ..sessions.dependencies import DeviceDep
from ..sessions.schemas import TokenPair
from . import service
from .dependencies import ChallengesDep, SecondFactorAttemptsDep
from .errors import InvalidMfaTokenError, MfaAlreadyEnabledError, MfaNotEnabledError
from .schemas import CodeConfirmation, MfaVerification, RecoveryCodes, TotpEnrolment

router = AuthRouter(
    prefix="/auth/mfa",
    responses=responses(TooManyRequestsError, InvalidInputError),
)
# What the routes that change the factor share: a fresh session.
FRESH = (NotAuthenticatedError, ReauthenticationRequiredError)


@router.post(
    "/totp",
    summary="Start enrolling an authenticator app: its secret and QR code",
    operation_id="enrol_totp",
    responses=responses(*FRESH, MfaAlreadyEnabledError),
)
async def enrol_totp(
    caller: RecentlyAuthenticatedUser, db: SessionDep, settings: SettingsDep
) -> TotpEnrolment:
    """The factor is on once /auth/mfa/totp/confirm has a code from the app."""
    return await service.start_enrolment(db, settings, caller)


@router.post(
    "/totp/confirm",
    summary="Turn the authenticator app on with a code from it: the recovery codes, once",
    operation_id="confirm_totp",
    responses=responses(*FRESH, NothingPendingError, InvalidCodeError, MfaAlreadyEnabledError),
)
async def confirm_totp(
    body: CodeConfirmation,
    caller: RecentlyAuthenticatedUser,
    db: SessionDep,
    settings: SettingsDep,
    notices: NoticesDep,
) -> RecoveryCodes:
    """The session has proved both factors by then: its next refresh carries `mfa`."""
    codes = await service.confirm(db, settings, notices, caller, body.code)
    return RecoveryCodes(recovery_codes=codes)


@router.delete(
    "/totp",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove the authenticator app and its recovery codes",
    operation_id="disable_totp",
    responses=responses(*FRESH, MfaNotEnabledError),
)
async def disable_totp(
    caller: RecentlyAuthenticatedUser, db: SessionDep, notices: NoticesDep
) -> Response:
    await service.disable(db, notices, caller)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/recovery-codes",
    summary="A new set of recovery codes; the old set stops working",
    operation_id="new_recovery_codes",
    responses=responses(*FRESH, MfaNotEnabledError),
)
async def new_recovery_codes(caller: RecentlyAuthenticatedUser, db: SessionDep) -> RecoveryCodes:
    return RecoveryCodes(recovery_codes=await service.new_recovery_codes(db, caller))


@router.post(
    "/verify",
    summary="Complete a login with an authenticator or recovery code",
    operation_id="verify_mfa",
    responses=responses(InvalidMfaTokenError, InvalidCredentialsError, TooManyAttemptsError),
)
async def verify_mfa(
    body: MfaVerification,
    db: SessionDep,
    challenges: ChallengesDep,
    attempts: SecondFactorAttemptsDep,
    settings: SettingsDep,
    notices: NoticesDep,
    device: DeviceDep,
) -> TokenPair:
    """The mfa_token of /auth/login or /auth/verify-login-otp, and a code: the token pair.
    Wrong codes count against the account's attempts; the token is spent by a right one."""
    return await service.complete_login(
        db, challenges, attempts, settings, notices, device, body.mfa_token, body.code
    )
