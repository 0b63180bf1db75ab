"""Progress shown by editing one message, throttled: the latest state wins, at most one edit per interval.

Discord rate-limits message edits, and a burst of edits is noise anyway. Updates arrive far more often
than they are shown (every Whisper segment reports); only the newest text is kept, and an edit goes out
when the interval since the last one has passed. `close()` drops what is pending and waits for an edit in
flight, so a late progress edit can never overwrite the result that follows it. Discord-free: it is given
the coroutine function that performs the edit.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Send = Callable[[str], Awaitable[object]]
MAX_FAILURES = 3


class ThrottledProgress:
    def __init__(self, send: Send, interval: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._send = send
        self._interval = interval
        self._clock = clock
        self._pending: str | None = None
        self._shown: str | None = None
        self._last_sent = float("-inf")
        self._task: asyncio.Task[None] | None = None
        self._sending = False
        self._closed = False
        self._failures = 0
        self.sent: list[str] = []  # what was shown, in order (for logs and tests)

    def update(self, text: str) -> None:
        """Show `text` soon. Call on the event loop's thread; never blocks and never raises."""
        if self._closed or text == self._shown or text == self._pending:
            return
        self._pending = text
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._pump())

    async def _pump(self) -> None:
        while self._pending is not None and not self._closed:
            wait = self._last_sent + self._interval - self._clock()
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            text, self._pending = self._pending, None
            self._sending = True
            try:
                await self._send(text)
            except Exception:  # progress is a courtesy: a failed edit must not fail the work
                self._failures += 1
                log.warning("a progress edit failed (%d in a row)", self._failures, exc_info=True)
                if self._failures >= MAX_FAILURES:  # the message is gone or the token expired: stop trying
                    self._closed = True
            else:
                self._failures = 0
                self._shown = text
                self.sent.append(text)
            finally:
                self._sending = False
                self._last_sent = self._clock()

    async def close(self) -> None:
        """Stop: drop pending text, wait for an edit already on its way."""
        self._closed = True
        self._pending = None
        task = self._task
        if task is None or task.done():
            return
        if self._sending:
            await asyncio.wait({task})
        else:
            task.cancel()
            await asyncio.wait({task})
