"""Time-ordered UUIDs (version 7, RFC 9562): new rows land at the end of the primary-key index.

Within a process they are strictly increasing, so the order of ids is the order in which they
were made, however close together (the audit log's newest-first reads rely on it): the twelve
bits after the milliseconds hold the fraction of the millisecond (RFC 9562, section 6.2,
method 3), and an id made in the same 1/4096 ms as the last takes the next value.
"""

import os
import time
import uuid

_VERSION_7 = 0x7 << 76
_RFC_VARIANT = 0x2 << 62
_FRACTION_BITS = 12
_last_timestamp = 0


def uuid7() -> uuid.UUID:
    global _last_timestamp
    nanoseconds = time.time_ns()
    milliseconds, remainder = divmod(nanoseconds, 1_000_000)
    fraction = remainder * (1 << _FRACTION_BITS) // 1_000_000
    timestamp = max(milliseconds << _FRACTION_BITS | fraction, _last_timestamp + 1)
    _last_timestamp = timestamp
    milliseconds, fraction = divmod(timestamp, 1 << _FRACTION_BITS)
    random_bits = int.from_bytes(os.urandom(8)) & (1 << 62) - 1
    return uuid.UUID(
        int=(milliseconds & (1 << 48) - 1) << 80
        | _VERSION_7
        | fraction << 64
        | _RFC_VARIANT
        | random_bits
    )
