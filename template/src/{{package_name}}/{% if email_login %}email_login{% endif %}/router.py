"""The e-mail routes of /auth: set an address, verify it. (Logging in with a verified address
goes through the login routes.)"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from ..core.config import Settings, SettingsDep
from ..core.db import SessionDep
from ..core.errors import InvalidInputError, NotAuthenticatedError, TooManyRequestsError
from ..core.guards import AuthRouter
from ..core.rate_limit import RateLimiterDep
from ..core.schemas import Message, responses
from ..credentials.dependencies import CodeStoreDep
from ..credentials.errors import (
    DeliveryFailedError,
    InvalidCodeError,
    NothingPendingError,
    TooManyAttemptsError,
)
from ..identity.dependencies import CurrentUser, RecentlyAuthenticatedUser
from ..identity.errors import ReauthenticationRequiredError
from ..notifications.dependencies import EmailSenderDep, NoticesDep
from ..notifications.email import open_email_sender
from . import service
from .errors import EmailTakenError
from .schemas import EmailUpdate, EmailVerification


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    async with open_email_sender(settings) as sender:
        app.state.email_sender = sender
        yield


router = AuthRouter(
    prefix="/auth",
    responses=responses(NotAuthenticatedError, TooManyRequestsError, InvalidInputError),
    lifespan=lifespan,
)


@router.post(
    "/update-email",
    summary="Set a new e-mail address, pending until verified",
    operation_id="update_email",
    responses=responses(TooManyAttemptsError, DeliveryFailedError, ReauthenticationRequiredError),
)
async def update_email(
    body: EmailUpdate,
    caller: RecentlyAuthenticatedUser,
    db: SessionDep,
    codes: CodeStoreDep,
    limiter: RateLimiterDep,
    settings: SettingsDep,
    mail: EmailSenderDep,
) -> Message:
    await service.start_verification(db, codes, limiter, settings, mail, caller.id, body.email)
    return Message(message="Email updated. Verification code sent to email.")


@router.post(
    "/verify-email",
    summary="Verify the pending e-mail address with its code",
    operation_id="verify_email",
    responses=responses(
        NothingPendingError, InvalidCodeError, TooManyAttemptsError, EmailTakenError
    ),
)
async def verify_email(
    body: EmailVerification,
    caller: CurrentUser,
    db: SessionDep,
    codes: CodeStoreDep,
    notices: NoticesDep,
) -> Message:
    """An address this one replaces is told, once the change is committed."""
    await service.verify(db, codes, notices, caller.id, body.verification_code)
    return Message(message="Email verified successfully")
