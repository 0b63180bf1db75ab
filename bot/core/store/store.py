"""The store: every row the bot and the trainer share, and all of the project's SQL but the schema.

One database is the contract between the bot and the trainer: a SQLite file (WAL) on one machine, the
embedded default, or a PostgreSQL server that bot processes and trainer workers on several machines share.
Every table has a guild_id and every method takes one, so no query can read or change another guild's rows.
Writes that touch several rows run in one transaction, so a crash leaves all of them or none; the writes of
one guild never interleave (SQLite: one writer at a time; PostgreSQL: the guild's advisory lock).

Each query is written once, in SQL both engines accept, and runs through the engine's connection
(bot/core/store/engine.py): `?` or `:name` parameters, `ON CONFLICT`, `RETURNING`. What only one engine has is a
fragment the engine supplies (`for_update`, `skip_locked`) or a method of its own (`after_forget`).

Why this file is over 400 lines: `Store` is the whole query surface. Split into mixins, its queries would
scatter across files that only make sense together, and the transaction and error handling they share would
have to be reached from each of them.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.core.errors import BusyError, NotFoundError, StoreError
from bot.core.store import migrations
from bot.core.store.engine import MIGRATION_LOCK, Connection, Engine, is_postgres_url
from bot.core.store.rows import (
    CaptionRow,
    ChannelOverride,
    ChannelSetting,
    CorrectionSummary,
    ForgetReport,
    JobRow,
    JobStatus,
    MediaRow,
    ModelStatus,
    ModelVersionRow,
    PairRow,
    PendingCaptionRow,
    ServerSettings,
    SpellingRule,
    from_row,
)
from bot.core.store.sqlite_engine import SqliteEngine

log = logging.getLogger("bot.core.store")
JOB_ENDED = (  # a worker that outlived its heartbeat timeout (or lost the database) finds its job ended
    "this retrain was already ended (its worker was taken for dead); nothing was recorded"
)
MODEL_CHANGED = (  # a retrain that would undo a /rollback made while it ran
    "the server's model changed while this retrain ran (rollback); nothing was promoted, retrain again"
)
# Versions whose weights a server keeps: the newest ever promoted, i.e. the active one, the one /rollback
# returns to and 3 more. Older retired versions lose their weights (their metrics and card stay).
KEPT_VERSIONS = 5
# The oldest version inside that window (NULL while the guild has no promoted version); ? is the guild.
KEPT_FROM = (
    "(SELECT MIN(version) FROM (SELECT version FROM model_versions WHERE guild_id = ?"
    f" AND promoted_at IS NOT NULL ORDER BY version DESC LIMIT {KEPT_VERSIONS}) AS kept)"
)
BATCH = 500  # rows per write transaction in bulk deletes: each stays far below the busy timeout

# The pairs a retrain may use: the guild's, with audio still kept, from each caption's newest correction.
USABLE_PAIRS = (
    " FROM training_pairs p JOIN media m ON m.id = p.media_id AND m.guild_id = p.guild_id"
    " JOIN corrections c ON c.id = p.correction_id AND c.guild_id = p.guild_id"
    " WHERE p.guild_id = ? AND m.audio_path IS NOT NULL"
    "   AND c.id = (SELECT MAX(c2.id) FROM corrections c2"
    "               WHERE c2.guild_id = c.guild_id AND c2.caption_id = c.caption_id)"
)


# Recordings in guild :g that user :u posted and nobody else did.
SOLE_UPLOADS = (
    "SELECT u.media_id FROM media_uploaders u WHERE u.guild_id = :g AND u.user_id = :u"
    " AND NOT EXISTS (SELECT 1 FROM media_uploaders o WHERE o.media_id = u.media_id AND o.user_id != :u)"
)
SOLE_UPLOADS_AUDIO = (
    f"SELECT audio_path FROM media WHERE guild_id = :g AND audio_path IS NOT NULL AND id IN ({SOLE_UPLOADS})"
)
# The pairs (alias p) /forget deletes for user :u: from their corrections, from corrections of captions they
# asked for, and on recordings only they posted.
USER_PAIRS = (
    "JOIN corrections c ON c.id = p.correction_id JOIN captions k ON k.id = c.caption_id"
    f" WHERE p.guild_id = :g AND (c.user_id = :u OR k.requester_id = :u OR p.media_id IN ({SOLE_UPLOADS}))"
)


def _present(row: Any | None) -> Any:
    """A row this transaction has just read or written, so it is there."""
    assert row is not None
    return row


class Store:
    """Async access to the database. Open with `await Store.open(path or URL)`, close with `await store.close()`."""

    def __init__(self, engine: Engine, path: Path | str) -> None:
        self._engine = engine
        self.path = path  # the SQLite file, or the PostgreSQL URL as configured

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

    async def close(self) -> None:
        await self._engine.close()

    @property
    def _db(self) -> Connection:
        """Queries outside a transaction (tests set SQLite PRAGMAs through it too)."""
        return self._engine.reads

    @property
    def worker_host(self) -> str:
        """This machine's name, recorded with a worker's pid: a pid means something only on its own host."""
        return socket.gethostname()

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

    @asynccontextmanager
    async def transaction(self, guild_id: int | None = None) -> AsyncIterator[Connection]:
        """All of it or none of it; with `guild_id`, no other write of that guild runs meanwhile (on SQLite
        no other write at all). Every failure leaves as a StoreError with a one-line message."""
        async with self._engine.transaction(guild_id) as db:
            yield db

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
            return _present(await db.insert(sql, params))

    async def _execute(self, sql: str, params: Iterable[Any]) -> int:
        """A one-statement UPDATE, DELETE or upsert; the caller gets how many rows it changed."""
        async with self.transaction() as db:
            return await db.run(sql, params)

    # --- media -------------------------------------------------------------------------------------------

    async def get_media(self, guild_id: int, media_id: int) -> MediaRow | None:
        row = await self._one("SELECT * FROM media WHERE guild_id = ? AND id = ?", (guild_id, media_id))
        return from_row(MediaRow, row) if row else None

    async def add_media(
        self,
        guild_id: int,
        *,
        sha256: str,
        source: str,
        title: str,
        duration: float,
        audio_path: str | None,
        uploader_id: int | None,
    ) -> int:
        """Insert the media, or return the existing row's id when the guild already has this content; either
        way the uploader is recorded as one of its posters."""
        async with self.transaction(guild_id) as db:
            existing = await db.one(
                "SELECT id, audio_path FROM media WHERE guild_id = ? AND sha256 = ?", (guild_id, sha256)
            )
            if existing:
                media_id = existing["id"]
                if existing["audio_path"] is None and audio_path:
                    await db.run(
                        "UPDATE media SET audio_path = ?, uploader_id = ? WHERE id = ?",
                        (audio_path, uploader_id, media_id),
                    )
            else:
                media_id = _present(
                    await db.insert(
                        "INSERT INTO media (guild_id, sha256, source, title, duration, audio_path, uploader_id,"
                        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (guild_id, sha256, source, title, duration, audio_path, uploader_id, time.time()),
                    )
                )
            if uploader_id is not None:  # every poster, so /forget can tell one person's link from the file
                await db.run(
                    "INSERT INTO media_uploaders (guild_id, media_id, user_id, created_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (guild_id, media_id, uploader_id, time.time()),
                )
            return int(media_id)

    async def media_with_audio_older_than(self, cutoff: float) -> list[MediaRow]:
        """Retention runs across guilds by design: it only clears audio paths, it reads no content."""
        rows = await self._all(
            "SELECT * FROM media WHERE audio_path IS NOT NULL AND created_at < ?", (cutoff,)
        )
        return [from_row(MediaRow, r) for r in rows]

    async def audio_paths(self, guild_id: int) -> set[str]:
        """Every audio file the guild's media rows name: retention deletes files that none names."""
        rows = await self._all(
            "SELECT audio_path FROM media WHERE guild_id = ? AND audio_path IS NOT NULL", (guild_id,)
        )
        return {r["audio_path"] for r in rows}

    async def clear_audio(self, guild_id: int, media_ids: Iterable[int]) -> None:
        """Forget the audio paths, BATCH media per transaction, so retention never holds the lock long."""
        ids = list(media_ids)
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            async with self.transaction(guild_id) as db:
                await db.run(
                    f"UPDATE media SET audio_path = NULL WHERE guild_id = ? AND id IN ({', '.join('?' * len(batch))})",
                    (guild_id, *batch),
                )

    # --- captions ----------------------------------------------------------------------------------------

    async def add_caption(
        self,
        guild_id: int,
        *,
        media_id: int,
        model_version: str,
        language: str,
        cues: list[dict[str, Any]],
        text: str,
        requester_id: int | None,
        channel_id: int | None = None,
    ) -> int:
        return await self._insert(
            "INSERT INTO captions (guild_id, media_id, model_version, language, cues_json, text, requester_id,"
            " channel_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                guild_id,
                media_id,
                model_version,
                language,
                json.dumps(cues),
                text,
                requester_id,
                channel_id,
                time.time(),
            ),
        )

    async def get_caption(self, guild_id: int, caption_id: int) -> CaptionRow:
        row = await self._one("SELECT * FROM captions WHERE guild_id = ? AND id = ?", (guild_id, caption_id))
        if row is None:
            raise NotFoundError(f"caption {caption_id} does not exist in this server")
        return from_row(CaptionRow, row)

    async def set_caption_message(self, guild_id: int, caption_id: int, message_id: int) -> None:
        await self._execute(
            "UPDATE captions SET message_id = ? WHERE guild_id = ? AND id = ?",
            (message_id, guild_id, caption_id),
        )

    async def caption_for_message(self, guild_id: int, message_id: int) -> CaptionRow | None:
        row = await self._one(
            "SELECT * FROM captions WHERE guild_id = ? AND message_id = ?", (guild_id, message_id)
        )
        return from_row(CaptionRow, row) if row else None

    # --- corrections and training pairs ------------------------------------------------------------------

    async def add_correction(
        self,
        guild_id: int,
        *,
        caption_id: int,
        user_id: int | None,
        kind: str,
        text: str,
        cues: list[dict[str, Any]],
        pairs: list[tuple[float, float, str]],
        spellings: Iterable[tuple[str, str]] = (),
    ) -> int:
        """Store the correction, its training pairs and its spelling evidence (heard words, term) together:
        a crash leaves all of them or none."""
        async with self.transaction(guild_id) as db:
            caption = await db.one(
                "SELECT media_id FROM captions WHERE guild_id = ? AND id = ?", (guild_id, caption_id)
            )
            if caption is None:
                raise NotFoundError(f"caption {caption_id} does not exist in this server")
            now = time.time()
            correction_id = _present(
                await db.insert(
                    "INSERT INTO corrections (guild_id, caption_id, user_id, kind, text, cues_json, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (guild_id, caption_id, user_id, kind, text, json.dumps(cues), now),
                )
            )
            await db.run_many(
                'INSERT INTO training_pairs (guild_id, correction_id, media_id, start, "end", text, created_at)'
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(guild_id, correction_id, caption["media_id"], s, e, t, now) for s, e, t in pairs],
            )
            await db.run_many(
                "INSERT INTO spelling_evidence (guild_id, correction_id, caption_id, heard, term)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(guild_id, correction_id, caption_id, heard, term) for heard, term in spellings],
            )
            return correction_id

    async def corrections(
        self, guild_id: int, *, user_id: int | None = None, caption_id: int | None = None, limit: int = 20
    ) -> list[CorrectionSummary]:
        """The newest corrections first, optionally one user's or one caption's, with their pair counts."""
        rows = await self._all(
            "SELECT c.id, c.caption_id, c.user_id, c.kind, c.created_at, substr(c.text, 1, 200) AS text,"
            " (SELECT COUNT(*) FROM training_pairs p WHERE p.correction_id = c.id) AS pairs"
            " FROM corrections c WHERE c.guild_id = :g AND (c.user_id = :u OR :u IS NULL)"
            " AND (c.caption_id = :k OR :k IS NULL) ORDER BY c.id DESC LIMIT :n",
            {"g": guild_id, "u": user_id, "k": caption_id, "n": limit},
        )
        return [from_row(CorrectionSummary, r) for r in rows]

    async def remove_correction(self, guild_id: int, correction_id: int) -> int:
        """Delete one correction of this guild; its pairs and spelling evidence cascade. Returns the pairs
        that went; the model versions trained on them keep a count of them, as after /forget."""
        keys = {"g": guild_id, "c": correction_id}
        pairs = "SELECT id FROM training_pairs WHERE guild_id = :g AND correction_id = :c"
        async with self.transaction(guild_id) as db:
            if await db.one("SELECT 1 FROM corrections WHERE guild_id = :g AND id = :c", keys) is None:
                raise NotFoundError(
                    f"there is no correction {correction_id} in this server; nothing was removed"
                )
            count = int(await db.scalar(f"SELECT COUNT(*) FROM ({pairs}) AS p", keys))
            await db.run(
                "UPDATE model_versions SET forgotten_pairs = forgotten_pairs + (SELECT COUNT(*) FROM model_pairs"
                f" mp WHERE mp.model_id = model_versions.id AND mp.pair_id IN ({pairs})) WHERE guild_id = :g",
                keys,
            )
            await db.run(f"DELETE FROM model_pairs WHERE guild_id = :g AND pair_id IN ({pairs})", keys)
            await db.run("DELETE FROM corrections WHERE guild_id = :g AND id = :c", keys)
        return count

    async def training_pairs(self, guild_id: int) -> list[PairRow]:
        """The guild's pairs whose audio is still kept; a newer correction of a caption replaces older ones."""
        rows = await self._all(
            'SELECT p.id, p.guild_id, p.media_id, p.start, p."end", p.text, m.audio_path, p.correction_id'
            + USABLE_PAIRS
            + " ORDER BY p.media_id, p.start",
            (guild_id,),
        )
        return [from_row(PairRow, r) for r in rows]

    async def count_pairs(self, guild_id: int) -> int:
        """How many pairs a retrain would use now (asked after every correction, so counted in SQL)."""
        return await self._scalar("SELECT COUNT(*)" + USABLE_PAIRS, (guild_id,))

    async def count_corrections(self, guild_id: int, user_id: int | None = None) -> int:
        if user_id is None:
            return await self._scalar("SELECT COUNT(*) FROM corrections WHERE guild_id = ?", (guild_id,))
        return await self._scalar(
            "SELECT COUNT(*) FROM corrections WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )

    async def forget_user(self, guild_id: int, user_id: int) -> ForgetReport:
        """Delete everything of the user in this guild and say what went and what stays.

        Gone: their corrections (pairs cascade), the captions they asked for, the recordings only they posted
        (captions and pairs on them too, whoever made those), their link to recordings others posted too,
        the terms their corrections proposed, their pending requests, their name on terms and jobs. Stays:
        the model versions trained on those pairs (counted per version here, the files untouched). Deletes run
        in batches of BATCH rows, each a short transaction, so the trainer's writes get in between; an
        interrupted /forget leaves whole batches done and the rest to the next run. secure_delete (on for
        this connection) zeroes the freed pages, and the WAL is truncated at the end.
        """
        keys = {"g": guild_id, "u": user_id}
        models = await self._unlink_models(keys)
        corrections = await self._delete_in_batches(
            "SELECT id FROM corrections WHERE guild_id = :g AND user_id = :u LIMIT :n",
            "DELETE FROM corrections WHERE guild_id = ? AND id IN ({})",
            keys,
        )
        captions = await self._delete_in_batches(
            "SELECT id FROM captions WHERE guild_id = :g AND requester_id = :u LIMIT :n",
            "DELETE FROM captions WHERE guild_id = ? AND id IN ({})",
            keys,
        )
        paths = [r["audio_path"] for r in await self._all(SOLE_UPLOADS_AUDIO, keys)]
        media = await self._delete_in_batches(
            SOLE_UPLOADS + " LIMIT :n", "DELETE FROM media WHERE guild_id = ? AND id IN ({})", keys
        )
        shared, terms = await self._forget_the_rest(keys)
        await self._engine.after_forget()  # SQLite: old page images leave the WAL file too
        versions = await self._all(
            "SELECT version, metrics_json FROM model_versions WHERE guild_id = :g ORDER BY version", keys
        )
        unrecorded = [r["version"] for r in versions if "pair_ids" not in json.loads(r["metrics_json"])]
        return ForgetReport(corrections, captions, media, shared, terms, paths, models, unrecorded)

    async def _unlink_models(self, keys: dict[str, int]) -> list[tuple[int, int]]:
        """Count, per model version, the pairs of the user's data it was trained on; then drop those links."""
        affected = f"SELECT p.id FROM training_pairs p {USER_PAIRS}"
        async with self.transaction(keys["g"]) as db:
            rows = await db.all(
                "SELECT v.version, COUNT(*) FROM model_pairs mp JOIN model_versions v ON v.id = mp.model_id"
                f" WHERE mp.guild_id = :g AND mp.pair_id IN ({affected}) GROUP BY v.version ORDER BY v.version",
                keys,
            )
            models = [(int(r[0]), int(r[1])) for r in rows]
            await db.run(
                "UPDATE model_versions SET forgotten_pairs = forgotten_pairs + (SELECT COUNT(*) FROM model_pairs"
                f" mp WHERE mp.model_id = model_versions.id AND mp.pair_id IN ({affected})) WHERE guild_id = :g",
                keys,
            )
            await db.run(f"DELETE FROM model_pairs WHERE guild_id = :g AND pair_id IN ({affected})", keys)
        return models

    async def _forget_the_rest(self, keys: dict[str, int]) -> tuple[int, int]:
        """Shared recordings, proposed terms, pending requests, the user's id on terms and jobs: few rows."""
        async with self.transaction(keys["g"]) as db:
            shared = await db.run("DELETE FROM media_uploaders WHERE guild_id = :g AND user_id = :u", keys)
            await db.run(
                "UPDATE media SET uploader_id = (SELECT MIN(u.user_id) FROM media_uploaders u"
                " WHERE u.media_id = media.id) WHERE guild_id = :g AND uploader_id = :u",
                keys,
            )
            terms = await db.run(
                "DELETE FROM vocabulary WHERE guild_id = :g AND added_by = :u"
                " AND (origin = 'proposed' OR status = 'proposed')",
                keys,
            )
            await db.run("UPDATE vocabulary SET added_by = NULL WHERE guild_id = :g AND added_by = :u", keys)
            await db.run("DELETE FROM pending_captions WHERE guild_id = :g AND user_id = :u", keys)
            await db.run(
                "UPDATE jobs SET requested_by = NULL WHERE guild_id = :g AND requested_by = :u", keys
            )
        return shared, terms

    async def _delete_in_batches(self, select: str, delete: str, keys: dict[str, int]) -> int:
        """Delete the rows `select` finds (named :g, :u, :n), BATCH at a time, one short transaction each."""
        deleted = 0
        while True:
            async with self.transaction(keys["g"]) as db:
                ids = [r[0] for r in await db.all(select, {**keys, "n": BATCH})]
                if ids:
                    await db.run(delete.format(", ".join("?" * len(ids))), (keys["g"], *ids))
            if not ids:
                return deleted
            deleted += len(ids)

    # --- caption requests in flight ----------------------------------------------------------------------

    async def add_pending_caption(
        self,
        guild_id: int,
        *,
        channel_id: int | None,
        user_id: int,
        message_id: int | None,
        kind: str,
        label: str,
    ) -> int:
        """Remember a request from the moment its progress message exists until its user has the answer."""
        return await self._insert(
            "INSERT INTO pending_captions (guild_id, channel_id, user_id, message_id, kind, label, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (guild_id, channel_id, user_id, message_id, kind, label, time.time()),
        )

    async def remove_pending_caption(self, guild_id: int, pending_id: int) -> bool:
        """The user got the result or the error (or was told of a restart); False when it was already gone."""
        return bool(
            await self._execute(
                "DELETE FROM pending_captions WHERE guild_id = ? AND id = ?", (guild_id, pending_id)
            )
        )

    async def pending_captions(self, guild_id: int) -> list[PendingCaptionRow]:
        rows = await self._all("SELECT * FROM pending_captions WHERE guild_id = ? ORDER BY id", (guild_id,))
        return [from_row(PendingCaptionRow, r) for r in rows]

    async def leftover_pending_captions(self) -> list[PendingCaptionRow]:
        """Every guild's unanswered requests. Read once at start-up, before the bot takes new requests, so
        all of them were cut off by the previous run (a crash or a kill); the bot tells each user in their
        channel. Crosses guilds by design, like `unreported_finished_jobs`: it only routes the notices."""
        rows = await self._all("SELECT * FROM pending_captions ORDER BY id", ())
        return [from_row(PendingCaptionRow, r) for r in rows]

    # --- vocabulary --------------------------------------------------------------------------------------

    async def add_terms(
        self,
        guild_id: int,
        terms: Iterable[str],
        *,
        added_by: int | None,
        origin: str = "user",
        limit: int | None = None,
        proposal: bool = False,
    ) -> list[str]:
        """Add approved terms (a proposal or rejected term of the same spelling becomes approved), or with
        `proposal` add proposals (a term already approved or once rejected is left as it is, so a correction
        never brings back what a moderator rejected). Returns the terms that changed. With `limit`, the
        guild never holds more approved and proposed terms than that (checked in the same transaction)."""
        added: list[str] = []
        upsert = (
            " ON CONFLICT (guild_id, term) DO NOTHING"
            if proposal
            else " ON CONFLICT (guild_id, term) DO UPDATE SET status = 'approved', added_by = excluded.added_by"
            " WHERE vocabulary.status != 'approved'"
        )
        async with self.transaction(guild_id) as db:
            count = await db.scalar(
                "SELECT COUNT(*) FROM vocabulary WHERE guild_id = ? AND status != 'rejected'", (guild_id,)
            )
            for term in terms:
                if limit is not None and count + len(added) >= limit:
                    break
                changed = await db.run(
                    "INSERT INTO vocabulary (guild_id, term, origin, added_by, created_at, status)"
                    " VALUES (?, ?, ?, ?, ?, ?)" + upsert,
                    (guild_id, term, origin, added_by, time.time(), "proposed" if proposal else "approved"),
                )
                if changed:
                    added.append(term)
        return added

    async def count_terms(self, guild_id: int) -> int:
        """Approved and proposed terms: what counts toward the vocabulary's size limit."""
        return await self._scalar(
            "SELECT COUNT(*) FROM vocabulary WHERE guild_id = ? AND status != 'rejected'", (guild_id,)
        )

    async def remove_terms(self, guild_id: int, terms: Iterable[str]) -> list[str]:
        """Remove approved terms (proposals are answered with review_term instead)."""
        removed = []
        async with self.transaction(guild_id) as db:
            for term in terms:
                if await db.run(
                    "DELETE FROM vocabulary WHERE guild_id = ? AND term = ? AND status = 'approved'",
                    (guild_id, term),
                ):
                    removed.append(term)
        return removed

    async def vocabulary(self, guild_id: int) -> list[str]:
        """The approved terms: the only ones used as hints, scored after a retrain or made spelling rules."""
        rows = await self._all(
            "SELECT term FROM vocabulary WHERE guild_id = ? AND status = 'approved' ORDER BY term",
            (guild_id,),
        )
        return [r["term"] for r in rows]

    async def proposals(self, guild_id: int) -> list[str]:
        """Terms waiting for a moderator's review, oldest first."""
        rows = await self._all(
            "SELECT term FROM vocabulary WHERE guild_id = ? AND status = 'proposed' ORDER BY created_at, term",
            (guild_id,),
        )
        return [r["term"] for r in rows]

    async def review_term(self, guild_id: int, term: str, *, approve: bool) -> str | None:
        """Approve or reject a waiting proposal; returns its spelling, or None if it no longer waits."""
        async with self.transaction(guild_id) as db:
            row = await db.one(
                "UPDATE vocabulary SET status = ? WHERE guild_id = ? AND term = ? AND status = 'proposed'"
                " RETURNING term",
                ("approved" if approve else "rejected", guild_id, term),
            )
        return None if row is None else str(row["term"])

    # --- spelling rules ----------------------------------------------------------------------------------

    async def spelling_rules(self, guild_id: int, *, min_captions: int) -> list[SpellingRule]:
        """Replacements seen in corrections of at least `min_captions` captions, to a term that is approved
        now and that no moderator removed; for words heard two ways, the better-attested term wins."""
        rows = await self._all(
            "SELECT e.heard, v.term, COUNT(DISTINCT e.caption_id) AS captions FROM spelling_evidence e"
            " JOIN vocabulary v ON v.guild_id = e.guild_id AND v.term = e.term AND v.status = 'approved'"
            " WHERE e.guild_id = :g AND NOT EXISTS (SELECT 1 FROM spelling_removed r"
            "   WHERE r.guild_id = e.guild_id AND r.heard = e.heard AND r.term = e.term)"
            " GROUP BY e.heard, v.term HAVING COUNT(DISTINCT e.caption_id) >= :n"
            " ORDER BY e.heard, captions DESC, v.term",
            {"g": guild_id, "n": max(1, min_captions)},
        )
        best: dict[str, SpellingRule] = {}
        for r in rows:
            best.setdefault(str(r["heard"]).casefold(), from_row(SpellingRule, r))
        return list(best.values())

    async def remove_spelling_rule(self, guild_id: int, heard: str) -> list[str]:
        """Stop every rule for these heard words (and never learn them again); returns the terms they gave,
        none when no rule (or only removed ones) had them."""
        async with self.transaction(guild_id) as db:
            rows = await db.all(  # a rule removed before is not there to remove again
                "SELECT DISTINCT e.term FROM spelling_evidence e WHERE e.guild_id = :g AND e.heard = :h"
                " AND NOT EXISTS (SELECT 1 FROM spelling_removed r"
                "   WHERE r.guild_id = e.guild_id AND r.heard = e.heard AND r.term = e.term)",
                {"g": guild_id, "h": heard},
            )
            terms = [str(r["term"]) for r in rows]
            await db.run_many(
                "INSERT INTO spelling_removed (guild_id, heard, term) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(guild_id, heard, t) for t in terms],
            )
        return terms

    # --- who may correct ---------------------------------------------------------------------------------

    async def corrector_role(self, guild_id: int) -> int | None:
        """The role whose members may correct captions; None: everyone may."""
        value = await self._scalar(
            "SELECT corrector_role FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        return None if value is None else int(value)

    async def set_corrector_role(self, guild_id: int, role_id: int | None) -> None:
        async with self.transaction(guild_id) as db:
            await db.run(  # a new row has every switch off: both are opt-in
                "INSERT INTO guild_settings (guild_id, autocaption, link_buttons) VALUES (?, 0, 0)"
                " ON CONFLICT DO NOTHING",
                (guild_id,),
            )
            await db.run(
                "UPDATE guild_settings SET corrector_role = ? WHERE guild_id = ?", (role_id, guild_id)
            )

    # --- guild settings ----------------------------------------------------------------------------------

    async def autocaption(self, guild_id: int) -> bool:
        """The server's default (opt-in: off until a moderator turns it on)."""
        return await self.server_setting(guild_id, ChannelSetting.AUTOCAPTION)

    async def set_autocaption(self, guild_id: int, enabled: bool) -> None:
        await self.set_channel_setting(guild_id, ChannelSetting.AUTOCAPTION, None, enabled)

    async def server_setting(self, guild_id: int, name: ChannelSetting) -> bool:
        column = ChannelSetting(name).value  # a column name from the enum, never from the user
        value = await self._scalar(f"SELECT {column} FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return bool(value)

    async def channel_setting(self, guild_id: int, name: ChannelSetting, channel_ids: Iterable[int]) -> bool:
        """The first of `channel_ids` (a thread, then its parent) with an override decides; else the server."""
        column = ChannelSetting(name).value
        rows = await self._all(
            f"SELECT channel_id, {column} AS value FROM channel_settings"
            f" WHERE guild_id = ? AND {column} IS NOT NULL",
            (guild_id,),
        )
        overrides = {r["channel_id"]: bool(r["value"]) for r in rows}
        for channel_id in channel_ids:
            if channel_id in overrides:
                return overrides[channel_id]
        return await self.server_setting(guild_id, name)

    async def set_channel_setting(
        self, guild_id: int, name: ChannelSetting, channel_id: int | None, enabled: bool | None
    ) -> None:
        """channel_id None sets the server's default; enabled None lets the channel follow the server again."""
        column = ChannelSetting(name).value
        if channel_id is None and enabled is None:
            raise ValueError("the server's setting is on or off, never 'follow the server'")
        value = None if enabled is None else int(enabled)
        async with self.transaction(guild_id) as db:
            if channel_id is None:
                await db.run(  # a new row is written with every switch off: both are opt-in
                    "INSERT INTO guild_settings (guild_id, autocaption, link_buttons) VALUES (?, 0, 0)"
                    " ON CONFLICT DO NOTHING",
                    (guild_id,),
                )
                await db.run(f"UPDATE guild_settings SET {column} = ? WHERE guild_id = ?", (value, guild_id))
                return
            await db.run(
                "INSERT INTO channel_settings (guild_id, channel_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (guild_id, channel_id),
            )
            await db.run(
                f"UPDATE channel_settings SET {column} = ? WHERE guild_id = ? AND channel_id = ?",
                (value, guild_id, channel_id),
            )
            await db.run(  # a channel that follows the server in everything needs no row
                "DELETE FROM channel_settings WHERE guild_id = ? AND channel_id = ?"
                " AND autocaption IS NULL AND link_buttons IS NULL",
                (guild_id, channel_id),
            )

    async def server_language(self, guild_id: int) -> str | None:
        """The server's caption language (a code or 'auto'); None: the configured default applies."""
        value = await self._scalar("SELECT language FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return None if value is None else str(value)

    async def set_server_language(self, guild_id: int, language: str | None) -> None:
        async with self.transaction(guild_id) as db:
            await db.run(  # a new row is written with every switch off: both are opt-in
                "INSERT INTO guild_settings (guild_id, autocaption, link_buttons) VALUES (?, 0, 0)"
                " ON CONFLICT DO NOTHING",
                (guild_id,),
            )
            await db.run("UPDATE guild_settings SET language = ? WHERE guild_id = ?", (language, guild_id))

    async def server_settings(self, guild_id: int) -> ServerSettings:
        """Everything /settings show lists: the server's defaults and each channel's overrides."""
        rows = await self._all(
            "SELECT channel_id, autocaption, link_buttons FROM channel_settings"
            " WHERE guild_id = ? ORDER BY channel_id",
            (guild_id,),
        )

        def flag(value: int | None) -> bool | None:
            return None if value is None else bool(value)

        return ServerSettings(
            await self.server_setting(guild_id, ChannelSetting.AUTOCAPTION),
            await self.server_setting(guild_id, ChannelSetting.LINK_BUTTONS),
            tuple(
                ChannelOverride(r["channel_id"], flag(r["autocaption"]), flag(r["link_buttons"]))
                for r in rows
            ),
            await self.server_language(guild_id),
        )

    async def serving_plan(self, guild_id: int) -> dict[str, Any] | None:
        """The plan the last retrain chose (None: the configured default for guilds that never retrained)."""
        value = await self._scalar("SELECT serving_plan FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return json.loads(value) if value else None

    # --- jobs --------------------------------------------------------------------------------------------

    async def enqueue_job(
        self,
        guild_id: int,
        *,
        requested_by: int | None,
        channel_id: int | None = None,
        running_pid: int | None = None,
        cooldown_seconds: float = 0.0,
    ) -> int:
        """Queue a retrain, or with running_pid create it already claimed by that (foreground) process.

        The open-job check and the insert share one transaction of the guild, so two requests cannot both
        pass the check; the one_open_job_per_guild index stays as the last guard (a claim may turn the open
        job from queued to running meanwhile: the insert then does nothing, and the request is refused).
        """
        now = time.time()
        status = JobStatus.QUEUED if running_pid is None else JobStatus.RUNNING
        started = None if running_pid is None else now
        host = None if running_pid is None else self.worker_host
        async with self.transaction(guild_id) as db:
            await _refuse_if_open(db, guild_id)
            last = await db.scalar("SELECT MAX(created_at) FROM jobs WHERE guild_id = ?", (guild_id,))
            if last is not None and now < last + cooldown_seconds:
                ready = time.strftime("%H:%M UTC", time.gmtime(last + cooldown_seconds))
                wait = max(1, round((last + cooldown_seconds - now) / 60))
                raise BusyError(
                    f"this server can retrain once every {cooldown_seconds / 60:g} minutes; "
                    f"try again at {ready} (in about {wait} min)"
                )
            job_id = await db.insert(
                "INSERT INTO jobs (guild_id, status, requested_by, channel_id, stage, worker_pid, worker_host,"
                " started_at, heartbeat_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (
                    guild_id,
                    status,
                    requested_by,
                    channel_id,
                    status,
                    running_pid,
                    host,
                    started,
                    started,
                    now,
                ),
            )
            if job_id is None:
                await _refuse_if_open(db, guild_id)
            return _present(job_id)

    async def open_job(self, guild_id: int) -> JobRow | None:
        row = await self._one(
            "SELECT * FROM jobs WHERE guild_id = ? AND status IN (?, ?)",
            (guild_id, JobStatus.QUEUED, JobStatus.RUNNING),
        )
        return from_row(JobRow, row) if row else None

    async def get_job(self, guild_id: int, job_id: int) -> JobRow:
        row = await self._one("SELECT * FROM jobs WHERE guild_id = ? AND id = ?", (guild_id, job_id))
        if row is None:
            raise NotFoundError(f"job {job_id} does not exist in this server")
        return from_row(JobRow, row)

    async def claim_job(self, worker_pid: int, guild_id: int | None = None) -> JobRow | None:
        """Atomically move the oldest queued job (of any guild, or of one) to running for this worker (its
        pid on this host). On PostgreSQL the row is claimed with FOR UPDATE SKIP LOCKED: workers on several
        machines claiming at once each get a different job, none waits for another's claim to commit, and
        no lock file is needed; on SQLite, BEGIN IMMEDIATE lets one claim run at a time."""
        guild = "" if guild_id is None else " AND guild_id = :g"
        now = time.time()
        async with self.transaction() as db:
            row = await db.one(
                "UPDATE jobs SET status = :running, worker_pid = :pid, worker_host = :host, started_at = :now,"
                " heartbeat_at = :now, stage = 'starting' WHERE id = (SELECT id FROM jobs WHERE status = :queued"
                f"{guild} ORDER BY id LIMIT 1{self._engine.skip_locked}) RETURNING *",
                {
                    "running": JobStatus.RUNNING,
                    "pid": worker_pid,
                    "host": self.worker_host,
                    "now": now,
                    "queued": JobStatus.QUEUED,
                    **({} if guild_id is None else {"g": guild_id}),
                },
            )
        return None if row is None else from_row(JobRow, row)

    async def heartbeat_job(self, guild_id: int, job_id: int, *, stage: str, progress: float) -> None:
        await self._execute(
            "UPDATE jobs SET heartbeat_at = ?, stage = ?, progress = ? WHERE guild_id = ? AND id = ?"
            " AND status = ?",
            (time.time(), stage, progress, guild_id, job_id, JobStatus.RUNNING),
        )

    async def finish_job(
        self,
        guild_id: int,
        job_id: int,
        *,
        succeeded: bool,
        message: str,
        result: dict[str, Any] | None = None,
    ) -> None:
        """End a queued or running job; a job already ended keeps its first ending (a worker taken for dead,
        whose job was failed by another, cannot turn it into a success afterwards)."""
        async with self.transaction(guild_id) as db:
            await _finish_job(db, guild_id, job_id, succeeded=succeeded, message=message, result=result)

    async def running_jobs(self) -> list[JobRow]:
        """Every guild's running jobs: the worker checks at start whether their processes still live."""
        return [
            from_row(JobRow, r)
            for r in await self._all("SELECT * FROM jobs WHERE status = ? ORDER BY id", (JobStatus.RUNNING,))
        ]

    async def unreported_finished_jobs(self) -> list[JobRow]:
        """Finished jobs the bot has not announced yet (the bot reads every guild's to post results)."""
        rows = await self._all(
            "SELECT * FROM jobs WHERE status IN (?, ?) AND reported = 0 ORDER BY id",
            (JobStatus.SUCCEEDED, JobStatus.FAILED),
        )
        return [from_row(JobRow, r) for r in rows]

    async def set_job_message(self, guild_id: int, job_id: int, message_id: int) -> None:
        """The message that shows the job's progress (the /retrain answer), edited as the job moves."""
        await self._execute(
            "UPDATE jobs SET message_id = ? WHERE guild_id = ? AND id = ?", (message_id, guild_id, job_id)
        )

    async def shown_open_jobs(self) -> list[JobRow]:
        """Queued and running jobs that have a progress message (every guild's: the bot edits them)."""
        rows = await self._all(
            "SELECT * FROM jobs WHERE status IN (?, ?) AND message_id IS NOT NULL ORDER BY id",
            (JobStatus.QUEUED, JobStatus.RUNNING),
        )
        return [from_row(JobRow, r) for r in rows]

    async def mark_job_reported(self, guild_id: int, job_id: int) -> None:
        await self._execute("UPDATE jobs SET reported = 1 WHERE guild_id = ? AND id = ?", (guild_id, job_id))

    async def queued_jobs_exist(self) -> bool:
        return bool(
            await self._scalar("SELECT EXISTS (SELECT 1 FROM jobs WHERE status = ?)", (JobStatus.QUEUED,))
        )

    # --- model versions ----------------------------------------------------------------------------------

    async def active_model(self, guild_id: int) -> ModelVersionRow | None:
        row = await self._one(
            "SELECT * FROM model_versions WHERE guild_id = ? AND status = ?", (guild_id, ModelStatus.ACTIVE)
        )
        return from_row(ModelVersionRow, row) if row else None

    async def model_history(self, guild_id: int) -> list[ModelVersionRow]:
        rows = await self._all(
            "SELECT * FROM model_versions WHERE guild_id = ? ORDER BY version DESC", (guild_id,)
        )
        return [from_row(ModelVersionRow, r) for r in rows]

    async def next_model_version(self, guild_id: int) -> int:
        latest = await self._scalar("SELECT MAX(version) FROM model_versions WHERE guild_id = ?", (guild_id,))
        return (latest or 0) + 1

    async def record_model(
        self,
        guild_id: int,
        *,
        version: int,
        path: str,
        promote: bool,
        metrics: dict[str, Any],
        reason: str,
        job_id: int | None,
    ) -> int:
        """Record a candidate; when promoted, it replaces the active version in the same transaction."""
        async with self.transaction(guild_id) as db:
            return await _insert_model(db, guild_id, version, path, promote, metrics, reason, job_id)

    async def complete_retrain(
        self,
        guild_id: int,
        job_id: int,
        *,
        version: int,
        path: str | None,
        promote: bool,
        metrics: dict[str, Any],
        reason: str,
        started_from: int | None,
        plan: dict[str, Any] | None = None,
    ) -> bool:
        """Record a retrain's model and finish its job in ONE transaction, so a failure in between can never
        leave a promoted model next to a running job. The decision is checked against the model active NOW:
        if it is no longer `started_from` (the active version's id when the job began; a /rollback ran
        meanwhile), nothing is recorded and the job fails, instead of silently undoing the rollback.
        The guild's serving plan changes in the same transaction. Returns whether the model was promoted;
        False with no row when the active model changed. A job that is no longer running (its worker was
        taken for dead and the job failed) records nothing: StoreError, and the caller removes the folder."""
        async with self.transaction(guild_id) as db:
            status = await db.scalar(
                "SELECT status FROM jobs WHERE guild_id = ? AND id = ?" + self._engine.for_update,
                (guild_id, job_id),
            )
            if status != JobStatus.RUNNING:
                raise StoreError(JOB_ENDED)
            active = await db.one(
                "SELECT id FROM model_versions WHERE guild_id = ? AND status = ?",
                (guild_id, ModelStatus.ACTIVE),
            )
            if promote and (active["id"] if active else None) != started_from:
                result = {**metrics, "promoted": False, "reason": MODEL_CHANGED}
                await _finish_job(db, guild_id, job_id, succeeded=False, message=MODEL_CHANGED, result=result)
                return False
            if path is not None:  # a retrain whose new model lost keeps no folder and no row
                await _insert_model(db, guild_id, version, path, promote, metrics, reason, job_id)
            if plan is not None:  # what serves the guild from now on: the winner, or the best free option
                await _set_plan(db, guild_id, plan)
            await _finish_job(db, guild_id, job_id, succeeded=True, message=reason, result=metrics)
            return promote

    async def versions_to_prune(self, guild_id: int) -> list[ModelVersionRow]:
        """Retired versions older than the KEPT_VERSIONS newest ever promoted: their weights may be deleted
        to keep retrain spam from filling the disk. Promotions only accumulate, so the window only moves
        forward: a version outside it never comes back in, and rollback_model never returns to one."""
        rows = await self._all(
            f"SELECT * FROM model_versions WHERE guild_id = ? AND status = ? AND version < {KEPT_FROM}"
            " ORDER BY version",
            (guild_id, ModelStatus.RETIRED, guild_id),
        )
        return [from_row(ModelVersionRow, r) for r in rows]

    async def rollback_model(self, guild_id: int) -> ModelVersionRow | None:
        """Retire the active version and reactivate the one promoted before it (None: back to the base).
        A version outside the kept window may have lost its weights (versions_to_prune), so it is refused
        and nothing changes, rather than serving a folder that is gone."""
        async with self.transaction(guild_id) as db:
            active = await db.one(
                "SELECT * FROM model_versions WHERE guild_id = ? AND status = ?",
                (guild_id, ModelStatus.ACTIVE),
            )
            if active is None:
                raise NotFoundError("this server already uses the base model; there is nothing to roll back")
            previous = await db.one(
                "SELECT *, version < coalesce("
                + KEPT_FROM
                + ", 0) AS pruned FROM model_versions WHERE guild_id = ? AND status = ? AND version < ?"
                " ORDER BY version DESC LIMIT 1",
                (guild_id, guild_id, ModelStatus.RETIRED, active["version"]),
            )
            if previous is not None and previous["pruned"]:
                raise NotFoundError(_pruned_message(previous["version"], active["version"]))
            await db.run(
                "UPDATE model_versions SET status = ?, reason = 'rolled back' WHERE id = ?",
                (ModelStatus.REJECTED, active["id"]),
            )
            plan = _plan_of(previous) if previous is not None else None
            await _set_plan(db, guild_id, plan)  # back with the model: the plan it was promoted with
            if previous is None:
                return None
            row = await db.one(
                "UPDATE model_versions SET status = ?, promoted_at = ? WHERE id = ? RETURNING *",
                (ModelStatus.ACTIVE, time.time(), previous["id"]),
            )
            return from_row(ModelVersionRow, _present(row))


def _pruned_message(version: int, active: int) -> str:
    return (
        f"v{version}, the version before v{active}, no longer has its weights (a server keeps its"
        f" {KEPT_VERSIONS} newest models to save disk); v{active} stays active"
    )


async def _refuse_if_open(db: Connection, guild_id: int) -> None:
    """BusyError naming the state of the guild's open job, if it has one."""
    open_job = await db.one(
        "SELECT status FROM jobs WHERE guild_id = ? AND status IN (?, ?)",
        (guild_id, JobStatus.QUEUED, JobStatus.RUNNING),
    )
    if open_job is not None:
        raise BusyError(
            f"a retrain job is already {open_job['status']} for this server; wait for it to finish"
        )


async def _finish_job(
    db: Connection,
    guild_id: int,
    job_id: int,
    *,
    succeeded: bool,
    message: str,
    result: dict[str, Any] | None,
) -> None:
    """The job's end, inside the caller's transaction (finish_job alone, or with its model)."""
    await db.run(
        "UPDATE jobs SET status = ?, message = ?, result_json = ?, finished_at = ?, progress = ?,"
        " stage = ? WHERE guild_id = ? AND id = ? AND status IN (?, ?)",
        (
            JobStatus.SUCCEEDED if succeeded else JobStatus.FAILED,
            message,
            json.dumps(result) if result is not None else None,
            time.time(),
            1.0 if succeeded else 0.0,
            "done" if succeeded else "failed",
            guild_id,
            job_id,
            JobStatus.QUEUED,
            JobStatus.RUNNING,
        ),
    )


async def _insert_model(
    db: Connection,
    guild_id: int,
    version: int,
    path: str,
    promote: bool,
    metrics: dict[str, Any],
    reason: str,
    job_id: int | None,
) -> int:
    """A model version row (retiring the active one when promoted) and its pairs, in the caller's
    transaction."""
    now = time.time()
    if promote:
        await db.run(
            "UPDATE model_versions SET status = ? WHERE guild_id = ? AND status = ?",
            (ModelStatus.RETIRED, guild_id, ModelStatus.ACTIVE),
        )
    model_id = await db.insert(
        "INSERT INTO model_versions (guild_id, version, path, status, job_id, metrics_json, reason,"
        " created_at, promoted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            guild_id,
            version,
            path,
            ModelStatus.ACTIVE if promote else ModelStatus.REJECTED,
            job_id,
            json.dumps(metrics),
            reason,
            now,
            now if promote else None,
        ),
    )
    await db.run_many(  # which pairs it learnt from, so /forget can name the versions holding them
        "INSERT INTO model_pairs (guild_id, model_id, pair_id)"
        " SELECT guild_id, ?, id FROM training_pairs WHERE guild_id = ? AND id = ? ON CONFLICT DO NOTHING",
        [(model_id, guild_id, int(p)) for p in metrics.get("pair_ids", [])],
    )
    return _present(model_id)


async def _set_plan(db: Connection, guild_id: int, plan: dict[str, Any] | None) -> None:
    """The guild's serving plan (None: the configured default), in the caller's transaction. A guild new to
    guild_settings gets autocaption off, as if it had no row (autocaption is opt-in)."""
    await db.run(
        "INSERT INTO guild_settings (guild_id, autocaption, serving_plan) VALUES (?, 0, ?)"
        " ON CONFLICT (guild_id) DO UPDATE SET serving_plan = excluded.serving_plan",
        (guild_id, json.dumps(plan) if plan else None),
    )


def _plan_of(version: Any) -> dict[str, Any]:
    """The serving plan a version was promoted with; versions from before plans served themselves."""
    metrics = json.loads(version["metrics_json"])
    if metrics.get("serving"):
        return metrics["serving"]
    name = f"v{version['version']}"
    short_hint = "hotwords" if metrics.get("use_hotwords", True) else "none"
    return {
        "short": {"model": name, "hint": short_hint},
        "long": {"model": name, "hint": "none"},
        "reason": "",
    }
