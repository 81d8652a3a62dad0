"""One-time codes in Redis: stored as keyed hashes, checked and spent in one atomic script.

A code is bound to a subject, a purpose and an identifier such as `login:+12025550143`, so a
code sent for one thing never works for another, and it carries its target (the address or
number it was sent to), which only the right code yields: a later code for another target
replaces it, so a code verifies the target it was sent to and nothing else. Wrong codes count
per subject (see lockouts.py).
"""

import copy
import enum
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from redis.asyncio import Redis

from ..core.config import Settings
from ..core.errors import TooManyRequestsError
from ..core.rate_limit import MOVING_WINDOW, Window
from .errors import TooManyAttemptsError
from .lockouts import FUNCTIONS, Limits, keys

CODE_DIGITS = 6
KIND = "otp"

# KEYS: code, failures, lockout, level. ARGV: digest of the submitted code, max failures,
# window in ms. The stored value is the code's digest, a space, and its target.
VERIFY_SCRIPT = (
    FUNCTIONS
    + """
local locked = lockout_ms(KEYS[3])
if locked > 0 then
  return {'locked', locked, ''}
end
local submitted = ARGV[1]
local stored = redis.call('GET', KEYS[1])
local digest, target = string.rep('-', #submitted), ''
if stored then
  local space = string.find(stored, ' ', 1, true)
  digest, target = string.sub(stored, 1, space - 1), string.sub(stored, space + 1)
end
-- Compare every byte whatever differs, and against a stand-in when no code exists,
-- so the time taken says nothing about the stored code.
local diff = (#digest == #submitted) and 0 or 1
for i = 1, math.min(#digest, #submitted) do
  diff = bit.bor(diff, bit.bxor(digest:byte(i), submitted:byte(i)))
end
if stored and diff == 0 then
  redis.call('DEL', KEYS[1], KEYS[4])
  return {'ok', 0, target}
end
local lockout = count_failure(KEYS[2], KEYS[3], KEYS[4], tonumber(ARGV[2]), tonumber(ARGV[3]))
if lockout > 0 then
  -- The last allowed guess was wrong: the code dies with the lockout.
  redis.call('DEL', KEYS[1])
end
return {'wrong', lockout, ''}
"""
)


# A code request's whole work in one round trip. KEYS: code, lockout, then one window per limit.
# ARGV: the value to store, its lifetime in seconds, the time now, then each window's limit and
# expiry. In order, as the rules go: a locked-out subject gets no code, then each limit counts
# the request (a limit refusing it leaves those before it counted), then the code is stored.
ISSUE_SCRIPT = (
    FUNCTIONS
    + MOVING_WINDOW
    + """
local locked = lockout_ms(KEYS[2])
if locked > 0 then
  return {'locked', tostring(locked / 1000)}
end
local now = tonumber(ARGV[3])
for i = 3, #KEYS do
  local wait = take(KEYS[i], tonumber(ARGV[2 * i - 2]), tonumber(ARGV[2 * i - 1]), now)
  if wait > 0 then
    return {'limited', tostring(wait)}
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return {'issued', ''}
"""
)


class Outcome(enum.Enum):
    ACCEPTED = "ok"
    REJECTED = "wrong"
    LOCKED = "locked"


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    # LOCKED: how long the lockout lasts yet; REJECTED: the lockout this guess started, or 0.
    retry_after_seconds: float = 0
    # What the code was sent to, when it was accepted.
    target: str = ""


def generate_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


class CodeStore:
    def __init__(self, redis: Redis, key: bytes, *, ttl_seconds: int, limits: Limits) -> None:
        self._redis = redis
        self._key = key
        self._ttl_seconds = ttl_seconds
        self._limits = limits
        self._verify = redis.register_script(VERIFY_SCRIPT)
        self._issue = redis.register_script(ISSUE_SCRIPT)
        self._windows: tuple[Window, ...] = ()

    @classmethod
    def from_settings(cls, redis: Redis, settings: Settings) -> "CodeStore":
        secret = settings.SECRET_KEY.get_secret_value().encode()
        return cls(
            redis,
            # A key of its own, derived from SECRET_KEY, so code hashes share nothing with tokens.
            hmac.new(secret, b"one-time codes", hashlib.sha256).digest(),
            ttl_seconds=settings.OTP_EXPIRE_MINUTES * 60,
            limits=Limits(settings.OTP_MAX_ATTEMPTS, settings.OTP_ATTEMPT_WINDOW_MINUTES * 60_000),
        )

    def _digest(self, subject: str, code: str) -> str:
        return hmac.new(self._key, f"{subject}:{code}".encode(), hashlib.sha256).hexdigest()

    def within(self, *windows: Window) -> "CodeStore":
        """This store, issuing a code only when each of `windows` counts it, in the same script."""
        limited = copy.copy(self)
        limited._windows = windows
        return limited

    async def issue(self, subject: str, target: str = "") -> str:
        """A fresh code for `subject`, sent to `target`, replacing any earlier one; unless the
        subject is locked out (TooManyAttemptsError) or a window is spent (TooManyRequestsError).
        """
        code = generate_code()
        stored = f"{self._digest(subject, code)} {target}"
        # The time as `limits` counts it, so the windows' entries are those `hit` writes.
        args: list[str | int | float] = [stored, self._ttl_seconds, time.time()]
        for window in self._windows:
            args += [window.limit, window.expiry_seconds]
        outcome, seconds = await self._issue(
            keys=[f"{KIND}:code:{subject}", keys(KIND, subject)[1]]
            + [window.key for window in self._windows],
            args=args,
        )
        if outcome == "locked":
            raise TooManyAttemptsError(float(seconds))
        if outcome == "limited":
            raise TooManyRequestsError(float(seconds))
        return code

    async def verify(self, subject: str, code: str) -> Verdict:
        outcome, locked_ms, target = await self._verify(
            keys=[f"{KIND}:code:{subject}", *keys(KIND, subject)],
            args=[self._digest(subject, code), self._limits.max_failures, self._limits.window_ms],
        )
        return Verdict(Outcome(outcome), max(int(locked_ms), 0) / 1000, target)

    async def holds_code(self, subject: str) -> bool:
        """Whether a code waits for `subject`."""
        return bool(await self._redis.exists(f"{KIND}:code:{subject}"))

    async def lockout_seconds(self, subject: str) -> float:
        """How long `subject` stays locked out; 0 when it is not."""
        remaining_ms = await self._redis.pttl(keys(KIND, subject)[1])
        return max(int(remaining_ms), 0) / 1000

    async def revoke(self, subject: str) -> None:
        """Drop the current code of `subject`; its failure count stays."""
        await self._redis.delete(f"{KIND}:code:{subject}")

    async def forget(self, *subjects: str) -> None:
        """Drop the codes, failure counts and lockouts of `subjects`."""
        names = [name for subject in subjects for name in keys(KIND, subject)]
        await self._redis.delete(*names, *(f"{KIND}:code:{subject}" for subject in subjects))
