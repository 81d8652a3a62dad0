"""One-time codes as the login and verification flows use them: issued within the limits,
delivered or discarded, spent or counted as a wrong guess."""

import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress

from ..core.config import Settings
from ..core.guards import outside_auth_slot
from ..core.phone_numbers import sms_country_code
from ..core.rate_limit import RateLimiter
from ..notifications.errors import DeliveryError
from .code_store import CodeStore, Outcome
from .errors import (
    DeliveryFailedError,
    InvalidCodeError,
    InvalidCredentialsError,
    TooManyAttemptsError,
    UnsupportedNumberError,
)

logger = logging.getLogger(__name__)


def login_subject(identifier: str) -> str:
    """The subject of the login codes sent to a phone number or an e-mail address."""
    return f"login:{identifier}"


async def issue_code(
    codes: CodeStore,
    limiter: RateLimiter,
    settings: Settings,
    subject: str,
    recipient: str,
    *,
    sms_country: int | None = None,
) -> str:
    """A fresh code for `recipient`, unless the subject is locked out, the recipient had enough
    codes, or the SMS budget of its country (`sms_country`) is spent; only this code yields
    the recipient back (see `check_code`). One round trip to Redis for all of it."""
    windows = [limiter.window(settings.OTP_SEND_LIMIT, "otp-send", recipient)]
    if sms_country is not None:
        country = str(sms_country)
        windows.append(limiter.window(settings.SMS_COUNTRY_HOURLY_LIMIT, "sms-country", country))
    return await codes.within(*windows).issue(subject, recipient)


async def issue_sms_code(
    codes: CodeStore, limiter: RateLimiter, settings: Settings, subject: str, phone_number: str
) -> str:
    """`issue_code` for a phone number, which must be a mobile one in a country the service
    serves: spreading requests over many numbers cannot pump SMS at the owner's cost."""
    country = sms_country_code(phone_number, settings.SMS_ALLOWED_COUNTRIES)
    if country is None:
        raise UnsupportedNumberError
    return await issue_code(codes, limiter, settings, subject, phone_number, sms_country=country)


async def deliver(codes: CodeStore, subject: str, sending: Awaitable[None]) -> None:
    """Await the sending (outside the request's admission slot: a provider's slowness is no
    reason to make other logins wait); if it fails, the code dies with it and
    DeliveryFailedError is raised."""
    try:
        async with outside_auth_slot():
            await sending
    except DeliveryError:
        await codes.revoke(subject)
        logger.exception("a code for %s could not be delivered", subject.split(":", 1)[0])
        raise DeliveryFailedError from None


async def deliver_after_response(
    codes: CodeStore, subject: str, send: Callable[[], Awaitable[None]]
) -> None:
    """`deliver` as a background task: nobody waits for it, so the time a response takes
    tells nothing of whether a code was sent; a failure is logged and ends the code."""
    # deliver has logged the failure, and there is nobody left to tell.
    with suppress(DeliveryFailedError):
        await deliver(codes, subject, send())


async def check_code(
    codes: CodeStore,
    subject: str,
    code: str,
    wrong: type[InvalidCredentialsError] | type[InvalidCodeError] = InvalidCredentialsError,
) -> str:
    """Spend `code` and return the recipient it was sent to, or raise: `wrong` when it is
    wrong, TooManyAttemptsError while the subject is locked out."""
    verdict = await codes.verify(subject, code)
    if verdict.outcome is Outcome.LOCKED:
        raise TooManyAttemptsError(verdict.retry_after_seconds)
    if verdict.outcome is Outcome.REJECTED:
        refusal = wrong()
        refusal.started_lockout = verdict.retry_after_seconds > 0
        raise refusal
    return verdict.target
