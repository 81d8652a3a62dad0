import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel


class AccessToken(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - a scheme name, not a secret
    # Seconds until the access token expires (RFC 6749, 5.1).
    expires_in: int


class TokenPair(AccessToken):
    refresh_token: str


class SessionView(BaseModel):
    """A session as its owner (or an admin) sees it."""

    id: uuid.UUID
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    user_agent: str | None
    ip_address: str | None
    # The session of the request that asks.
    current: bool
