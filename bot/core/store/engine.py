"""What the Store's queries run on: one small connection interface that SQLite and PostgreSQL both provide.

The Store writes every query once, in SQL both engines accept (`?` or `:name` parameters, `ON CONFLICT`,
`RETURNING`), and runs it through an `Engine`. Each engine keeps to itself what it alone has: SQLite its
PRAGMAs and single writer, PostgreSQL its pool, `$n` parameters and row locks, and each turns its own errors
into StoreErrors with the same one-line messages, so a user reads the same words whichever database runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Protocol

Params = Iterable[Any] | dict[str, Any]  # positional for `?`, a dict for `:name`
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
MIGRATION_LOCK = -1  # the transaction key migrations hold; guild ids are 0 (the CLI's) or positive snowflakes

# One-line messages both engines give for the same trouble (the log has the engine's own text).
REFUSED = "the database refused this change; nothing of it was saved"
LOCKED = "the database is locked by another program; wait for it to finish or stop it, then retry"
UNAVAILABLE = "the database cannot be used right now; try again later (the bot's log has the reason)"


def is_postgres_url(target: str | Path) -> bool:
    """A `[storage] database` value naming a PostgreSQL server rather than a SQLite file."""
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


class Connection(Protocol):
    """Queries on one connection: inside a transaction, or (for reads) outside any."""

    async def one(self, sql: str, params: Params = ()) -> Any | None:
        """The first row (indexable by column name and position), or None."""

    async def all(self, sql: str, params: Params = ()) -> list[Any]: ...

    async def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row; None without rows."""

    async def run(self, sql: str, params: Params = ()) -> int:
        """An UPDATE, DELETE or INSERT; how many rows it changed."""

    async def run_many(self, sql: str, rows: Iterable[Iterable[Any]]) -> None: ...

    async def insert(self, sql: str, params: Params = ()) -> int | None:
        """An INSERT of one row; its new id (None when ON CONFLICT DO NOTHING skipped it)."""


class Engine(Protocol):
    """One database: how to read, how to write in one transaction, and what the schema version is."""

    where: str  # for the log only: the file, or the server without its password
    for_update: str  # appended to a SELECT that reads rows it will change ("" where one writer runs anyway)
    skip_locked: str  # appended to the SELECT that claims a job: other workers' claims are skipped

    @property
    def reads(self) -> Connection:
        """Queries outside a transaction (each sees what was committed when it runs)."""

    def transaction(self, key: int | None = None) -> AbstractAsyncContextManager[Connection]:
        """All of it or none of it. Writes that share `key` (a guild) never interleave, on any machine."""

    async def schema_version(self, db: Connection) -> int:
        """The schema's version, read inside the migration's transaction."""

    async def set_schema_version(self, db: Connection, version: int) -> None: ...

    def migration(self, number: int) -> list[str]:
        """The statements of migration `number` in this engine's dialect."""

    async def after_forget(self) -> None:
        """Whatever makes deleted rows unreadable on disk (SQLite: truncate the WAL)."""

    async def close(self) -> None: ...
