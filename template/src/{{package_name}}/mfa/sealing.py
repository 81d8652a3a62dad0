"""Authenticator secrets encrypted at rest: AES-256-GCM under a key derived from
MFA_ENCRYPTION_KEY, or SECRET_KEY when that is not set.

The user's id is the associated data, so a sealed secret copied to another user's row does not
open. Changing the key that seals makes every enrolled authenticator unreadable: keep
MFA_ENCRYPTION_KEY when SECRET_KEY is rotated.
"""

import base64
import os
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..core.config import Settings

NONCE_BYTES = 12


class UnsealableError(Exception):
    """The secret was sealed with another key, or altered."""


def derive_key(settings: Settings, purpose: bytes) -> bytes:
    """A 256-bit key of its own for each `purpose`, from the configured secret."""
    secret = settings.MFA_ENCRYPTION_KEY or settings.SECRET_KEY
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose)
    return hkdf.derive(secret.get_secret_value().encode())


class Sealer:
    def __init__(self, settings: Settings) -> None:
        self._aead = AESGCM(derive_key(settings, b"totp-secret"))

    def seal(self, user_id: uuid.UUID, secret: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, secret.encode(), user_id.bytes)
        return base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, user_id: uuid.UUID, sealed: str) -> str:
        raw = base64.urlsafe_b64decode(sealed)
        try:
            return self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], user_id.bytes).decode()
        except InvalidTag:
            raise UnsealableError from None
