"""Wrong passwords per account, or per unknown identifier, and wrong second-factor codes per
account, counted as lockouts.py describes.

A password is checked outside Redis (Argon2 takes its time), so an attempt is reserved before
the check: of any number of parallel attempts, only as many as the limit allows are checked at
all; the others are refused at once. A failed check keeps its reservation as a failure; a
successful one gives it back and ends the escalation.
"""

from redis.asyncio import Redis

from ..core.config import Settings
from .lockouts import FUNCTIONS, Limits, keys

KIND = "password"

# KEYS: failures, lockout, level. ARGV: max failures, window in ms.
RESERVE_SCRIPT = """
local locked = redis.call('PTTL', KEYS[2])
if locked > 0 then
  return locked
end
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if count > tonumber(ARGV[1]) then
  return math.max(redis.call('PTTL', KEYS[1]), 1)
end
return 0
"""
FAILED_SCRIPT = (
    FUNCTIONS
    + """
local failures = tonumber(redis.call('GET', KEYS[1]) or '0')
if lockout_ms(KEYS[2]) == 0 and failures >= tonumber(ARGV[1]) then
  return lock(KEYS[1], KEYS[2], KEYS[3])
end
return 0
"""
)
SUCCEEDED_SCRIPT = """
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then
  redis.call('DECR', KEYS[1])
end
redis.call('DEL', KEYS[3])
return 0
"""


class PasswordAttempts:
    def __init__(self, redis: Redis, limits: Limits, kind: str = KIND) -> None:
        self._limits = limits
        self._kind = kind
        self._reserve = redis.register_script(RESERVE_SCRIPT)
        self._failed = redis.register_script(FAILED_SCRIPT)
        self._succeeded = redis.register_script(SUCCEEDED_SCRIPT)

    @classmethod
    def from_settings(cls, redis: Redis, settings: Settings) -> "PasswordAttempts":
        window_ms = settings.PASSWORD_ATTEMPT_WINDOW_MINUTES * 60_000
        return cls(redis, Limits(settings.PASSWORD_MAX_ATTEMPTS, window_ms))

    @classmethod
    def second_factor(cls, redis: Redis, settings: Settings) -> "PasswordAttempts":
        """Wrong authenticator and recovery codes: counted as wrong one-time codes are."""
        window_ms = settings.OTP_ATTEMPT_WINDOW_MINUTES * 60_000
        return cls(redis, Limits(settings.OTP_MAX_ATTEMPTS, window_ms), kind="mfa")

    async def reserve(self, identifier: str) -> float:
        """Take an attempt for `identifier`: 0, or the seconds until one may be taken."""
        limits = self._limits
        locked_ms = await self._reserve(
            keys=keys(self._kind, identifier), args=[limits.max_failures, limits.window_ms]
        )
        return int(locked_ms) / 1000

    async def failed(self, identifier: str) -> bool:
        """The reserved attempt was wrong: it counts, and may start a lockout (True if so)."""
        lockout_ms = await self._failed(
            keys=keys(self._kind, identifier), args=[self._limits.max_failures]
        )
        return int(lockout_ms) > 0

    async def succeeded(self, identifier: str) -> None:
        await self._succeeded(keys=keys(self._kind, identifier))
