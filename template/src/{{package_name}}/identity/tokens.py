"""Access tokens: HS256 JWTs naming the user and the session."""

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import jwt
from jwt.algorithms import HMACAlgorithm
from pydantic import BaseModel, ConfigDict

from ..core.clock import utcnow

ALGORITHM = "HS256"
ACCESS_TYPE = "access"
REQUIRED_CLAIMS = ["sub", "exp", "iat", "jti", "typ", "sid"]


class AccessClaims(BaseModel):
    model_config = ConfigDict(frozen=True)

    sub: uuid.UUID
    sid: uuid.UUID
    jti: str
    typ: str
    iat: datetime
    exp: datetime
    # When the session last proved a code or a password, and how (RFC 9470, RFC 8176). A token
    # from before these claims counts as authenticated long ago.
    auth_time: datetime = datetime.fromtimestamp(0, UTC)
    amr: tuple[str, ...] = ()


class InvalidTokenError(Exception):
    pass


class KeyCheckedOnce(HMACAlgorithm):
    """HMAC that checks each key once rather than with every token it signs or verifies.

    PyJWT makes sure an HMAC key is no asymmetric or JSON key by trying to read it as each,
    which took half of the time to sign an access token; the service signs with one key.
    """

    def prepare_key(self, key: str | bytes) -> bytes:
        return _checked_key(key)


@lru_cache(maxsize=8)
def _checked_key(key: str | bytes) -> bytes:
    return HMACAlgorithm(HMACAlgorithm.SHA256).prepare_key(key)


# PyJWT's documented way to replace an algorithm's handler, for the whole process.
jwt.unregister_algorithm(ALGORITHM)
jwt.register_algorithm(ALGORITHM, KeyCheckedOnce(HMACAlgorithm.SHA256))


@dataclass(frozen=True)
class Authentication:
    """What a session's tokens say of its last authentication."""

    time: datetime
    methods: list[str]


def create_access_token(
    user_id: uuid.UUID,
    session_id: uuid.UUID,
    authentication: Authentication,
    secret: str,
    lifetime: timedelta,
) -> str:
    now = utcnow()
    claims = {
        "sub": str(user_id),
        "sid": str(session_id),
        "jti": secrets.token_hex(16),
        "typ": ACCESS_TYPE,
        "iat": now,
        "exp": now + lifetime,
        "auth_time": int(authentication.time.timestamp()),
        "amr": authentication.methods,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_access_token(token: str, secret: str) -> AccessClaims:
    claims = _verified_claims(token, secret)
    # The signature and claims of a token never change; its validity in time does.
    if claims.exp <= utcnow():
        raise InvalidTokenError
    return claims


# A client sends the same token with every request: its signature is checked once per worker.
@lru_cache(maxsize=4096)
def _verified_claims(token: str, secret: str) -> AccessClaims:
    try:
        # The algorithm is pinned: a token may not choose how it is checked.
        payload = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": REQUIRED_CLAIMS}
        )
        claims = AccessClaims.model_validate(payload)
    except (jwt.PyJWTError, ValueError) as error:
        raise InvalidTokenError from error
    if claims.typ != ACCESS_TYPE:
        raise InvalidTokenError
    return claims
