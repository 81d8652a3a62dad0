"""One-time codes in Redis: stored as keyed hashes, checked and spent in one atomic script.

A code is bound to a subject, a purpose and an identifier such as `login:+12025550143`, so a
code sent for one thing never works for another. Wrong codes are counted per identifier in
a fixed window; once the limit is reached nothing is evaluated until the window ends.
"""

import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from redis.asyncio import Redis

from ..core.config import Settings

CODE_DIGITS = 6

# KEYS: code, failures. ARGV: digest of the submitted code, max failures, window in ms.
# Runs atomically in Redis, so parallel guesses on any number of workers cannot overshoot.
VERIFY_SCRIPT = """
local failures = tonumber(redis.call('GET', KEYS[2]) or '0')
if failures >= tonumber(ARGV[2]) then
  return {'locked', redis.call('PTTL', KEYS[2])}
end
local submitted = ARGV[1]
local stored = redis.call('GET', KEYS[1])
-- Compare every byte whatever differs, and against a stand-in when no code exists,
-- so the time taken says nothing about the stored code.
local candidate = stored or string.rep('-', #submitted)
local diff = (#candidate == #submitted) and 0 or 1
for i = 1, math.min(#candidate, #submitted) do
  diff = bit.bor(diff, bit.bxor(candidate:byte(i), submitted:byte(i)))
end
if stored and diff == 0 then
  redis.call('DEL', KEYS[1])
  return {'ok', 0}
end
failures = redis.call('INCR', KEYS[2])
if failures == 1 then
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
if failures >= tonumber(ARGV[2]) then
  -- The last allowed guess was wrong: the code dies with the lockout.
  redis.call('DEL', KEYS[1])
end
return {'wrong', failures}
"""


class Outcome(enum.Enum):
    ACCEPTED = "ok"
    REJECTED = "wrong"
    LOCKED = "locked"


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    retry_after_seconds: float = 0


def generate_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


class CodeStore:
    def __init__(
        self,
        redis: Redis,
        key: bytes,
        *,
        ttl_seconds: int,
        max_failures: int,
        window_seconds: int,
    ) -> None:
        self._redis = redis
        self._key = key
        self._ttl_seconds = ttl_seconds
        self._max_failures = max_failures
        self._window_ms = window_seconds * 1000
        self._verify = redis.register_script(VERIFY_SCRIPT)

    @classmethod
    def from_settings(cls, redis: Redis, settings: Settings) -> "CodeStore":
        secret = settings.SECRET_KEY.get_secret_value().encode()
        return cls(
            redis,
            # A key of its own, derived from SECRET_KEY, so code hashes share nothing with tokens.
            hmac.new(secret, b"one-time codes", hashlib.sha256).digest(),
            ttl_seconds=settings.OTP_EXPIRE_MINUTES * 60,
            max_failures=settings.OTP_MAX_ATTEMPTS,
            window_seconds=settings.OTP_ATTEMPT_WINDOW_MINUTES * 60,
        )

    def _digest(self, subject: str, code: str) -> str:
        return hmac.new(self._key, f"{subject}:{code}".encode(), hashlib.sha256).hexdigest()

    async def issue(self, subject: str) -> str:
        """A fresh code for `subject`, replacing any earlier one."""
        code = generate_code()
        digest = self._digest(subject, code)
        await self._redis.set(f"otp:code:{subject}", digest, ex=self._ttl_seconds)
        return code

    async def verify(self, subject: str, code: str) -> Verdict:
        outcome, value = await self._verify(
            keys=[f"otp:code:{subject}", f"otp:failures:{subject}"],
            args=[self._digest(subject, code), self._max_failures, self._window_ms],
        )
        if outcome == Outcome.LOCKED.value:
            return Verdict(Outcome.LOCKED, retry_after_seconds=max(int(value), 0) / 1000)
        return Verdict(Outcome(outcome))

    async def lockout_seconds(self, subject: str) -> float:
        """How long `subject` stays locked out; 0 when it is not."""
        key = f"otp:failures:{subject}"
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.get(key)
            pipe.pttl(key)
            failures, remaining_ms = await pipe.execute()
        if failures is None or int(failures) < self._max_failures:
            return 0
        return max(int(remaining_ms), 0) / 1000

    async def revoke(self, subject: str) -> None:
        """Drop the current code of `subject`; its failure count stays."""
        await self._redis.delete(f"otp:code:{subject}")

    async def forget(self, *subjects: str) -> None:
        """Drop the codes and failure counts of `subjects`."""
        keys = [f"otp:{kind}:{subject}" for subject in subjects for kind in ("code", "failures")]
        await self._redis.delete(*keys)
