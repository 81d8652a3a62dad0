"""The login flows: codes and passwords in, a new session out; proving oneself again; the
password and the phone number changed; the first admin.

Every function changes the session it is given and leaves the commit to its caller.
"""

import hmac
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from ..audit.events import EventType, record, record_failed_login
from ..core.config import Settings
from ..core.devices import Device
from ..core.metrics import LOGINS
from ..core.rate_limit import RateLimiter
from ..credentials.code_store import CODE_DIGITS, CodeStore
from ..credentials.codes import check_code, deliver, issue_sms_code, login_subject
from ..credentials.errors import (
    InvalidCodeError,
    InvalidCredentialsError,
    NothingPendingError,
    TooManyAttemptsError,
    WrongGuessError,
)
from ..credentials.password_attempts import PasswordAttempts
from ..credentials.password_policy import check_strength
from ..credentials.passwords import Check, hash_password, verify_password
from ..identity.caller import Caller
from ..identity.errors import ReauthenticationRequiredError
from ..identity.profiles import contact_of
from ..mfa import service as mfa
from ..mfa.challenges import Challenges
from ..mfa.schemas import MfaChallenge
from ..models.users import User
from ..notifications.notices import PASSWORD_CHANGED, PHONE_CHANGED, Contact, Notices
from ..notifications.sms import SmsSender
from ..sessions import service as sessions
from ..sessions.schemas import AccessToken, TokenPair
from ..users import service as users
from .errors import (
    BootstrapDisabledError,
    InvalidSecretKeyError,
    PhoneTakenError,
    WrongPasswordError,
)

# Looks up the user an identifier (phone number, address) names.
Owner = Callable[[AsyncSession, str], Awaitable[User | None]]
# RFC 8176's names of how a session proved itself; e-mail codes have none there.
SMS, EMAIL, PASSWORD = "sms", "email", "pwd"


def code_method(identifier: str) -> str:
    return SMS if identifier.startswith("+") else EMAIL


def phone_change_subject(caller: Caller) -> str:
    return f"verify-phone:{caller.id}"


async def send_phone_code(
    codes: CodeStore, limiter: RateLimiter, settings: Settings, sms: SmsSender, phone_number: str
) -> None:
    subject = login_subject(phone_number)
    code = await issue_sms_code(codes, limiter, settings, subject, phone_number)
    await deliver(codes, subject, sms.send_code(phone_number, code))


@asynccontextmanager
async def failures_recorded(
    db: AsyncSession, user_id: uuid.UUID | None, method: str, step: str | None = None
) -> AsyncIterator[None]:
    """Record a wrong code or password met inside, and the lockout it started."""
    try:
        yield
    except WrongGuessError as refusal:
        record_failed_login(db, user_id, refusal, method, step)
        raise


async def log_in(
    db: AsyncSession,
    codes: CodeStore,
    attempts: PasswordAttempts,
    challenges: Challenges,
    settings: Settings,
    device: Device,
    identifier: str,
    secret: str,
    *,
    owner_by_code: Owner,
    owner: Owner,
) -> TokenPair | MfaChallenge:
    """Log in with a code (six digits; passwords are longer) or with a password. A password
    counts against the account's attempts (or the identifier's, for no account); an unknown
    user costs the same hashing time and gets the same 401."""
    if len(secret) == CODE_DIGITS and secret.isascii() and secret.isdigit():
        return await log_in_with_code(
            db, codes, challenges, settings, device, identifier, secret, owner_by_code, owner
        )
    user = await owner(db, identifier)
    counted = f"user:{user.id}" if user else f"login:{identifier}"
    async with failures_recorded(db, user.id if user else None, PASSWORD):
        await check_password(attempts, counted, user, secret, InvalidCredentialsError)
    assert user is not None  # a password matched
    return await start_session_for(db, challenges, settings, device, user, [PASSWORD])


async def log_in_with_code(
    db: AsyncSession,
    codes: CodeStore,
    challenges: Challenges,
    settings: Settings,
    device: Device,
    identifier: str,
    code: str,
    owner_by_code: Owner,
    owner: Owner,
) -> TokenPair | MfaChallenge:
    """Spend the code, then look its owner up (`owner_by_code`: for a phone number,
    registering it); `owner` looks up without registering, for the record of a failure."""
    method = code_method(identifier)
    try:
        await check_code(codes, login_subject(identifier), code)
    except WrongGuessError as refusal:
        known = await owner(db, identifier)
        record_failed_login(db, known.id if known else None, refusal, method)
        raise
    user = await owner_by_code(db, identifier)
    return await start_session_for(db, challenges, settings, device, user, [method])


async def check_password(
    attempts: PasswordAttempts,
    counted: str,
    user: User | None,
    password: str,
    wrong: type[InvalidCredentialsError] | type[WrongPasswordError],
) -> None:
    """Check `password` within the attempts of `counted`; raise `wrong` when it is wrong (or
    there is no user), TooManyAttemptsError past the limit. Replaces an outdated hash."""
    if locked_for := await attempts.reserve(counted):
        raise TooManyAttemptsError(locked_for)
    hashed = user.hashed_password if user else None
    check: Check = await verify_password(hashed, password)
    if not check.matches or user is None:
        refusal = wrong()
        refusal.started_lockout = await attempts.failed(counted)
        raise refusal
    await attempts.succeeded(counted)
    if check.rehash:
        user.hashed_password = await hash_password(password)


