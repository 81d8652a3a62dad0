"""Authenticator codes (RFC 6238: SHA-1, 6 digits, 30-second steps), with one step of drift."""

import hmac
from datetime import datetime

import pyotp
import segno

STEP_SECONDS = 30
# Codes of the step before and after the current one are accepted: phones' clocks drift.
DRIFT_STEPS = 1


def new_secret() -> str:
    """160 random bits in base32, as RFC 4226 recommends and authenticator apps read."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The URI as a QR code an authenticator app scans, as an inline SVG element."""
    return segno.make(uri, error="m").svg_inline(scale=4)


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code `code` is, within the drift allowed; None if none."""
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None
