"""The mfa_token between a login's first step and its second: opaque, bound to the user who
passed the first step and how, five minutes, spent by the second step's success."""

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass

from redis.asyncio import Redis

TTL_SECONDS = 300


@dataclass(frozen=True)
class Challenge:
    user_id: uuid.UUID
    # How the first step proved itself (RFC 8176 method names).
    methods: list[str]


class Challenges:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    @staticmethod
    def _key(token: str) -> str:
        # Kept under its hash: a copy of Redis holds no token that would complete a login.
        return f"mfa-challenge:{hashlib.sha256(token.encode()).hexdigest()}"

    async def issue(self, user_id: uuid.UUID, methods: list[str]) -> str:
        token = secrets.token_urlsafe(32)
        value = json.dumps({"user_id": str(user_id), "methods": methods})
        await self._redis.set(self._key(token), value, ex=TTL_SECONDS)
        return token

    async def find(self, token: str) -> Challenge | None:
        value = await self._redis.get(self._key(token))
        if value is None:
            return None
        stored = json.loads(value)
        return Challenge(uuid.UUID(stored["user_id"]), stored["methods"])

    async def spend(self, token: str) -> bool:
        """Whether this call spent it: of parallel second steps, exactly one does."""
        return bool(await self._redis.delete(self._key(token)))
