"""Argon2id password hashing, off the event loop and never more at once than the cores allow.

Passwords are normalised with Unicode NFKC before hashing, so that one password typed on
different keyboards is one. Hashes made before that normalisation still verify, against the
password as typed, and are replaced at the next login.
"""

import os
import unicodedata
from dataclasses import dataclass
from functools import cache

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's floor for Argon2id: 19 MiB, 2 iterations, 1 lane.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# The bounds of any password; PASSWORD_MIN_LENGTH may ask for more.
MIN_LENGTH = 8
MAX_LENGTH = 128

# Hashing is CPU-bound; past one thread per core extra threads only slow every request down.
_HASHING_SLOTS = anyio.CapacityLimiter(max(1, (os.cpu_count() or 2) - 1))


@dataclass(frozen=True)
class Check:
    matches: bool
    # The hash is due for replacing: older parameters, or made before the normalisation.
    rehash: bool = False


def normalised(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


@cache
def _stand_in_hash() -> str:
    """A hash to verify against when there is no user, so that costs the same time."""
    return HASHER.hash(os.urandom(16).hex())


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(HASHER.hash, normalised(password), limiter=_HASHING_SLOTS)


def _check(hashed: str | None, password: str) -> Check:
    stored = hashed or _stand_in_hash()
    form = normalised(password)
    # The password as typed only where it differs: what hashes before the normalisation hold.
    for candidate in dict.fromkeys((form, password)):
        try:
            HASHER.verify(stored, candidate)
        except (VerificationError, InvalidHashError):
            continue
        if hashed is None:
            break
        return Check(True, rehash=candidate != form or HASHER.check_needs_rehash(hashed))
    return Check(False)


async def verify_password(hashed: str | None, password: str) -> Check:
    """Whether `password` matches `hashed`; a missing hash costs the same and never matches."""
    return await anyio.to_thread.run_sync(_check, hashed, password, limiter=_HASHING_SLOTS)
