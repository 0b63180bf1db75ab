"""The PostgreSQL engine: a connection pool, `$n` parameters, row locks, and the schema version in a table.

For several machines: bot processes and trainer workers anywhere share one server. Writes of one guild take
that guild's transaction-scoped advisory lock, so they never interleave, as on SQLite where one writer runs
at a time; guilds do not wait for each other. Jobs are claimed with FOR UPDATE SKIP LOCKED (see the Store).
"""

from __future__ import annotations

import logging
import os
import re
import socket
import ssl
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg

from bot.core.errors import StoreError
from bot.core.store import migrations
from bot.core.store.engine import LOCKED, REFUSED, UNAVAILABLE, Connection, Params

log = logging.getLogger("bot.core.store")
POOL_SIZE = 8
CONNECT_TIMEOUT_S = 10.0
SETTING = "[storage] database"
# What a connection that failed or went away raises (the server stopped, the network dropped).
GONE = (OSError, TimeoutError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError,
        asyncpg.exceptions.OperatorInterventionError)  # fmt: skip
# Quoted text (left alone) or a parameter: ?, or :name (never ::, PostgreSQL's cast).
_TOKENS = re.compile(r"'[^']*'|\"[^\"]*\"|(?<![:\w]):([A-Za-z_]\w*)|\?")


@lru_cache(maxsize=512)
def to_dollars(sql: str) -> tuple[str, tuple[str, ...] | int]:
    """`sql` with `?` or `:name` as `$n`, and the names in order (or how many `?` there were)."""
    names: list[str] = []
    positional = 0

    def number(match: re.Match[str]) -> str:
        nonlocal positional
        text, name = match.group(0), match.group(1)
        if text[0] in "'\"":
            return text
        if name is None:
            positional += 1
            return f"${positional}"
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    converted = _TOKENS.sub(number, sql)
    return converted, (tuple(names) if names else positional)


def _args(sql: str, params: Params) -> tuple[str, list[Any]]:
    converted, names = to_dollars(sql)
    if isinstance(params, dict):
        assert isinstance(names, tuple)
        return converted, [params[n] for n in names]
    return converted, list(params)


def public(url: str) -> str:
    """host:port/database of a URL, never its password: what messages and the log may show."""
    parts = urlsplit(url)
    try:
        port = str(parts.port or 5432)
    except ValueError:
        port = "?"
    return f"{parts.hostname or 'localhost'}:{port}{parts.path or '/'}"


def explain(exc: BaseException, where: str) -> StoreError:
    """The same one-line messages as SQLite's; PostgreSQL's own text goes to the log."""
    log.info("database %s: %s: %s", where, type(exc).__name__, exc)
    if isinstance(exc, asyncpg.IntegrityConstraintViolationError):
        return StoreError(REFUSED)
    if isinstance(exc, asyncpg.DeadlockDetectedError | asyncpg.LockNotAvailableError):
        return StoreError(LOCKED)
    if isinstance(exc, asyncpg.DuplicateTableError | asyncpg.DuplicateObjectError):
        return StoreError(
            f"{SETTING} names a PostgreSQL database that already holds another program's tables"
            f" ({exc}); nothing was changed: give the caption bot a database of its own"
        )
    return StoreError(UNAVAILABLE)


def explain_connect(exc: BaseException, url: str) -> StoreError:
    """Why the server could not be used at all, naming the setting (the CLI's one line at start-up; the
    worker's terminal shows INFO logs too, so the details go to DEBUG and the line holds the reason)."""
    log.debug("database %s: %s: %s", public(url), type(exc).__name__, exc)
    where = public(url)
    host = where.split("/")[0]
    if isinstance(exc, asyncpg.InvalidCatalogNameError):
        return StoreError(f"{SETTING}: the PostgreSQL server at {host} has no database {where.split('/', 1)[1]!r}"
                          " (create it, or fix the URL)")  # fmt: skip
    if isinstance(exc, asyncpg.InvalidAuthorizationSpecificationError):
        return StoreError(f"{SETTING}: the PostgreSQL server at {host} refused the login ({exc});"
                          " check the user and password in the URL")  # fmt: skip
    if isinstance(exc, socket.gaierror):
        return StoreError(f"{SETTING}: unknown host in the URL ({host}); check the URL")
    if (tls := _tls_problem(exc, url)) is not None:
        return StoreError(
            f"{SETTING}: {tls} (TLS to the PostgreSQL server at {host}); check the URL's sslmode"
        )
    if isinstance(exc, ValueError | asyncpg.ClientConfigurationError):
        return StoreError(f"{SETTING} is not a usable postgresql:// URL ({exc})")
    if isinstance(exc, GONE):
        reason = os.strerror(exc.errno) if isinstance(exc, OSError) and exc.errno else type(exc).__name__
        return StoreError(f"{SETTING}: cannot reach the PostgreSQL server at {host} ({reason});"
                          " check the URL and that the server runs")  # fmt: skip
    return StoreError(f"{SETTING}: the PostgreSQL server at {host} cannot be used ({exc})")


_TLS_FILES = ("sslrootcert", "sslcert", "sslkey", "sslcrl")


