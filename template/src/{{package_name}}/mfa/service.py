"""The second factor: enrolling an authenticator app, its recovery codes, turning it off, and
the second step of a login.

Every function changes the session it is given and leaves the commit to its caller.
"""

import logging
import uuid

from sqlalchemy import delete, update
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from ..audit.events import SECOND_FACTOR_STEP, EventType, record, record_failed_login
from ..core.clock import utcnow
from ..core.config import Settings
from ..core.devices import Device
from ..credentials.errors import (
    InvalidCodeError,
    InvalidCredentialsError,
    NothingPendingError,
    TooManyAttemptsError,
)
from ..credentials.password_attempts import PasswordAttempts
from ..identity.caller import Caller
from ..identity.profiles import contact_of
from ..models.mfa import RecoveryCode, TotpFactor
from ..models.users import User
from ..notifications.notices import MFA_DISABLED, MFA_ENABLED, RECOVERY_CODE_USED, Notices
from ..sessions import service as sessions
from ..sessions.schemas import TokenPair
from . import recovery_codes, totp
from .challenges import Challenges
from .errors import InvalidMfaTokenError, MfaAlreadyEnabledError, MfaNotEnabledError
from .schemas import TotpEnrolment
from .sealing import Sealer, UnsealableError

logger = logging.getLogger(__name__)
# RFC 8176's names: an authenticator code, and two factors. A recovery code has none there.
OTP, MFA, RECOVERY_CODE = "otp", "mfa", "recovery_code"


async def _factor(db: AsyncSession, user_id: uuid.UUID) -> TotpFactor | None:
    return await db.get(TotpFactor, user_id)


async def is_enabled(db: AsyncSession, user_id: uuid.UUID) -> bool:
    query = select(TotpFactor.user_id).where(
        col(TotpFactor.user_id) == user_id, col(TotpFactor.confirmed_at).is_not(None)
    )
    return (await db.exec(query)).first() is not None


async def start_enrolment(db: AsyncSession, settings: Settings, caller: Caller) -> TotpEnrolment:
    """A new secret, waiting for a code from the app to confirm it; replaces one still waiting."""
    factor = await _factor(db, caller.id)
    if factor is not None and factor.confirmed_at is not None:
        raise MfaAlreadyEnabledError
    secret = totp.new_secret()
    sealed = Sealer(settings).seal(caller.id, secret)
    if factor is None:
        factor = TotpFactor(user_id=caller.id, sealed_secret=sealed)
    factor.sealed_secret, factor.last_used_step = sealed, None
    db.add(factor)
    uri = totp.provisioning_uri(secret, caller.phone_number, settings.APP_NAME)
    return TotpEnrolment(secret=secret, otpauth_uri=uri, qr_svg=totp.qr_svg(uri))


async def confirm(
    db: AsyncSession, settings: Settings, notices: Notices, caller: Caller, code: str
) -> list[str]:
    """A code from the app turns the factor on: the recovery codes, shown this once. The session
    has just proved both factors, and its next refresh says so."""
    factor = await _factor(db, caller.id)
    if factor is None:
        raise NothingPendingError("No authenticator app is waiting for confirmation")
    if factor.confirmed_at is not None:
        raise MfaAlreadyEnabledError
    secret = _opened(settings, factor)
    if secret is None:  # no code can confirm it, and a new enrolment replaces it
        raise NothingPendingError(
            "The authenticator app waiting for confirmation was enrolled under another key: "
            "enrol it again"
        )
    step = totp.matching_step(secret, code, utcnow())
    if step is None:
        raise InvalidCodeError
    factor.confirmed_at, factor.last_used_step = utcnow(), step
    db.add(factor)
    codes = await _replace_recovery_codes(db, caller.id)
    await sessions.proved(db, caller.session.id, [*caller.session.amr, OTP, MFA])
    record(db, EventType.MFA_ENABLED, caller.id)
    notices.send(db, await contact_of(db, caller.id), MFA_ENABLED)
    return codes


