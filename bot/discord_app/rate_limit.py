"""Per-user and per-guild sliding-window rate limits for caption requests. Discord-free."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Hashable

from bot.core.errors import BusyError
from bot.discord_app.i18n import refusal


class SlidingWindow:
    """At most `limit` events per `window` seconds for each key."""

    def __init__(self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._events: dict[Hashable, deque[float]] = {}

    def retry_after(self, key: Hashable) -> float:
        """Seconds until the key may act again; 0.0 when it may act now."""
        events = self._events.get(key)
        if not events:
            return 0.0
        now = self._clock()
        while events and events[0] <= now - self.window:
            events.popleft()
        if not events:
            del self._events[key]
            return 0.0
        if len(events) < self.limit:
            return 0.0
        return events[0] + self.window - now

    def record(self, key: Hashable) -> None:
        self._events.setdefault(key, deque()).append(self._clock())


class RequestLimits:
    """The two limits a caption request must pass; only requests that are let in count (`record`)."""

    def __init__(
        self,
        per_user: int,
        per_guild: int,
        *,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.users = SlidingWindow(per_user, window, clock)
        self.guilds = SlidingWindow(per_guild, window, clock)

    def check(self, guild_id: int, user_id: int) -> None:
        """Raise BusyError saying when to try again if either window is full (nothing is recorded)."""
        user_wait = self.users.retry_after((guild_id, user_id))
        if user_wait > 0:
            raise refusal(BusyError, "error.user_rate", limit=self.users.limit, count=_seconds(user_wait))
        guild_wait = self.guilds.retry_after(guild_id)
        if guild_wait > 0:
            raise refusal(BusyError, "error.guild_rate", limit=self.guilds.limit, count=_seconds(guild_wait))

    def record(self, guild_id: int, user_id: int) -> None:
        """Count a request that was let in."""
        self.users.record((guild_id, user_id))
        self.guilds.record(guild_id)


def _seconds(value: float) -> int:
    """Whole seconds to wait, at least 1."""
    return max(1, math.ceil(value))