def _tls_problem(exc: BaseException, url: str) -> str | None:
    """What went wrong with TLS, in a few words, or None when the failure was not about TLS. asyncpg
    honours the URL's sslmode (disable, allow, prefer, require, verify-ca, verify-full) and its
    sslrootcert/sslcert/sslkey files itself; its failures are plain OSErrors that would read as "cannot reach"."""
    query = parse_qs(urlsplit(url).query)
    mode = (query.get("sslmode") or ["prefer"])[0]
    if isinstance(exc, FileNotFoundError | PermissionError) and any(name in query for name in _TLS_FILES):
        named = ", ".join(name for name in _TLS_FILES if name in query)
        return f"a certificate or key file the URL names ({named}) cannot be read: {exc.strerror}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"the server's certificate was refused with sslmode={mode}: {exc.verify_message}"
    if isinstance(exc, ssl.SSLError):
        return f"the TLS handshake failed with sslmode={mode} ({exc.reason or type(exc).__name__})"
    if isinstance(exc, ConnectionError) and "SSL" in str(exc) and exc.errno is None:
        return f"the server does not offer TLS, which sslmode={mode} requires"
    return None


class PostgresConnection:
    """The Connection interface on one pooled connection, or on the pool (each read takes a connection)."""

    def __init__(self, conn: asyncpg.Connection | asyncpg.Pool, where: str) -> None:
        self._conn = conn
        self._where = where

    async def one(self, sql: str, params: Params = ()) -> Any | None:
        query, args = _args(sql, params)
        try:
            return await self._conn.fetchrow(query, *args)
        except (asyncpg.PostgresError, *GONE) as exc:
            raise explain(exc, self._where) from None

    async def all(self, sql: str, params: Params = ()) -> list[Any]:
        query, args = _args(sql, params)
        try:
            return list(await self._conn.fetch(query, *args))
        except (asyncpg.PostgresError, *GONE) as exc:
            raise explain(exc, self._where) from None

    async def scalar(self, sql: str, params: Params = ()) -> Any:
        row = await self.one(sql, params)
        return row[0] if row else None

    async def run(self, sql: str, params: Params = ()) -> int:
        query, args = _args(sql, params)
        try:
            status = await self._conn.execute(query, *args)
        except (asyncpg.PostgresError, *GONE) as exc:
            raise explain(exc, self._where) from None
        last = status.rsplit(" ", 1)[-1]  # "UPDATE 3", "INSERT 0 1"
        return int(last) if last.isdigit() else 0

    async def run_many(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        query, _ = to_dollars(sql)
        try:
            await self._conn.executemany(query, [tuple(r) for r in rows])
        except (asyncpg.PostgresError, *GONE) as exc:
            raise explain(exc, self._where) from None

    async def insert(self, sql: str, params: Params = ()) -> int | None:
        row = await self.one(sql + " RETURNING id", params)
        return None if row is None else int(row[0])


class PostgresEngine:
    """A pool of connections to one PostgreSQL database."""

    for_update = " FOR UPDATE"
    skip_locked = " FOR UPDATE SKIP LOCKED"

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        self.where = public(url)
        self._pool = pool
        self._reads = PostgresConnection(pool, self.where)

    @classmethod
    async def open(cls, url: str) -> PostgresEngine:
        try:
            pool = await asyncpg.create_pool(
                url, min_size=1, max_size=POOL_SIZE, timeout=CONNECT_TIMEOUT_S, command_timeout=60
            )
        except (asyncpg.PostgresError, ValueError, *GONE) as exc:
            raise explain_connect(exc, url) from None
        return cls(pool, url)

    @property
    def reads(self) -> PostgresConnection:
        return self._reads

    @asynccontextmanager
    async def transaction(self, key: int | None = None) -> AsyncIterator[PostgresConnection]:
        try:
            conn = await self._pool.acquire()
        except (asyncpg.PostgresError, *GONE) as exc:
            raise explain(exc, self.where) from None
        try:
            db = PostgresConnection(conn, self.where)
            tx = conn.transaction()
            try:
                await tx.start()
            except (asyncpg.PostgresError, *GONE) as exc:
                raise explain(exc, self.where) from None
            try:
                if key is not None:
                    await db.run("SELECT pg_advisory_xact_lock(?)", (key,))
                yield db
            except BaseException:
                if not conn.is_closed():
                    try:
                        await tx.rollback()
                    except (asyncpg.PostgresError, *GONE):
                        log.info("database %s: rollback failed; the server drops the transaction", self.where)
                raise
            try:
                await tx.commit()
            except (asyncpg.PostgresError, *GONE) as exc:
                raise explain(exc, self.where) from None
        finally:
            await self._pool.release(conn)

    async def schema_version(self, db: Connection) -> int:
        """From the caption_bot_schema table (made with the collation case-insensitive terms need)."""
        exists = await db.scalar("SELECT to_regclass('caption_bot_schema') IS NOT NULL")
        if not exists:
            for statement in migrations.POSTGRES_PRELUDE:
                await db.run(statement)
            return 0
        return int(await db.scalar("SELECT version FROM caption_bot_schema"))

    async def set_schema_version(self, db: Connection, version: int) -> None:
        await db.run("UPDATE caption_bot_schema SET version = ?", (version,))

    def migration(self, number: int) -> list[str]:
        return migrations.for_postgres(number)

    async def after_forget(self) -> None:
        """Nothing to do at once: the autovacuum reclaims the deleted rows' space."""

    async def close(self) -> None:
        await self._pool.close()