async def start_session_for(
    db: AsyncSession,
    challenges: Challenges,
    settings: Settings,
    device: Device,
    user: User | None,
    methods: list[str],
) -> TokenPair | MfaChallenge:
    """A session for an active user, or with a second factor on, the challenge that leads to
    one; anyone else gets the answer every failed login gets."""
    if user is None or not user.is_active:
        raise InvalidCredentialsError
    if await mfa.is_enabled(db, user.id):
        LOGINS.labels("+".join(methods), "mfa_required").inc()
        return MfaChallenge(mfa_token=await challenges.issue(user.id, methods))
    return await sessions.start_session(db, settings, user.id, methods, device)


async def reauthenticate(
    db: AsyncSession,
    codes: CodeStore,
    attempts: PasswordAttempts,
    settings: Settings,
    caller: Caller,
    otp: str | None,
    password: str | None,
) -> AccessToken:
    """Prove the caller's session again, with a password or a code sent to one of their own
    identifiers: a wrong one counts as a failed login."""
    if password is not None:
        user = await users.by_id(db, caller.id)
        async with failures_recorded(db, user.id, PASSWORD, "reauthenticate"):
            await check_password(
                attempts, f"user:{user.id}", user, password, InvalidCredentialsError
            )
        method = PASSWORD
    else:
        assert otp is not None  # one of the two, by validation
        identifiers = await users.login_identifiers(db, caller.id)
        # The identifier a code was requested for; the phone number when none was.
        waiting = [i for i in identifiers if await codes.holds_code(login_subject(i))]
        identifier = (waiting or identifiers)[0]
        method = code_method(identifier)
        async with failures_recorded(db, caller.id, method, "reauthenticate"):
            await check_code(codes, login_subject(identifier), otp)
    return await sessions.reauthenticated(db, settings, caller.session.id, method)


async def change_password(
    db: AsyncSession,
    attempts: PasswordAttempts,
    settings: Settings,
    notices: Notices,
    caller: Caller,
    new_password: str,
    current_password: str | None,
) -> None:
    """Set the password, in a recently authenticated session or with the current password
    (a wrong one is refused, and counted, either way); end the user's other sessions, and tell
    the user."""
    user = await users.by_id(db, caller.id)
    if current_password is not None:
        async with failures_recorded(db, user.id, PASSWORD, "password_change"):
            counted = f"user:{user.id}"
            await check_password(attempts, counted, user, current_password, WrongPasswordError)
    elif not caller.authenticated_within(settings.REAUTH_MAX_AGE_SECONDS):
        raise ReauthenticationRequiredError(settings.REAUTH_MAX_AGE_SECONDS)
    identifiers = await users.login_identifiers(db, user.id)
    check_strength(new_password, settings.PASSWORD_MIN_LENGTH, identifiers)
    user.hashed_password = await hash_password(new_password)
    db.add(user)
    ended = await sessions.end_all_sessions(db, user.id, keep=caller.session.id)
    record(db, EventType.PASSWORD_CHANGED, user.id, other_sessions_ended=ended)
    notices.send(db, await contact_of(db, user.id), PASSWORD_CHANGED)


async def start_phone_change(
    codes: CodeStore,
    limiter: RateLimiter,
    settings: Settings,
    sms: SmsSender,
    caller: Caller,
    phone_number: str,
) -> None:
    """Send a code to the new number; only that code, for that number, changes it."""
    subject = phone_change_subject(caller)
    code = await issue_sms_code(codes, limiter, settings, subject, phone_number)
    await deliver(codes, subject, sms.send_code(phone_number, code))


async def change_phone(
    db: AsyncSession, codes: CodeStore, notices: Notices, caller: Caller, code: str
) -> None:
    """Spend the code: the number it was sent to becomes the user's. Ends their other sessions;
    the old number is told."""
    subject = phone_change_subject(caller)
    if not await codes.holds_code(subject) and not await codes.lockout_seconds(subject):
        raise NothingPendingError("No phone number is waiting for verification")
    new_number = await check_code(codes, subject, code, wrong=InvalidCodeError)
    user = await users.by_id(db, caller.id)
    old_number, user.phone_number = user.phone_number, new_number
    user.is_phone_verified = True
    db.add(user)
    try:
        await db.flush()
    except IntegrityError:
        raise PhoneTakenError from None
    ended = await sessions.end_all_sessions(db, user.id, keep=caller.session.id)
    record(db, EventType.PHONE_CHANGED, user.id, other_sessions_ended=ended)
    await codes.forget(login_subject(old_number))
    # The old number's owner is the one who must hear of it, whatever else the account has.
    notices.send(db, Contact(old_number), PHONE_CHANGED)


async def bootstrap_admin(
    db: AsyncSession, settings: Settings, phone_number: str, secret_key: str
) -> User:
    """What the `create-admin` command does, with ADMIN_SECRET_KEY as the proof; once an admin
    exists it says so before it looks at the key."""
    await users.refuse_when_an_admin_exists(db)
    expected = settings.ADMIN_SECRET_KEY.get_secret_value() if settings.ADMIN_SECRET_KEY else ""
    if not expected:
        raise BootstrapDisabledError
    if not hmac.compare_digest(secret_key.encode(), expected.encode()):
        raise InvalidSecretKeyError
    return await users.create_first_admin(db, phone_number)
