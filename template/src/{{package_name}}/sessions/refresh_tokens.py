"""Refresh tokens: opaque, 256 random bits, kept only as a hash."""

import hashlib
import secrets


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