async def disable(db: AsyncSession, notices: Notices, caller: Caller) -> None:
    """Remove the authenticator, and its recovery codes with it."""
    if not await is_enabled(db, caller.id):
        raise MfaNotEnabledError
    await db.exec(delete(TotpFactor).where(col(TotpFactor.user_id) == caller.id))
    await db.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == caller.id))
    record(db, EventType.MFA_DISABLED, caller.id)
    notices.send(db, await contact_of(db, caller.id), MFA_DISABLED)


async def new_recovery_codes(db: AsyncSession, caller: Caller) -> list[str]:
    """A new set; the old one stops working."""
    if not await is_enabled(db, caller.id):
        raise MfaNotEnabledError
    return await _replace_recovery_codes(db, caller.id)


async def _replace_recovery_codes(db: AsyncSession, user_id: uuid.UUID) -> list[str]:
    await db.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    codes = recovery_codes.new_codes()
    db.add_all(RecoveryCode(user_id=user_id, code_hash=recovery_codes.hash_code(c)) for c in codes)
    return codes


def _opened(settings: Settings, factor: TotpFactor) -> str | None:
    """The factor's secret; None when it was sealed under another key, which no code opens."""
    try:
        return Sealer(settings).open(factor.user_id, factor.sealed_secret)
    except UnsealableError:
        logger.error(
            "an authenticator secret does not decrypt: was MFA_ENCRYPTION_KEY (or SECRET_KEY, "
            "when it is not set) changed? Its user can log in with a recovery code, and enrol "
            "again."
        )
        return None


async def _accept_authenticator_code(
    db: AsyncSession, settings: Settings, user_id: uuid.UUID, code: str
) -> bool:
    """Whether `code` is the user's authenticator's, and of a later step than any accepted
    before: of parallel requests with one code, the row lock lets exactly one through."""
    factor = await _factor(db, user_id)
    if factor is None or factor.confirmed_at is None:
        return False
    secret = _opened(settings, factor)
    if secret is None:
        return False
    step = totp.matching_step(secret, code, utcnow())
    if step is None:
        return False
    accepted = await db.exec(
        update(TotpFactor)
        .where(
            col(TotpFactor.user_id) == user_id,
            or_(col(TotpFactor.last_used_step).is_(None), col(TotpFactor.last_used_step) < step),
        )
        .values(last_used_step=step)
    )
    return accepted.rowcount == 1


async def _spend_recovery_code(db: AsyncSession, user_id: uuid.UUID, code: str) -> bool:
    spent = await db.exec(
        update(RecoveryCode)
        .where(
            col(RecoveryCode.user_id) == user_id,
            col(RecoveryCode.code_hash) == recovery_codes.hash_code(code),
            col(RecoveryCode.used_at).is_(None),
        )
        .values(used_at=utcnow())
    )
    return spent.rowcount == 1


async def complete_login(
    db: AsyncSession,
    challenges: Challenges,
    attempts: PasswordAttempts,
    settings: Settings,
    notices: Notices,
    device: Device,
    token: str,
    code: str,
) -> TokenPair:
    """The second step: the challenge's user, an authenticator or recovery code, a session."""
    challenge = await challenges.find(token)
    if challenge is None:
        raise InvalidMfaTokenError
    user_id, counted = challenge.user_id, f"user:{challenge.user_id}"
    if locked_for := await attempts.reserve(counted):
        raise TooManyAttemptsError(locked_for)
    method = OTP if code.isascii() and code.isdigit() else RECOVERY_CODE
    if method == OTP:
        accepted = await _accept_authenticator_code(db, settings, user_id, code)
    else:
        accepted = await _spend_recovery_code(db, user_id, code)
    if not accepted:
        refusal = InvalidCredentialsError()
        refusal.started_lockout = await attempts.failed(counted)
        record_failed_login(db, user_id, refusal, method, SECOND_FACTOR_STEP)
        raise refusal
    await attempts.succeeded(counted)
    user = await db.get(User, user_id)
    if user is None or not user.is_active or not await challenges.spend(token):
        raise InvalidMfaTokenError
    if method == RECOVERY_CODE:
        record(db, EventType.RECOVERY_CODE_USED, user_id)
        notices.send(db, await contact_of(db, user_id), RECOVERY_CODE_USED)
    methods = [*challenge.methods, *([OTP] if method == OTP else []), MFA]
    return await sessions.start_session(db, settings, user_id, methods, device)
