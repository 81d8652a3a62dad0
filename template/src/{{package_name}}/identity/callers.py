"""Each worker's memory of the callers it has let in, so a repeat request needs no database.

A request's identity is its session's row and its user's: live, active, with these roles and
this profile. A worker remembers what the database said for CALLER_MEMORY_SECONDS (at most a
minute, the precision of a session's last use, which the database read also writes), and
forgets a user the moment the revocation channel names them (revocations.py). It trusts
nothing it remembers while it does not follow that channel: from start-up until its
subscription is confirmed, and from the moment the subscription fails until it is confirmed
again, with an empty memory, as messages may have been missed in between.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..core.clock import utcnow

# Enough for every active session of a busy worker; beyond it the oldest are forgotten first.
MOST_REMEMBERED = 50_000


@dataclass(frozen=True, slots=True)
class Remembered:
    user_id: uuid.UUID
    profile: dict[str, Any]
    # Until CALLER_MEMORY_SECONDS after the read, or the session's end when that comes first.
    valid_until: datetime


class Callers:
    def __init__(self, memory_seconds: int) -> None:
        self._memory = timedelta(seconds=memory_seconds)
        self._by_session: dict[uuid.UUID, Remembered] = {}
        self._sessions_of: dict[uuid.UUID, set[uuid.UUID]] = {}
        # Counts what has been forgotten: a read that started before a change it did not see
        # must not be remembered after it.
        self.generation = 0
        self.following = False

    def recall(self, session_id: uuid.UUID, user_id: uuid.UUID) -> dict[str, Any] | None:
        """The profile remembered for the session and its user, while it may be trusted."""
        if not self.following:
            return None
        remembered = self._by_session.get(session_id)
        if remembered is None or remembered.user_id != user_id:
            return None
        if remembered.valid_until <= utcnow():
            self._forget_session(session_id)
            return None
        return remembered.profile

    def remember(
        self,
        session_id: uuid.UUID,
        user_id: uuid.UUID,
        profile: dict[str, Any],
        session_expires_at: datetime,
        generation: int,
    ) -> None:
        """Keep what a read that started at `generation` found, unless something was
        forgotten since (the read may predate that change) or the channel is not followed."""
        if not self.following or generation != self.generation or not self._memory:
            return
        if len(self._by_session) >= MOST_REMEMBERED:
            self._forget_session(next(iter(self._by_session)))
        valid_until = min(utcnow() + self._memory, session_expires_at)
        self._by_session[session_id] = Remembered(user_id, profile, valid_until)
        self._sessions_of.setdefault(user_id, set()).add(session_id)

    def forget_user(self, user_id: uuid.UUID) -> None:
        self.generation += 1
        for session_id in self._sessions_of.pop(user_id, ()):
            self._by_session.pop(session_id, None)

    def forget_everyone(self) -> None:
        self.generation += 1
        self._by_session.clear()
        self._sessions_of.clear()

    def start_following(self) -> None:
        """The channel is followed from now on; what came before it may have been missed."""
        self.forget_everyone()
        self.following = True

    def stop_following(self) -> None:
        self.following = False
        self.forget_everyone()

    def _forget_session(self, session_id: uuid.UUID) -> None:
        remembered = self._by_session.pop(session_id)
        sessions = self._sessions_of.get(remembered.user_id)
        if sessions is not None:
            sessions.discard(session_id)
            if not sessions:
                del self._sessions_of[remembered.user_id]
