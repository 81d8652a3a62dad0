"""Recovery codes: 80 random bits each, shown once, kept only as a hash, good for one use."""

import base64
import hashlib
import secrets

COUNT = 10
GROUP = 4


def new_codes() -> list[str]:
    """COUNT codes such as `k3x7-q2mz-9fha-p4te`."""
    return [
        _format(base64.b32encode(secrets.token_bytes(10)).decode().lower()) for _ in range(COUNT)
    ]


def _format(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def hash_code(code: str) -> str:
    """The hash a code is kept as; spaces, dashes and case do not matter. 80 random bits need
    no slow hash, only no plain copy at rest."""
    normalised = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(normalised.encode()).hexdigest()
