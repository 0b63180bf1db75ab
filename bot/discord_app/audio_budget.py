"""Minutes of audio each server may have captioned in an hour. Discord-free.

The request limits count requests, but a request may be 30 minutes of audio: without this budget one server
could keep the only transcription slot busy for hours while every other server is told "busy". The budget
is charged when a request is admitted, `admission_seconds` at least (a tiny voice note still costs ffprobe,
ffmpeg, up to 2 transcriptions and stored audio), and topped up with the real duration once it is
captioned (a link's length is not known before it is fetched), so a server may overrun it by one request.
A request that fails keeps its admission charge: the work was done.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from bot.core.errors import BusyError
from bot.discord_app.i18n import refusal

HOUR = 3600.0


class AudioBudget:
    """At most `minutes` of captioned audio per server in any `window` seconds."""

    def __init__(
        self,
        minutes: float,
        *,
        admission_seconds: float = 0.0,
        window: float = HOUR,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.minutes = minutes
        self.admission_seconds = admission_seconds
        self.window = window
        self._clock = clock
        self._spent: dict[int, deque[tuple[float, float]]] = {}  # guild -> (when, seconds of audio)

    def used(self, guild_id: int) -> float:
        """Seconds of audio captioned for the server within the window."""
        spent = self._spent.get(guild_id)
        if not spent:
            return 0.0
        cutoff = self._clock() - self.window
        while spent and spent[0][0] <= cutoff:
            spent.popleft()
        return sum(seconds for _, seconds in spent)

    def check(self, guild_id: int) -> None:
        """Raise BusyError naming the limit and when to try again if the server's budget is spent."""
        used = self.used(guild_id)
        if used < self.minutes * 60:
            return
        spent = self._spent[guild_id]
        wait, left = 0.0, used
        for when, seconds in spent:  # the time until enough of it has left the window
            left -= seconds
            wait = when + self.window - self._clock()
            if left < self.minutes * 60:
                break
        raise refusal(
            BusyError,
            "error.audio_budget",
            used=f"{used / 60:.1f}",
            limit=f"{self.minutes:g}",
            wait=max(1, math.ceil(wait / 60)),
        )

    def charge(self, guild_id: int, seconds: float) -> None:
        self._spent.setdefault(guild_id, deque()).append((self._clock(), max(0.0, seconds)))

    def admit(self, guild_id: int) -> float:
        """Check, then charge the admission share at once; returns what was charged (for `settle`)."""
        self.check(guild_id)
        if self.admission_seconds > 0:
            self.charge(guild_id, self.admission_seconds)
        return self.admission_seconds

    def settle(self, guild_id: int, seconds: float, charged: float) -> None:
        """The request was captioned: charge what its audio cost beyond the admission share."""
        if seconds > charged:
            self.charge(guild_id, seconds - charged)
