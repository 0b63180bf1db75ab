"""The SQLite engine: one database file (WAL), one connection, one writer at a time (BEGIN IMMEDIATE).

The embedded default: nothing to start, and the bot and the trainer on one machine share the file. Writes
are serialised by SQLite itself, so row locks and transaction keys mean nothing here.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.core.errors import StoreError
from bot.core.store import migrations
from bot.core.store.engine import LOCKED, REFUSED, UNAVAILABLE, Connection, Params

log = logging.getLogger("bot.core.store")
BUSY_TIMEOUT_MS = 15000
CHECKPOINT_TRIES, CHECKPOINT_RETRY_S = 40, 0.05  # after /forget: 2 s for this connection's reads to end


def explain(exc: sqlite3.Error, path: Path | str) -> StoreError:
    """A one-line message for the user, without the database path or SQLite's text (both go to the log):
    a member in Discord has no business knowing where the host keeps its files."""
    text = str(exc)
    log.info("database %s: %s", path, text)  # INFO: the bot's log keeps it, the CLI's one line stays one
    if isinstance(exc, sqlite3.IntegrityError):
        return StoreError(REFUSED)
    if "locked" in text or "busy" in text:
        return StoreError(LOCKED)
    if "not a database" in text or "malformed" in text:
        return StoreError("the database file is not a readable caption database; restore it from a backup")
    return StoreError(UNAVAILABLE)


def _args(params: Params) -> Any:
    return params if isinstance(params, dict) else tuple(params)


class SqliteConnection:
    """The Connection interface on aiosqlite; every sqlite3 error leaves as a StoreError."""

    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self._db = db
        self._path = path

    async def execute(self, sql: str, params: Params = ()) -> aiosqlite.Cursor:
        """The raw cursor (PRAGMAs in tests, and the methods below)."""
        try:
            return await self._db.execute(sql, _args(params))
        except sqlite3.Error as exc:
            raise explain(exc, self._path) from None

    async def one(self, sql: str, params: Params = ()) -> Any | None:
        cur = await self.execute(sql, params)
        try:
            return await cur.fetchone()
        finally:
            await cur.close()

    async def all(self, sql: str, params: Params = ()) -> list[Any]:
        cur = await self.execute(sql, params)
        try:
            return list(await cur.fetchall())
        finally:
            await cur.close()

    async def scalar(self, sql: str, params: Params = ()) -> Any:
        row = await self.one(sql, params)
        return row[0] if row else None

    async def run(self, sql: str, params: Params = ()) -> int:
        cur = await self.execute(sql, params)
        changed = cur.rowcount
        await cur.close()
        return changed

    async def run_many(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        try:
            await self._db.executemany(sql, [tuple(r) for r in rows])
        except sqlite3.Error as exc:
            raise explain(exc, self._path) from None

    async def insert(self, sql: str, params: Params = ()) -> int | None:
        row = await self.one(sql + " RETURNING id", params)
        return None if row is None else int(row[0])


class SqliteEngine:
    """A database file; `open` applies the PRAGMAs every connection needs."""

    for_update = ""  # BEGIN IMMEDIATE already holds the only write lock
    skip_locked = ""

    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self.path = path
        self.where = str(path)
        self.connection = SqliteConnection(db, path)
        self._db = db
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> SqliteEngine:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = await aiosqlite.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise explain(exc, path) from None
        db.row_factory = sqlite3.Row
        engine = cls(db, path)
        try:
            for pragma in (
                f"busy_timeout = {BUSY_TIMEOUT_MS}",
                "foreign_keys = ON",
                "journal_mode = WAL",
                "synchronous = NORMAL",
                "secure_delete = ON",  # what /forget deletes is overwritten, not freed
            ):
                await engine.connection.run(f"PRAGMA {pragma}")
        except StoreError:
            await db.close()
            raise
        return engine

    @property
    def reads(self) -> SqliteConnection:
        return self.connection

    @asynccontextmanager
    async def transaction(self, key: int | None = None) -> AsyncIterator[SqliteConnection]:
        """One write transaction at a time on this connection (and, by BEGIN IMMEDIATE, in the file)."""
        async with self._write_lock:
            await self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield self.connection
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            try:
                await self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                await self._db.execute("ROLLBACK")
                raise explain(exc, self.path) from None

    async def schema_version(self, db: Connection) -> int:
        return int(await db.scalar("PRAGMA user_version"))

    async def set_schema_version(self, db: Connection, version: int) -> None:
        await db.run(f"PRAGMA user_version = {int(version)}")

    def migration(self, number: int) -> list[str]:
        return migrations.statements(migrations.MIGRATIONS[number])

    async def after_forget(self) -> None:
        """Truncate the WAL, so the deleted rows' old page images leave it too. Best effort: the deletes have
        committed, so a checkpoint that cannot run now must not tell the member their /forget failed.

        SQLite refuses a checkpoint ("database table is locked") while this same connection has a statement
        open, and other tasks read through it between a query and its fetch; such a read ends in
        milliseconds, so a few short retries get in. Another process's long read (the trainer's) makes the
        checkpoint report busy after the busy timeout instead: logged, and the next checkpoint finishes it.
        """
        async with self._write_lock:  # no transaction of ours in between
            for _ in range(CHECKPOINT_TRIES):
                try:
                    cur = await self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    busy = (await cur.fetchone() or (0,))[0]
                    await cur.close()
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc):
                        raise explain(exc, self.path) from None
                    await asyncio.sleep(CHECKPOINT_RETRY_S)
                    continue
                if busy:
                    break
                return
        log.warning(
            "database %s: the WAL could not be truncated after /forget; the next checkpoint will", self.path
        )

    async def close(self) -> None:
        await self._db.close()
