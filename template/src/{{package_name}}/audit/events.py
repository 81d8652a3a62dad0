"""The one writer of the audit log, which every service calls beside the change it records."""

import uuid
from enum import StrEnum
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from ..core.config import Settings
from ..core.db import keep_on_refusal, request_of
from ..core.devices import Device, device_of
from ..core.metrics import LOCKOUTS, LOGINS
from ..credentials.errors import WrongGuessError
from ..models.audit_events import AuditEvent

# The `step` of a login's second factor: a failure there is a failed login.
SECOND_FACTOR_STEP = "mfa"


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
    actor_id: uuid.UUID | None = None,
    **details: Any,
) -> None:
    """Add the event to the session's transaction: it lasts exactly when the change does.

    `details` are for people reading the log; never a code, password, token or key.
    """
    db.add(_event(db, event, user_id, actor_id, details))


def record_refusal(
    db: AsyncSession, event: EventType, user_id: uuid.UUID | None, **details: Any
) -> None:
    """Record a refusal (a failed login, a lockout): kept though the request's changes are not."""
    keep_on_refusal(db, _event(db, event, user_id, None, details))


def record_failed_login(
    db: AsyncSession,
    user_id: uuid.UUID | None,
    refusal: WrongGuessError,
    method: str,
    step: str | None = None,
) -> None:
    """A wrong code or password (`method`), at a login or at a later `step` (reauthentication,
    a password change, a login's second factor), and the lockout it started; both counted."""
    details = {"method": method} | ({"step": step} if step else {})
    record_refusal(db, EventType.LOGIN_FAILED, user_id, **details)
    if step in (None, SECOND_FACTOR_STEP):
        LOGINS.labels(method, "failed").inc()
    if refusal.started_lockout:
        record_refusal(db, EventType.LOCKOUT_STARTED, user_id, **details)
        LOCKOUTS.labels(method).inc()


def _event(
    db: AsyncSession,
    event: EventType,
    user_id: uuid.UUID | None,
    actor_id: uuid.UUID | None,
    details: dict[str, Any],
) -> AuditEvent:
    # The device of the request whose transaction this is: the user's, or the acting admin's.
    device = Device(None, None)
    if request := request_of(db):
        settings: Settings = request.app.state.settings
        device = device_of(request, settings.TRUSTED_PROXIES)
    return AuditEvent(
        type=event,
        user_id=user_id,
        # An admin acting on their own account acts as the user.
        actor_id=actor_id if actor_id != user_id else None,
        ip_address=device.ip_address,
        user_agent=device.user_agent,
        details=details,
    )
