"""Security notices: what the owner of an account is told when something about it changes.

A notice goes to the account's verified e-mail address when it has one, else by SMS. It goes
out after the change is committed, and its failure never undoes the change: it is logged, and
that is all. SECURITY_NOTICES=false turns them off.
"""

import logging
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from sqlmodel.ext.asyncio.session import AsyncSession

from ..core.config import Settings
from ..core.db import after_commit
from ..core.guards import outside_auth_slot
from .errors import DeliveryError
from .sms import SmsSender

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    """What happened, as an e-mail subject and as a sentence; `{app}` is the service's name."""

    subject: str
    sentence: str


PASSWORD_CHANGED = Notice(
    "Your password was changed", "The password of your {app} account was set or changed."
)
PHONE_CHANGED = Notice(
    "Your phone number was changed", "The phone number of your {app} account was changed."
)
EMAIL_CHANGED = Notice(
    "Your e-mail address was changed", "The e-mail address of your {app} account was changed."
)
MFA_ENABLED = Notice(
    "An authenticator app was added",
    "An authenticator app now protects your {app} account as a second factor.",
)
MFA_DISABLED = Notice(
    "Your authenticator app was removed",
    "The authenticator app of your {app} account was removed: it has no second factor now.",
)
RECOVERY_CODE_USED = Notice(
    "A recovery code was used", "A recovery code was used to log in to your {app} account."
)
REFRESH_TOKEN_REUSED = Notice(
    "A session was ended to protect your account",
    "A stolen or copied login of your {app} account was detected, and that session ended.",
)


@dataclass(frozen=True)
class Contact:
    """Where the owner of an account is told: the verified address when there is one."""

    phone_number: str
    email: str | None = None


class NoticeMailer(Protocol):
    async def send_notice(self, address: str, subject: str, text: str) -> None:
        """Deliver a security notice to the address, or raise DeliveryError."""


class Notices:
    def __init__(self, settings: Settings, sms: SmsSender, mail: NoticeMailer | None) -> None:
        self._settings = settings
        self._sms = sms
        self._mail = mail

    def send(self, db: AsyncSession, contact: Contact, notice: Notice) -> None:
        """Tell the owner of the account, once `db`'s transaction has committed."""
        if self._settings.SECURITY_NOTICES:
            after_commit(db, partial(self._deliver, contact, notice))

    async def _deliver(self, contact: Contact, notice: Notice) -> None:
        app = self._settings.APP_NAME
        subject = notice.subject
        text = f"{notice.sentence.format(app=app)} If this was not you, contact us at once."
        try:
            # A refusal's notice (a reused refresh token) is sent before its answer, while the
            # request still holds its admission slot: the provider's time is nobody else's.
            async with outside_auth_slot():
                if contact.email and self._mail:
                    await self._mail.send_notice(contact.email, subject, text)
                else:
                    await self._sms.send_notice(contact.phone_number, text)
        except DeliveryError:
            logger.warning("a security notice could not be delivered", exc_info=True)
