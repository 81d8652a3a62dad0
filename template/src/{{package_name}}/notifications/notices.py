"""Security notices: what the owner of an account is told when something about it changes.

A notice goes out after the change is committed, and its failure never undoes the change: it
is logged, and that is all.
"""

import logging

from ..core.config import Settings
from .errors import DeliveryError
from .sms import SmsSender

logger = logging.getLogger(__name__)


def phone_changed(settings: Settings) -> str:
    return (
        f"The phone number of your {settings.APP_NAME} account was changed. "
        "If this was not you, contact us."
    )


async def send_sms_notice(sms: SmsSender, phone_number: str, text: str) -> None:
    try:
        await sms.send_notice(phone_number, text)
    except DeliveryError:
        logger.warning("a security notice could not be delivered", exc_info=True)
