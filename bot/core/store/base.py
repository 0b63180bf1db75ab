"""What every query module of the store stands on: the engine, its connections and its transactions.

The store's queries are split by area (media_captions, corrections, vocabulary, settings, jobs, models), each
a class of its own module that inherits `StoreBase`; `Store` (bot/core/store/store.py) is all of them at once.
Why a base class rather than area objects: the queries of one area read or write other areas' tables in the
same transaction (a correction writes pairs and spelling evidence; a retrain finishes its job and records its
model), so they all need the one engine and its transaction, and callers keep one object, `store`, with every
query on it (`store.vocabulary(guild_id)`, `store.claim_job(pid)`).

Every table has a guild_id and every query takes one, so no query can read or change another guild's rows.
Writes that touch several rows run in one transaction, so a crash leaves all of them or none; the writes of
one guild never interleave (SQLite: one writer at a time; PostgreSQL: the guild's advisory lock).
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal

from bot.core.store.engine import Connection, Engine

BATCH = 500  # rows per write transaction in bulk deletes: each stays far below the busy timeout


def present(row: Any | None) -> Any:
    """A row this transaction has just read or written, so it is there."""
    assert row is not None
    return row


# The guild_settings columns a setter may name (never text from a user: they go into the SQL).
GuildColumn = Literal[
    "corrector_role", "moderator_role", "language", "reply_style", "training",
    "autocaption", "link_buttons", "on_request",
]  # fmt: skip


async def guild_row(db: Connection, guild_id: int) -> None:
    """The guild's settings row, made with every switch off if it has none (both switches are opt-in)."""
    await db.run(
        "INSERT INTO guild_settings (guild_id, autocaption, link_buttons) VALUES (?, 0, 0) ON CONFLICT DO NOTHING",
        (guild_id,),
    )


class StoreBase:
    """The engine and the one-statement helpers the query modules share; no query of its own."""

    def __init__(self, engine: Engine, path: Path | str) -> None:
        self._engine = engine
        self.path = path  # the SQLite file, or the PostgreSQL URL as configured

    async def close(self) -> None:
        await self._engine.close()

    async def ping(self) -> None:
        """One trivial query; raises when the database cannot be reached (the health check)."""
        await self._scalar("SELECT 1")

    @property
    def _db(self) -> Connection:
        """Queries outside a transaction (tests set SQLite PRAGMAs through it too)."""
        return self._engine.reads

    @property
    def worker_host(self) -> str:
        """This machine's name, recorded with a worker's pid: a pid means something only on its own host."""
        return socket.gethostname()

    @asynccontextmanager
    async def transaction(self, guild_id: int | None = None) -> AsyncIterator[Connection]:
        """All of it or none of it; with `guild_id`, no other write of that guild runs meanwhile (on SQLite
        no other write at all). Every failure leaves as a StoreError with a one-line message."""
        async with self._engine.transaction(guild_id) as db:
            yield db

    async def _set_guild_setting(self, guild_id: int, column: GuildColumn, value: Any) -> None:
        """Write one guild_settings column. A guild's first write creates its row with every switch off
        (autocaption and link buttons are opt-in), the same way for every setting."""
        async with self.transaction(guild_id) as db:
            await guild_row(db, guild_id)
            await db.run(f"UPDATE guild_settings SET {column} = ? WHERE guild_id = ?", (value, guild_id))

    async def _scalar(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> Any:
        return await self._db.scalar(sql, params)

    async def _one(self, sql: str, params: Iterable[Any] | dict[str, Any]) -> Any | None:
        return await self._db.one(sql, params)

    async def _all(self, sql: str, params: Iterable[Any] | dict[str, Any]) -> list[Any]:
        """Rows for positional (`?`) or named (`:name`, params as a dict) parameters."""
        return await self._db.all(sql, params)

    async def _insert(self, sql: str, params: Iterable[Any]) -> int:
        """A one-statement INSERT; the caller, who knows it inserts, gets the new row's id."""
        async with self.transaction() as db:
            return int(present(await db.insert(sql, params)))

    async def _execute(self, sql: str, params: Iterable[Any]) -> int:
        """A one-statement UPDATE, DELETE or upsert; the caller gets how many rows it changed."""
        async with self.transaction() as db:
            return await db.run(sql, params)
