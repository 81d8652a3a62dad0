"""Wrong guesses per identifier, in Redis: a fixed window, then a lockout that doubles each time.

At most `max_failures` wrong guesses count per identifier in a fixed window. The one that
reaches the limit starts a lockout: to the end of the window the first time; when the
identifier is locked out again within 24 hours of the last lockout, twice as long as that one,
up to 24 hours. A success ends the escalation. Codes and passwords keep their own counts, so
that a password lockout leaves the owner their codes. Every step runs in one Lua script, so
parallel guesses on any number of workers cannot overshoot.
"""

from dataclasses import dataclass

DAY_MS = 24 * 60 * 60 * 1000

# Lua shared by the scripts. KEYS of a kind and identifier: failures, lockout, level (the
# length of the last lockout, kept 24 hours past its end).
FUNCTIONS = f"""
local function lockout_ms(lockout)
  local left = redis.call('PTTL', lockout)
  if left > 0 then return left end
  return 0
end

local function lock(failures, lockout, level)
  local last = tonumber(redis.call('GET', level) or '0')
  local length
  if last > 0 then
    length = math.min(last * 2, {DAY_MS})
  else
    length = math.max(redis.call('PTTL', failures), 1)
  end
  redis.call('SET', lockout, '1', 'PX', length)
  redis.call('SET', level, length, 'PX', length + {DAY_MS})
  redis.call('DEL', failures)
  return length
end

local function count_failure(failures, lockout, level, max_failures, window_ms)
  local count = redis.call('INCR', failures)
  if count == 1 then
    redis.call('PEXPIRE', failures, window_ms)
  end
  if count >= max_failures then
    return lock(failures, lockout, level)
  end
  return 0
end
"""


@dataclass(frozen=True)
class Limits:
    """The wrong guesses allowed per window, and the window."""

    max_failures: int
    window_ms: int


def keys(kind: str, identifier: str) -> list[str]:
    """The failures, lockout and level keys of `identifier` for guesses of `kind`."""
    return [f"{kind}:{part}:{identifier}" for part in ("failures", "lockout", "lockout-level")]
