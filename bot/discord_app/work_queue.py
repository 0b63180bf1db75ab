"""A bounded work queue: a few captions run at once, a few more wait, the rest are refused at once.

Refusing early is kinder than a queue that grows without limit: the user learns now that the bot is busy
instead of waiting half an hour for a slot. Discord-free; one instance per bot, used on its event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.core.errors import BusyError

BUSY_MESSAGE = "I'm busy with other captions right now; try again in a minute."
Owner = tuple[int, int]  # (guild id, user id) of the request a ticket admits


class Ticket:
    """A place in the queue. `async with ticket:` waits for a slot and holds it; `close()` gives it back."""

    def __init__(self, queue: WorkQueue, owner: Owner | None = None) -> None:
        self._queue = queue
        self.owner = owner
        self._state = "waiting"  # waiting -> running -> closed (or waiting -> closed)
        self.on_position: Callable[[int], None] | None = None

    @property
    def position(self) -> int:
        """Place in line among the requests that cannot start yet (1 = next); 0 once it runs or can start."""
        return self._queue._place_of(self)

    async def __aenter__(self) -> Ticket:
        if self._state != "waiting":
            raise RuntimeError("a ticket can be used once")
        await self._queue._slots.acquire()
        self._state = "running"
        self._queue._left_waiting(self)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Give the place back; safe to call more than once and whether or not the work ever ran."""
        if self._state == "closed":
            return
        was_running = self._state == "running"
        self._state = "closed"
        self._queue._inside -= 1
        self._queue._owners.remove(self.owner)
        if was_running:
            self._queue._slots.release()
        self._queue._left_waiting(self)


class WorkQueue:
    """The shared queue; `per_user` and `per_guild` cap the places one member and one server may hold."""

    def __init__(
        self, running: int, waiting: int, *, per_user: int | None = None, per_guild: int | None = None
    ) -> None:
        if running < 1 or waiting < 0:
            raise ValueError("a work queue needs at least one running slot and no negative waiting room")
        self.running_limit = running
        self.capacity = running + waiting
        self.per_user = per_user
        self.per_guild = per_guild
        self._slots = asyncio.Semaphore(running)
        self._inside = 0
        self._waiting: list[Ticket] = []
        self._owners: list[Owner | None] = []  # one entry per admitted, unfinished ticket

    @property
    def size(self) -> int:
        """Requests admitted and not finished (running or waiting)."""
        return self._inside

    def reserve(self, guild_id: int | None = None, user_id: int | None = None) -> Ticket:
        """Take a place, or raise BusyError: the member's or the server's share is used, or all are taken."""
        owner = None if guild_id is None or user_id is None else (guild_id, user_id)
        if owner is not None:
            self._check_share(owner)
        if self._inside >= self.capacity:
            raise BusyError(BUSY_MESSAGE)
        self._inside += 1
        self._owners.append(owner)
        ticket = Ticket(self, owner)
        self._waiting.append(ticket)
        return ticket

    def _check_share(self, owner: Owner) -> None:
        mine = self._owners.count(owner)
        if self.per_user is not None and mine >= self.per_user:
            raise BusyError(
                f"you already have {mine} caption request{'s' if mine != 1 else ''} in progress, the most "
                f"allowed at once ({self.per_user}); try again when one is done."
            )
        guild = sum(1 for other in self._owners if other is not None and other[0] == owner[0])
        if self.per_guild is not None and guild >= self.per_guild:
            raise BusyError(
                f"this server already has {guild} caption requests in progress, the most allowed at once "
                f"({self.per_guild}); try again when one is done."
            )

    def _place_of(self, ticket: Ticket) -> int:
        try:
            index = self._waiting.index(ticket)
        except ValueError:
            return 0
        running = self._inside - len(self._waiting)
        free = max(0, self.running_limit - running)
        return 0 if index < free else index - free + 1

    def _left_waiting(self, ticket: Ticket) -> None:
        if ticket in self._waiting:
            self._waiting.remove(ticket)
        for other in list(self._waiting):
            if other.on_position is not None:
                other.on_position(other.position)
