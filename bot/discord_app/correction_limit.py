"""The per-member limits on corrections (replies and the Correct form) and on /vocab suggest. Discord-free.

Every correction costs parsing, alignment and a write; without a limit one member could keep the store busy.
It reuses the caption requests' sliding window, keyed by (guild, user), and counts every correction let in,
accepted or refused later, because a refused one cost the work too.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from bot.core.errors import BusyError
from bot.discord_app.i18n import refusal
from bot.discord_app.rate_limit import SlidingWindow


class CorrectionLimit:
    """At most `per_minute` corrections per member per server in any 60 s."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = SlidingWindow(per_minute, 60.0, clock)

    def admit(self, guild_id: int, user_id: int) -> None:
        """Count the correction, or raise BusyError saying the limit and when to try again."""
        wait = self.window.retry_after((guild_id, user_id))
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise refusal(BusyError, "error.correction_rate", limit=self.window.limit, count=seconds)
        self.window.record((guild_id, user_id))


class SuggestionLimit:
    """At most `per_hour` /vocab suggest commands per member per server in any hour.

    Why an hour, not a minute: a suggestion waits for a moderator, whose time is what a flood would spend,
    and nobody has dozens of new words a minute."""

    def __init__(self, per_hour: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = SlidingWindow(per_hour, 3600.0, clock)

    def admit(self, guild_id: int, user_id: int) -> None:
        """Count the suggestion, or raise BusyError saying the limit and when to try again."""
        wait = self.window.retry_after((guild_id, user_id))
        if wait > 0:
            minutes = max(1, math.ceil(wait / 60))
            raise refusal(BusyError, "error.suggest_rate", limit=self.window.limit, count=minutes)
        self.window.record((guild_id, user_id))
