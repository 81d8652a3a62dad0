"""The login flows: codes and passwords in, a new session out; the first admin; passwords.

Every function changes the session it is given and leaves the commit to its caller.
"""

import hmac
from collections.abc import Awaitable, Callable

from sqlmodel.ext.asyncio.session import AsyncSession

from ..core.config import Settings
from ..core.rate_limit import RateLimiter
from ..credentials.code_store import CODE_DIGITS, CodeStore
from ..credentials.codes import check_code, deliver, issue_code, login_subject
from ..credentials.errors import InvalidCredentialsError, TooManyAttemptsError
from ..credentials.password_attempts import PasswordAttempts
from ..credentials.password_policy import check_strength
from ..credentials.passwords import hash_password, verify_password
from ..identity.caller import Caller
from ..models.users import User
from ..notifications.sms import SmsSender
from ..sessions.schemas import TokenPair
from ..sessions.service import end_all_sessions, start_session
from ..users import service as users
from .errors import (
    BootstrapDisabledError,
    InvalidSecretKeyError,
    PasswordRequiredError,
    WrongPasswordError,
)

# Looks up the user an identifier (phone number, address) names.
Owner = Callable[[AsyncSession, str], Awaitable[User | None]]


async def send_phone_code(
    codes: CodeStore, limiter: RateLimiter, settings: Settings, sms: SmsSender, phone_number: str
) -> None:
    subject = login_subject(phone_number)
    code = await issue_code(codes, limiter, settings, subject, phone_number)
    await deliver(codes, subject, sms.send_code(phone_number, code))


async def log_in(
    db: AsyncSession,
    codes: CodeStore,
    attempts: PasswordAttempts,
    settings: Settings,
    identifier: str,
    secret: str,
    *,
    owner_by_code: Owner,
    owner_by_password: Owner,
) -> TokenPair:
    """Log in with a code (six digits; passwords are longer) or with a password."""
    if len(secret) == CODE_DIGITS and secret.isascii() and secret.isdigit():
        return await log_in_with_code(db, codes, settings, identifier, secret, owner_by_code)
    user = await owner_by_password(db, identifier)
    return await log_in_with_password(db, attempts, settings, identifier, user, secret)


async def log_in_with_code(
    db: AsyncSession,
    codes: CodeStore,
    settings: Settings,
    identifier: str,
    code: str,
    owner: Owner,
) -> TokenPair:
    """Spend the code, then look its owner up (for a phone number, registering it)."""
    await check_code(codes, login_subject(identifier), code)
    return await start_session_for(db, settings, await owner(db, identifier))


async def log_in_with_password(
    db: AsyncSession,
    attempts: PasswordAttempts,
    settings: Settings,
    identifier: str,
    user: User | None,
    password: str,
) -> TokenPair:
    """Check the password within the account's attempts (or the identifier's, for no account);
    an unknown user costs the same hashing time and gets the same 401."""
    counted = f"user:{user.id}" if user else f"login:{identifier}"
    if locked_for := await attempts.reserve(counted):
        raise TooManyAttemptsError(locked_for)
    hashed = user.hashed_password if user else None
    check = await verify_password(hashed, password)
    if not check.matches or user is None:
        await attempts.failed(counted)
        raise InvalidCredentialsError
    await attempts.succeeded(counted)
    if check.rehash:
        user.hashed_password = await hash_password(password)
        db.add(user)
    return await start_session_for(db, settings, user)


async def start_session_for(db: AsyncSession, settings: Settings, user: User | None) -> TokenPair:
    """A session for an active user; anyone else gets the answer every failed login gets."""
    if user is None or not user.is_active:
        raise InvalidCredentialsError
    return await start_session(db, settings, user.id)


async def change_password(
    db: AsyncSession,
    settings: Settings,
    caller: Caller,
    new_password: str,
    current_password: str | None,
) -> None:
    """Set the password (proving the current one, when there is one); end the other sessions."""
    user = await users.by_id(db, caller.id)
    if user.hashed_password is not None:
        if current_password is None:
            raise PasswordRequiredError
        if not (await verify_password(user.hashed_password, current_password)).matches:
            raise WrongPasswordError
    identifiers = await users.login_identifiers(db, user.id)
    check_strength(new_password, settings.PASSWORD_MIN_LENGTH, identifiers)
    user.hashed_password = await hash_password(new_password)
    db.add(user)
    await end_all_sessions(db, user.id, keep=caller.session_id)


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
