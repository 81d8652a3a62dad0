"""Argon2id password hashing, off the event loop and never more at once than the cores allow."""

import os
from functools import cache

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's floor for Argon2id: 19 MiB, 2 iterations, 1 lane.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MIN_LENGTH = 8
MAX_LENGTH = 128

# Hashing is CPU-bound; past one thread per core extra threads only slow every request down.
_HASHING_SLOTS = anyio.CapacityLimiter(max(1, (os.cpu_count() or 2) - 1))


@cache
def _stand_in_hash() -> str:
    """A hash to verify against when there is no user, so that costs the same time."""
    return HASHER.hash(os.urandom(16).hex())


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(HASHER.hash, password, limiter=_HASHING_SLOTS)


def _verify(hashed: str | None, password: str) -> bool:
    try:
        return HASHER.verify(hashed or _stand_in_hash(), password) and hashed is not None
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(hashed: str | None, password: str) -> bool:
    """Whether `password` matches `hashed`; a missing hash costs the same and never matches."""
    return await anyio.to_thread.run_sync(_verify, hashed, password, limiter=_HASHING_SLOTS)


def needs_rehash(hashed: str) -> bool:
    return HASHER.check_needs_rehash(hashed)
