"""A fair work queue: a few captions run at once, the rest wait their turn, servers and members in rotation.

A crowd is queued, not refused: every server may have up to `per_guild` requests running or waiting, and
a member up to `per_user`. When a slot frees, the server served least recently goes next (a server that
was not waiting at all goes before those that were just served), and within it the member served least
recently, so one busy or hostile server cannot starve the others and one member cannot starve the rest of
their server. Each waiting request knows its place in that order, and is told when it changes. A request
is refused at once only past a bound (the member's, the server's, or the whole queue's, which only guards
memory), naming which. Discord-free; one instance per bot, used on its event loop.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Callable, Hashable

from bot.core.errors import BusyError
from bot.discord_app.i18n import refusal, text

BUSY_MESSAGE = text("error.busy")
Owner = tuple[int, int]  # (guild id, user id) of the request a ticket admits
Turn = tuple[int, int]  # (0, arrival) for a server or member not served since it last arrived, else (1, when)


class Ticket:
    """A place in the queue. `async with ticket:` waits for a slot and holds it; `close()` gives it back."""

    def __init__(self, queue: WorkQueue, owner: Owner | None, seq: int) -> None:
        self._queue = queue
        self.owner = owner
        self.seq = seq
        self._state = "waiting"  # waiting -> running -> closed (or waiting -> closed)
        self._go = asyncio.Event()
        self._entered = False
        self.on_position: Callable[[int], None] | None = None
        self.shown: int | None = None  # the last place on_position was given
        self.charged = 0.0  # seconds of audio budget charged when it was admitted

    @property
    def guild(self) -> Hashable:
        return None if self.owner is None else self.owner[0]

    @property
    def member(self) -> Hashable:
        return self.owner

    @property
    def position(self) -> int:
        """Place in line among the requests that cannot start yet (1 = next); 0 once it runs."""
        return self._queue._place_of(self)

    @property
    def running(self) -> bool:
        return self._state == "running"

    async def __aenter__(self) -> Ticket:
        if self._entered or self._state == "closed":
            raise RuntimeError("a ticket can be used once")
        self._entered = True
        await self._go.wait()  # set when the queue gives it a slot (at once when one is free)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Give the place back; safe to call more than once and whether or not the work ever ran."""
        if self._state != "closed":
            self._queue._release(self)


class WorkQueue:
    """The shared queue: `running` slots, `waiting` places beyond them in all, and the caps per member
    (`per_user`) and per server (`per_guild`) on requests running or waiting."""

    def __init__(
        self, running: int, waiting: int, *, per_user: int | None = None, per_guild: int | None = None
    ) -> None:
        if running < 1 or waiting < 0:
            raise ValueError("a work queue needs at least one running slot and no negative waiting room")
        self.running_limit = running
        self.capacity = running + waiting
        self.per_user = per_user
        self.per_guild = per_guild
        self._running = 0
        self._seq = itertools.count()
        self._served = itertools.count()
        # the waiting tickets: server -> member -> oldest first
        self._waiting: dict[Hashable, dict[Hashable, deque[Ticket]]] = {}
        # tickets admitted and not closed, per server and per member; a turn lives as long as its count
        self._guild_count: dict[Hashable, int] = {}
        self._member_count: dict[Hashable, int] = {}
        self._guild_turn: dict[Hashable, Turn] = {}
        self._member_turn: dict[Hashable, Turn] = {}
        self._order: dict[Ticket, int] | None = None  # place of every waiting ticket, None when stale

    @property
    def size(self) -> int:
        """Requests admitted and not finished (running or waiting)."""
        return sum(self._guild_count.values())

    @property
    def waiting(self) -> int:
        return self.size - self._running

    def reserve(self, guild_id: int | None = None, user_id: int | None = None) -> Ticket:
        """Take a place, or raise BusyError naming the bound: the member's, the server's, or the queue's."""
        owner = None if guild_id is None or user_id is None else (guild_id, user_id)
        ticket = Ticket(self, owner, next(self._seq))
        self._check_share(ticket)
        if self.size >= self.capacity:
            raise refusal(BusyError, "error.busy")
        guild, member = ticket.guild, ticket.member
        for counts, turns, key in (
            (self._guild_count, self._guild_turn, guild),
            (self._member_count, self._member_turn, member),
        ):
            if counts.get(key, 0) == 0:
                turns[key] = (0, ticket.seq)  # not served since it arrived: goes before those just served
            counts[key] = counts.get(key, 0) + 1
        self._waiting.setdefault(guild, {}).setdefault(member, deque()).append(ticket)
        self._changed()
        return ticket

    def _check_share(self, ticket: Ticket) -> None:
        if ticket.owner is None:
            return
        mine = self._member_count.get(ticket.member, 0)
        if self.per_user is not None and mine >= self.per_user:
            raise refusal(BusyError, "error.user_in_flight", count=mine, limit=self.per_user)
        guild = self._guild_count.get(ticket.guild, 0)
        if self.per_guild is not None and guild >= self.per_guild:
            raise refusal(BusyError, "error.guild_queue_full", count=guild, limit=self.per_guild)

    def _release(self, ticket: Ticket) -> None:
        if ticket._state == "running":
            self._running -= 1
        else:
            self._unlink(ticket)
        ticket._state = "closed"
        for counts, turns, key in (
            (self._guild_count, self._guild_turn, ticket.guild),
            (self._member_count, self._member_turn, ticket.member),
        ):
            counts[key] -= 1
            if counts[key] == 0:
                del counts[key], turns[key]
        self._changed()

    def _unlink(self, ticket: Ticket) -> None:
        members = self._waiting[ticket.guild]
        line = members[ticket.member]
        line.remove(ticket)
        if not line:
            del members[ticket.member]
            if not members:
                del self._waiting[ticket.guild]

    def _changed(self) -> None:
        """Start what can start, then tell every waiting ticket whose place moved."""
        self._order = None
        while self._running < self.running_limit and self._waiting:
            self._start(self._next())
        for ticket, place in self._places().items():
            if ticket.shown != place:
                ticket.shown = place
                if ticket.on_position is not None:
                    ticket.on_position(place)

    def _next(self) -> Ticket:
        guild = min(self._waiting, key=self._guild_turn.__getitem__)
        members = self._waiting[guild]
        member = min(members, key=self._member_turn.__getitem__)
        return members[member][0]

    def _start(self, ticket: Ticket) -> None:
        self._unlink(ticket)
        served = (1, next(self._served))
        self._guild_turn[ticket.guild] = served
        self._member_turn[ticket.member] = served
        ticket._state = "running"
        self._running += 1
        ticket.shown = 0
        ticket._go.set()
        if ticket.on_position is not None:
            ticket.on_position(0)

    def _places(self) -> dict[Ticket, int]:
        """The order the waiting tickets will start in, as things stand: servers in rotation by turn,
        members in rotation by turn within each, each member's requests oldest first."""
        if self._order is not None:
            return self._order
        guilds = deque(
            deque(deque(line) for _, line in sorted(members.items(), key=lambda m: self._member_turn[m[0]]))
            for _, members in sorted(self._waiting.items(), key=lambda g: self._guild_turn[g[0]])
        )
        order: dict[Ticket, int] = {}
        while guilds:
            members = guilds.popleft()
            line = members.popleft()
            order[line.popleft()] = len(order) + 1
            if line:
                members.append(line)
            if members:
                guilds.append(members)
        self._order = order
        return order

    def _place_of(self, ticket: Ticket) -> int:
        return self._places().get(ticket, 0)
