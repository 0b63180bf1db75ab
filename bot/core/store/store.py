"""The store: every row the bot and the trainer share, and all of the project's SQL but the schema.

One database is the contract between the bot and the trainer: a SQLite file (WAL) on one machine, the
embedded default, or a PostgreSQL server that bot processes and trainer workers on several machines share.

Each query is written once, in SQL both engines accept, and runs through the engine's connection
(bot/core/store/engine.py): `?` or `:name` parameters, `ON CONFLICT`, `RETURNING`. What only one engine has is a
fragment the engine supplies (`for_update`, `skip_locked`) or a method of its own (`after_forget`).

`Store` is the queries of every area at once, one class per area in its own module, all on the engine and
transactions of `StoreBase` (bot/core/store/base.py): media_captions (media, captions, requests in flight),
corrections (corrections, training pairs, /forget), vocabulary (terms and spelling rules), settings (who may
correct, language, autocaption, link buttons), jobs (the retrain queue) and models (versions, the serving
plan). Callers see one object with every query on it; this module only opens it and migrates its schema.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.store import migrations
from bot.core.store.consent import ConsentQueries
from bot.core.store.corrections import CorrectionQueries
from bot.core.store.engine import MIGRATION_LOCK, Engine, is_postgres_url
from bot.core.store.jobs import JobQueries
from bot.core.store.media_captions import MediaCaptionQueries
from bot.core.store.models import ModelQueries
from bot.core.store.settings import SettingsQueries
from bot.core.store.sqlite_engine import SqliteEngine
from bot.core.store.vocabulary import VocabularyQueries


class Store(
    MediaCaptionQueries,
    CorrectionQueries,
    VocabularyQueries,
    SettingsQueries,
    ConsentQueries,
    JobQueries,
    ModelQueries,
):
    """Async access to the database. Open with `await Store.open(path or URL)`, close with `await store.close()`."""

    @classmethod
    async def open(cls, path: Path | str) -> Store:
        """A SQLite file (a Path, or a str that is no postgresql:// URL) or a PostgreSQL URL; migrated to the
        current schema before it is returned."""
        engine: Engine
        if is_postgres_url(path):
            from bot.core.store.postgres_engine import PostgresEngine  # asyncpg only where PostgreSQL is used

            engine = await PostgresEngine.open(str(path))
        else:
            engine = await SqliteEngine.open(Path(path))
        store = cls(engine, path)
        try:
            await store._migrate()
        except BaseException:
            await engine.close()
            raise
        return store

    async def _migrate(self) -> None:
        """One migration per transaction, each under the migration lock and after re-reading the version, so
        processes starting together never apply one twice and a failure leaves the previous version whole."""
        while True:
            async with self.transaction(MIGRATION_LOCK) as db:
                version = await self._engine.schema_version(db)
                todo = migrations.pending(version, self._engine.where)
                if not todo:
                    return
                for statement in self._engine.migration(todo[0]):
                    await db.run(statement)
                await self._engine.set_schema_version(db, todo[0] + 1)
