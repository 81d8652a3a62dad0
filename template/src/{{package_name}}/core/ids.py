"""Time-ordered UUIDs (version 7, RFC 9562): new rows land at the end of the primary-key index."""

import os
import time
import uuid

_VERSION_7 = 0x7 << 76
_RFC_VARIANT = 0x2 << 62


def uuid7() -> uuid.UUID:
    milliseconds = time.time_ns() // 1_000_000 & (1 << 48) - 1
    random_bits = int.from_bytes(os.urandom(10)) & ~(0xF << 76 | 0x3 << 62)
    return uuid.UUID(int=milliseconds << 80 | random_bits | _VERSION_7 | _RFC_VARIANT)
