"""The one writer of the audit log, which every service calls beside the change it records."""

import uuid
from enum import StrEnum
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from ..core.devices import Device
from ..models.audit_events import AuditEvent


class EventType(StrEnum):
    """CONTRACT §4.7's event types."""

    USER_REGISTERED = "user.registered"
    LOGIN_SUCCEEDED = "login.succeeded"
    LOGIN_FAILED = "login.failed"
    LOCKOUT_STARTED = "lockout.started"
    REAUTHENTICATED = "reauthenticated"
    SESSION_ENDED = "session.ended"
    SESSION_REUSE_DETECTED = "session.reuse_detected"
    SESSIONS_ENDED_ALL = "sessions.ended_all"
    PASSWORD_CHANGED = "password.changed"  # noqa: S105 (an event, not a password)
    PHONE_CHANGED = "phone.changed"
    EMAIL_VERIFIED = "email.verified"
    MFA_ENABLED = "mfa.enabled"
    MFA_DISABLED = "mfa.disabled"
    RECOVERY_CODE_USED = "recovery_code.used"
    ROLE_GRANTED = "role.granted"
    ROLE_REVOKED = "role.revoked"
    USER_UPDATED = "user.updated"
    USER_DEACTIVATED = "user.deactivated"
    USER_DELETED = "user.deleted"
    ADMIN_BOOTSTRAPPED = "admin.bootstrapped"


def record(
    db: AsyncSession,
    event: EventType,
    user_id: uuid.UUID | None,
    *,
    device: Device | None = None,
    actor_id: uuid.UUID | None = None,
    **details: Any,
) -> None:
    """Add the event to the session's transaction: it lasts exactly when the change does.

    `details` are for people reading the log; never a code, password, token or key.
    """
    db.add(
        AuditEvent(
            type=event,
            user_id=user_id,
            actor_id=actor_id,
            ip_address=device.ip_address if device else None,
            user_agent=device.user_agent if device else None,
            details=details,
        )
    )
