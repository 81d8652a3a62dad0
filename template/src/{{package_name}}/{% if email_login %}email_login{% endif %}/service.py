"""E-mail as a second login identifier: an address is pending until its code verifies it.

Every function changes the session it is given and leaves the commit to its caller.
"""

import logging
import uuid
from functools import partial

from fastapi import BackgroundTasks
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from ..audit.events import EventType, record
from ..core.config import Settings
from ..core.errors import TooManyRequestsError
from ..core.rate_limit import RateLimiter
from ..credentials.code_store import CodeStore
from ..credentials.codes import (
    check_code,
    deliver,
    deliver_after_response,
    issue_code,
    login_subject,
)
from ..credentials.errors import (
    DeliveryFailedError,
    InvalidCodeError,
    InvalidCredentialsError,
    NothingPendingError,
)
from ..identity.profiles import contact_of
from ..models.email_addresses import EmailAddress
from ..models.users import User
from ..notifications.email import EmailKind, EmailSender
from ..notifications.notices import EMAIL_CHANGED, Notices
from .errors import EmailTakenError
from .schemas import Email

logger = logging.getLogger(__name__)
EMAIL = TypeAdapter(Email)


def parse_address(username: str) -> str:
    """The address a login names; anything else gets the answer every failed login gets."""
    try:
        return EMAIL.validate_python(username)
    except ValidationError:
        raise InvalidCredentialsError from None


def verification_subject(user_id: uuid.UUID) -> str:
    return f"verify-email:{user_id}"


async def owner_of(db: AsyncSession, email: str) -> User | None:
    """The user whose verified address this is."""
    query = select(User).join(EmailAddress).where(col(EmailAddress.email) == email)
    return (await db.exec(query)).first()


async def send_login_code(
    db: AsyncSession,
    codes: CodeStore,
    limiter: RateLimiter,
    settings: Settings,
    mail: EmailSender,
    email: str,
    later: BackgroundTasks,
) -> None:
    """Send a login code to a verified address; an unknown one gets the same answer, no mail.

    The mail goes after the response, so that its time does not tell known addresses apart.
    """
    subject = login_subject(email)
    code = await issue_code(codes, limiter, settings, subject, email)
    if await owner_of(db, email) is not None:
        send = partial(mail.send_code, email, code, EmailKind.LOGIN)
        later.add_task(deliver_after_response, codes, subject, send)


async def start_verification(
    db: AsyncSession,
    codes: CodeStore,
    limiter: RateLimiter,
    settings: Settings,
    mail: EmailSender,
    user_id: uuid.UUID,
    email: str,
) -> None:
    """Hold `email` as the user's pending address and send it a verification code."""
    subject = verification_subject(user_id)
    code = await issue_code(codes, limiter, settings, subject, email)
    await deliver(codes, subject, mail.send_code(email, code, EmailKind.VERIFICATION))
    # One statement, so that overlapping calls for one user leave the last address pending.
    await db.exec(
        insert(EmailAddress)
        .values(user_id=user_id, pending_email=email)
        .on_conflict_do_update(
            index_elements=[col(EmailAddress.user_id)], set_={"pending_email": email}
        )
    )


async def start_verification_at_login(
    db: AsyncSession,
    codes: CodeStore,
    limiter: RateLimiter,
    settings: Settings,
    mail: EmailSender,
    user_id: uuid.UUID,
    email: str,
) -> None:
    """The same, alongside a login: a refusal leaves the login standing, and is logged."""
    try:
        await start_verification(db, codes, limiter, settings, mail, user_id, email)
    except TooManyRequestsError:
        logger.info("e-mail verification not started at login: too many codes or attempts")
    except DeliveryFailedError:
        logger.warning("e-mail verification not started at login: the code was not delivered")


async def verify(
    db: AsyncSession, codes: CodeStore, notices: Notices, user_id: uuid.UUID, code: str
) -> None:
    """Spend the code: the address it was sent to becomes the user's verified one (of two
    overlapping changes, each code verifies its own address, and the last one sent wins). An
    address it replaces is told."""
    address = await db.get(EmailAddress, user_id)
    if address is None or address.pending_email is None:
        raise NothingPendingError("No e-mail address is waiting for verification")
    target = await check_code(codes, verification_subject(user_id), code, wrong=InvalidCodeError)
    before = await contact_of(db, user_id)
    address.email, address.pending_email = target, None
    db.add(address)
    record(db, EventType.EMAIL_VERIFIED, user_id)
    try:
        await db.flush()
    except IntegrityError:
        raise EmailTakenError from None
    if before.email and before.email != target:
        notices.send(db, before, EMAIL_CHANGED)
