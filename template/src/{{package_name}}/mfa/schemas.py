from typing import Literal

from pydantic import BaseModel, Field

from ..credentials.schemas import Code


class TotpEnrolment(BaseModel):
    """What the authenticator app needs: the secret, or the URI, or its QR code."""

    secret: str
    otpauth_uri: str
    qr_svg: str


class CodeConfirmation(BaseModel):
    # A code the authenticator shows now.
    code: Code


class RecoveryCodes(BaseModel):
    """Shown once: each stands in for the authenticator one time."""

    recovery_codes: list[str]


class MfaChallenge(BaseModel):
    """A login's first step passed: `POST /auth/mfa/verify` with this token completes it."""

    mfa_required: Literal[True] = True
    mfa_token: str


class MfaVerification(BaseModel):
    mfa_token: str = Field(min_length=1, max_length=128)
    # An authenticator code, or a recovery code.
    code: str = Field(min_length=6, max_length=64)
