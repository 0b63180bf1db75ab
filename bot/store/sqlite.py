"""The SQLite store: every row the bot and the trainer share, and all of the project's SQL but the schema.

One database file (WAL) is the contract between the bot process and the trainer process. Every table has a
guild_id and every method takes one, so no query can read or change another guild's rows. Writes that touch
several rows run in one `BEGIN IMMEDIATE` transaction, so a crash leaves all of them or none.

Why this file is over 400 lines: `Store` is the whole query surface, the one module a second backend
(PostgreSQL) would replace. Split into mixins, its queries would scatter across files that only make sense
together, and the transaction and error handling they share would have to be reached from each of them.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import BusyError, NotFoundError, StoreError
from bot.store import migrations
from bot.store.rows import (
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

log = logging.getLogger("bot.store")
BUSY_TIMEOUT_MS = 15000
MODEL_CHANGED = (  # a retrain that would undo a /rollback made while it ran
    "the server's model changed while this retrain ran (rollback); nothing was promoted, retrain again"
)
# Versions whose weights a server keeps: the newest ever promoted, i.e. the active one, the one /rollback
# returns to and 3 more. Older retired versions lose their weights (their metrics and card stay).
KEPT_VERSIONS = 5
# The oldest version inside that window (NULL while the guild has no promoted version); ? is the guild.
KEPT_FROM = (
    "(SELECT MIN(version) FROM (SELECT version FROM model_versions WHERE guild_id = ?"
    f" AND promoted_at IS NOT NULL ORDER BY version DESC LIMIT {KEPT_VERSIONS}))"
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


def _explain(exc: sqlite3.Error, path: Path) -> StoreError:
    """A one-line message for the user, without the database path or SQLite's text (both go to the log):
    a member in Discord has no business knowing where the host keeps its files."""
    text = str(exc)
    log.info("database %s: %s", path, text)  # INFO: the bot's log keeps it, the CLI's one line stays one
    if isinstance(exc, sqlite3.IntegrityError):
        return StoreError("the database refused this change; nothing of it was saved")
    if "locked" in text or "busy" in text:
        return StoreError(
            "the database is locked by another program; wait for it to finish or stop it, then retry"
        )
    if "not a database" in text or "malformed" in text:
        return StoreError("the database file is not a readable caption database; restore it from a backup")
    return StoreError("the database cannot be used right now; try again later (the bot's log has the reason)")


def _new_id(cur: aiosqlite.Cursor) -> int:
    """The id of the row an INSERT just made (sqlite3 sets it on every successful INSERT)."""
    assert cur.lastrowid is not None
    return cur.lastrowid


def _present(row: sqlite3.Row | None) -> sqlite3.Row:
    """A row this transaction has just read or written, so it is there."""
    assert row is not None
    return row


class Store:
    """Async access to the database. Open with `await Store.open(path)` and close with `await store.close()`."""

    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self._db = db
        self.path = path
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Store:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = await aiosqlite.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise _explain(exc, path) from None
        db.row_factory = sqlite3.Row
        store = cls(db, path)
        try:
            await store._prepare()
        except sqlite3.Error as exc:
            await db.close()
            raise _explain(exc, path) from None
        except StoreError:
            await db.close()
            raise
        return store

    async def close(self) -> None:
        await self._db.close()

    async def _prepare(self) -> None:
        await self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await self._db.execute("PRAGMA foreign_keys = ON")
        await self._db.execute("PRAGMA journal_mode = WAL")
        await self._db.execute("PRAGMA synchronous = NORMAL")
        await self._db.execute("PRAGMA secure_delete = ON")  # what /forget deletes is overwritten, not freed
        for number in migrations.pending(await self._scalar("PRAGMA user_version"), self.path):
            async with self.transaction() as db:
                await migrations.apply(db, number)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction at a time on this connection; all of it or none of it.

        Every write passes here, so this is the one place where a broken constraint becomes a StoreError.
        """
        async with self._write_lock:
            try:
                await self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise _explain(exc, self.path) from None
            try:
                yield self._db
            except BaseException as exc:
                await self._db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.IntegrityError):
                    raise _explain(exc, self.path) from None
                raise
            else:
                try:
                    await self._db.execute("COMMIT")
                except sqlite3.Error as exc:
                    await self._db.execute("ROLLBACK")
                    raise _explain(exc, self.path) from None

    async def _scalar(self, sql: str, params: Iterable[Any] = ()) -> Any:
        async with self._db.execute(sql, tuple(params)) as cur:
            row = await cur.fetchone()
        return row[0] if row else None

    async def _one(self, sql: str, params: Iterable[Any]) -> sqlite3.Row | None:
        async with self._db.execute(sql, tuple(params)) as cur:
            return await cur.fetchone()

    async def _all(self, sql: str, params: Iterable[Any] | dict[str, Any]) -> list[sqlite3.Row]:
        """Rows for positional (`?`) or named (`:name`, params as a dict) parameters."""
        async with self._db.execute(sql, params if isinstance(params, dict) else tuple(params)) as cur:
            return list(await cur.fetchall())

    async def _insert(self, sql: str, params: Iterable[Any]) -> int:
        """A one-statement INSERT; the caller, who knows it inserts, gets the new row's id."""
        async with self.transaction() as db:
            cur = await db.execute(sql, tuple(params))
            return _new_id(cur)

    async def _execute(self, sql: str, params: Iterable[Any]) -> int:
        """A one-statement UPDATE, DELETE or upsert; the caller gets how many rows it changed."""
        async with self.transaction() as db:
            cur = await db.execute(sql, tuple(params))
            return cur.rowcount

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
        async with self.transaction() as db:
            cur = await db.execute(
                "SELECT id, audio_path FROM media WHERE guild_id = ? AND sha256 = ?", (guild_id, sha256)
            )
            existing = await cur.fetchone()
            if existing:
                media_id = existing["id"]
                if existing["audio_path"] is None and audio_path:
                    await db.execute(
                        "UPDATE media SET audio_path = ?, uploader_id = ? WHERE id = ?",
                        (audio_path, uploader_id, media_id),
                    )
            else:
                cur = await db.execute(
                    "INSERT INTO media (guild_id, sha256, source, title, duration, audio_path, uploader_id,"
                    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (guild_id, sha256, source, title, duration, audio_path, uploader_id, time.time()),
                )
                media_id = _new_id(cur)
            if uploader_id is not None:  # every poster, so /forget can tell one person's link from the file
                await db.execute(
                    "INSERT OR IGNORE INTO media_uploaders (guild_id, media_id, user_id, created_at)"
                    " VALUES (?, ?, ?, ?)",
                    (guild_id, media_id, uploader_id, time.time()),
                )
            return media_id

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
            async with self.transaction() as db:
                await db.execute(
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
        async with self.transaction() as db:
            cur = await db.execute(
                "SELECT media_id FROM captions WHERE guild_id = ? AND id = ?", (guild_id, caption_id)
            )
            caption = await cur.fetchone()
            if caption is None:
                raise NotFoundError(f"caption {caption_id} does not exist in this server")
            now = time.time()
            cur = await db.execute(
                "INSERT INTO corrections (guild_id, caption_id, user_id, kind, text, cues_json, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (guild_id, caption_id, user_id, kind, text, json.dumps(cues), now),
            )
            correction_id = _new_id(cur)
            await db.executemany(
                'INSERT INTO training_pairs (guild_id, correction_id, media_id, start, "end", text, created_at)'
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(guild_id, correction_id, caption["media_id"], s, e, t, now) for s, e, t in pairs],
            )
            await db.executemany(
                "INSERT OR IGNORE INTO spelling_evidence (guild_id, correction_id, caption_id, heard, term)"
                " VALUES (?, ?, ?, ?, ?)",
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
            " FROM corrections c WHERE c.guild_id = :g AND (:u IS NULL OR c.user_id = :u)"
            " AND (:k IS NULL OR c.caption_id = :k) ORDER BY c.id DESC LIMIT :n",
            {"g": guild_id, "u": user_id, "k": caption_id, "n": limit},
        )
        return [from_row(CorrectionSummary, r) for r in rows]

    async def remove_correction(self, guild_id: int, correction_id: int) -> int:
        """Delete one correction of this guild; its pairs and spelling evidence cascade. Returns the pairs
        that went; the model versions trained on them keep a count of them, as after /forget."""
        keys = {"g": guild_id, "c": correction_id}
        pairs = "SELECT id FROM training_pairs WHERE guild_id = :g AND correction_id = :c"
        async with self.transaction() as db:
            cur = await db.execute("SELECT 1 FROM corrections WHERE guild_id = :g AND id = :c", keys)
            if await cur.fetchone() is None:
                raise NotFoundError(
                    f"there is no correction {correction_id} in this server; nothing was removed"
                )
            cur = await db.execute(f"SELECT COUNT(*) FROM ({pairs})", keys)
            count = int(_present(await cur.fetchone())[0])
            await db.execute(
                "UPDATE model_versions SET forgotten_pairs = forgotten_pairs + (SELECT COUNT(*) FROM model_pairs"
                f" mp WHERE mp.model_id = model_versions.id AND mp.pair_id IN ({pairs})) WHERE guild_id = :g",
                keys,
            )
            await db.execute(f"DELETE FROM model_pairs WHERE guild_id = :g AND pair_id IN ({pairs})", keys)
            await db.execute("DELETE FROM corrections WHERE guild_id = :g AND id = :c", keys)
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
        await self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # old page images leave the WAL file too
        unrecorded = await self._all(
            "SELECT version FROM model_versions WHERE guild_id = :g"
            " AND json_extract(metrics_json, '$.pair_ids') IS NULL ORDER BY version",
            keys,
        )
        return ForgetReport(
            corrections, captions, media, shared, terms, paths, models, [r["version"] for r in unrecorded]
        )

    async def _unlink_models(self, keys: dict[str, int]) -> list[tuple[int, int]]:
        """Count, per model version, the pairs of the user's data it was trained on; then drop those links."""
        affected = f"SELECT p.id FROM training_pairs p {USER_PAIRS}"
        async with self.transaction() as db:
            cur = await db.execute(
                "SELECT v.version, COUNT(*) FROM model_pairs mp JOIN model_versions v ON v.id = mp.model_id"
                f" WHERE mp.guild_id = :g AND mp.pair_id IN ({affected}) GROUP BY v.version ORDER BY v.version",
                keys,
            )
            models = [(int(v), int(n)) for v, n in await cur.fetchall()]
            await db.execute(
                "UPDATE model_versions SET forgotten_pairs = forgotten_pairs + (SELECT COUNT(*) FROM model_pairs"
                f" mp WHERE mp.model_id = model_versions.id AND mp.pair_id IN ({affected})) WHERE guild_id = :g",
                keys,
            )
            await db.execute(f"DELETE FROM model_pairs WHERE guild_id = :g AND pair_id IN ({affected})", keys)
        return models

    async def _forget_the_rest(self, keys: dict[str, int]) -> tuple[int, int]:
        """Shared recordings, proposed terms, pending requests, the user's id on terms and jobs: few rows."""
        async with self.transaction() as db:
            cur = await db.execute("DELETE FROM media_uploaders WHERE guild_id = :g AND user_id = :u", keys)
            shared = cur.rowcount
            await db.execute(
                "UPDATE media SET uploader_id = (SELECT MIN(u.user_id) FROM media_uploaders u"
                " WHERE u.media_id = media.id) WHERE guild_id = :g AND uploader_id = :u",
                keys,
            )
            cur = await db.execute(
                "DELETE FROM vocabulary WHERE guild_id = :g AND added_by = :u"
                " AND (origin = 'proposed' OR status = 'proposed')",
                keys,
            )
            terms = cur.rowcount
            await db.execute(
                "UPDATE vocabulary SET added_by = NULL WHERE guild_id = :g AND added_by = :u", keys
            )
            await db.execute("DELETE FROM pending_captions WHERE guild_id = :g AND user_id = :u", keys)
            await db.execute(
                "UPDATE jobs SET requested_by = NULL WHERE guild_id = :g AND requested_by = :u", keys
            )
        return shared, terms

    async def _delete_in_batches(self, select: str, delete: str, keys: dict[str, int]) -> int:
        """Delete the rows `select` finds (named :g, :u, :n), BATCH at a time, one short transaction each."""
        deleted = 0
        while True:
            async with self.transaction() as db:
                cur = await db.execute(select, {**keys, "n": BATCH})
                ids = [r[0] for r in await cur.fetchall()]
                if ids:
                    await db.execute(delete.format(", ".join("?" * len(ids))), (keys["g"], *ids))
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
            " WHERE status != 'approved'"
        )
        async with self.transaction() as db:
            cur = await db.execute(
                "SELECT COUNT(*) FROM vocabulary WHERE guild_id = ? AND status != 'rejected'", (guild_id,)
            )
            count = _present(await cur.fetchone())[0]
            for term in terms:
                if limit is not None and count + len(added) >= limit:
                    break
                cur = await db.execute(
                    "INSERT INTO vocabulary (guild_id, term, origin, added_by, created_at, status)"
                    " VALUES (?, ?, ?, ?, ?, ?)" + upsert,
                    (guild_id, term, origin, added_by, time.time(), "proposed" if proposal else "approved"),
                )
                if cur.rowcount:
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
        async with self.transaction() as db:
            for term in terms:
                cur = await db.execute(
                    "DELETE FROM vocabulary WHERE guild_id = ? AND term = ? AND status = 'approved'",
                    (guild_id, term),
                )
                if cur.rowcount:
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
        async with self.transaction() as db:
            cur = await db.execute(
                "UPDATE vocabulary SET status = ? WHERE guild_id = ? AND term = ? AND status = 'proposed'"
                " RETURNING term",
                ("approved" if approve else "rejected", guild_id, term),
            )
            row = await cur.fetchone()
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
            " GROUP BY e.heard, v.term HAVING captions >= :n ORDER BY e.heard, captions DESC, v.term",
            {"g": guild_id, "n": max(1, min_captions)},
        )
        best: dict[str, SpellingRule] = {}
        for r in rows:
            best.setdefault(str(r["heard"]).casefold(), from_row(SpellingRule, r))
        return list(best.values())

    async def remove_spelling_rule(self, guild_id: int, heard: str) -> list[str]:
        """Stop every rule for these heard words (and never learn them again); returns the terms they gave,
        none when no rule (or only removed ones) had them."""
        async with self.transaction() as db:
            cur = await db.execute(  # a rule removed before is not there to remove again
                "SELECT DISTINCT e.term FROM spelling_evidence e WHERE e.guild_id = :g AND e.heard = :h"
                " AND NOT EXISTS (SELECT 1 FROM spelling_removed r"
                "   WHERE r.guild_id = e.guild_id AND r.heard = e.heard AND r.term = e.term)",
                {"g": guild_id, "h": heard},
            )
            terms = [str(r["term"]) for r in await cur.fetchall()]
            await db.executemany(
                "INSERT OR IGNORE INTO spelling_removed (guild_id, heard, term) VALUES (?, ?, ?)",
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
        async with self.transaction() as db:
            await db.execute(  # a new row has every switch off: both are opt-in
                "INSERT OR IGNORE INTO guild_settings (guild_id, autocaption, link_buttons) VALUES (?, 0, 0)",
                (guild_id,),
            )
            await db.execute(
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
        async with self.transaction() as db:
            if channel_id is None:
                await db.execute(  # a new row is written with every switch off: both are opt-in
                    "INSERT OR IGNORE INTO guild_settings (guild_id, autocaption, link_buttons) VALUES (?, 0, 0)",
                    (guild_id,),
                )
                await db.execute(
                    f"UPDATE guild_settings SET {column} = ? WHERE guild_id = ?", (value, guild_id)
                )
                return
            await db.execute(
                "INSERT OR IGNORE INTO channel_settings (guild_id, channel_id) VALUES (?, ?)",
                (guild_id, channel_id),
            )
            await db.execute(
                f"UPDATE channel_settings SET {column} = ? WHERE guild_id = ? AND channel_id = ?",
                (value, guild_id, channel_id),
            )
            await db.execute(  # a channel that follows the server in everything needs no row
                "DELETE FROM channel_settings WHERE guild_id = ? AND channel_id = ?"
                " AND autocaption IS NULL AND link_buttons IS NULL",
                (guild_id, channel_id),
            )

    async def server_language(self, guild_id: int) -> str | None:
        """The server's caption language (a code or 'auto'); None: the configured default applies."""
        value = await self._scalar("SELECT language FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return None if value is None else str(value)

    async def set_server_language(self, guild_id: int, language: str | None) -> None:
        async with self.transaction() as db:
            await db.execute(  # a new row is written with every switch off: both are opt-in
                "INSERT OR IGNORE INTO guild_settings (guild_id, autocaption, link_buttons) VALUES (?, 0, 0)",
                (guild_id,),
            )
            await db.execute(
                "UPDATE guild_settings SET language = ? WHERE guild_id = ?", (language, guild_id)
            )

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

        The open-job check and the insert share one write transaction, so two requests cannot both pass the
        check; the one_open_job_per_guild index stays as the last guard.
        """
        now = time.time()
        status = JobStatus.QUEUED if running_pid is None else JobStatus.RUNNING
        started = None if running_pid is None else now
        async with self.transaction() as db:
            cur = await db.execute(
                "SELECT status FROM jobs WHERE guild_id = ? AND status IN (?, ?)",
                (guild_id, JobStatus.QUEUED, JobStatus.RUNNING),
            )
            open_job = await cur.fetchone()
            if open_job is not None:
                raise BusyError(
                    f"a retrain job is already {open_job['status']} for this server; wait for it to finish"
                )
            cur = await db.execute("SELECT MAX(created_at) FROM jobs WHERE guild_id = ?", (guild_id,))
            last = _present(await cur.fetchone())[0]
            if last is not None and now < last + cooldown_seconds:
                ready = time.strftime("%H:%M UTC", time.gmtime(last + cooldown_seconds))
                wait = max(1, round((last + cooldown_seconds - now) / 60))
                raise BusyError(
                    f"this server can retrain once every {cooldown_seconds / 60:g} minutes; "
                    f"try again at {ready} (in about {wait} min)"
                )
            cur = await db.execute(
                "INSERT INTO jobs (guild_id, status, requested_by, channel_id, stage, worker_pid, started_at,"
                " heartbeat_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (guild_id, status, requested_by, channel_id, status, running_pid, started, started, now),
            )
            return _new_id(cur)

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
        """Atomically move the oldest queued job (of any guild, or of one) to running for this worker."""
        async with self.transaction() as db:
            if guild_id is None:
                cur = await db.execute(
                    "SELECT id FROM jobs WHERE status = ? ORDER BY id LIMIT 1", (JobStatus.QUEUED,)
                )
            else:
                cur = await db.execute(
                    "SELECT id FROM jobs WHERE status = ? AND guild_id = ? ORDER BY id LIMIT 1",
                    (JobStatus.QUEUED, guild_id),
                )
            row = await cur.fetchone()
            if row is None:
                return None
            now = time.time()
            await db.execute(
                "UPDATE jobs SET status = ?, worker_pid = ?, started_at = ?, heartbeat_at = ?,"
                " stage = 'starting' WHERE id = ?",
                (JobStatus.RUNNING, worker_pid, now, now, row["id"]),
            )
            cur = await db.execute("SELECT * FROM jobs WHERE id = ?", (row["id"],))
            return from_row(JobRow, _present(await cur.fetchone()))

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
        async with self.transaction() as db:
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
        async with self.transaction() as db:
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
        False with no row when the active model changed."""
        async with self.transaction() as db:
            cur = await db.execute(
                "SELECT id FROM model_versions WHERE guild_id = ? AND status = ?",
                (guild_id, ModelStatus.ACTIVE),
            )
            active = await cur.fetchone()
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
        async with self.transaction() as db:
            cur = await db.execute(
                "SELECT * FROM model_versions WHERE guild_id = ? AND status = ?",
                (guild_id, ModelStatus.ACTIVE),
            )
            active = await cur.fetchone()
            if active is None:
                raise NotFoundError("this server already uses the base model; there is nothing to roll back")
            cur = await db.execute(
                "SELECT *, version < coalesce("
                + KEPT_FROM
                + ", 0) AS pruned FROM model_versions WHERE guild_id = ? AND status = ? AND version < ?"
                " ORDER BY version DESC LIMIT 1",
                (guild_id, guild_id, ModelStatus.RETIRED, active["version"]),
            )
            previous = await cur.fetchone()
            if previous is not None and previous["pruned"]:
                raise NotFoundError(_pruned_message(previous["version"], active["version"]))
            await db.execute(
                "UPDATE model_versions SET status = ?, reason = 'rolled back' WHERE id = ?",
                (ModelStatus.REJECTED, active["id"]),
            )
            plan = _plan_of(previous) if previous is not None else None
            await _set_plan(db, guild_id, plan)  # back with the model: the plan it was promoted with
            if previous is None:
                return None
            await db.execute(
                "UPDATE model_versions SET status = ?, promoted_at = ? WHERE id = ?",
                (ModelStatus.ACTIVE, time.time(), previous["id"]),
            )
            cur = await db.execute("SELECT * FROM model_versions WHERE id = ?", (previous["id"],))
            return from_row(ModelVersionRow, _present(await cur.fetchone()))


def _pruned_message(version: int, active: int) -> str:
    return (
        f"v{version}, the version before v{active}, no longer has its weights (a server keeps its"
        f" {KEPT_VERSIONS} newest models to save disk); v{active} stays active"
    )


async def _finish_job(
    db: aiosqlite.Connection,
    guild_id: int,
    job_id: int,
    *,
    succeeded: bool,
    message: str,
    result: dict[str, Any] | None,
) -> None:
    """The job's end, inside the caller's transaction (finish_job alone, or with its model)."""
    await db.execute(
        "UPDATE jobs SET status = ?, message = ?, result_json = ?, finished_at = ?, progress = ?,"
        " stage = ? WHERE guild_id = ? AND id = ?",
        (
            JobStatus.SUCCEEDED if succeeded else JobStatus.FAILED,
            message,
            json.dumps(result) if result is not None else None,
            time.time(),
            1.0 if succeeded else 0.0,
            "done" if succeeded else "failed",
            guild_id,
            job_id,
        ),
    )


async def _insert_model(
    db: aiosqlite.Connection,
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
        await db.execute(
            "UPDATE model_versions SET status = ? WHERE guild_id = ? AND status = ?",
            (ModelStatus.RETIRED, guild_id, ModelStatus.ACTIVE),
        )
    cur = await db.execute(
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
    model_id = _new_id(cur)
    await db.executemany(  # which pairs it learnt from, so /forget can name the versions holding them
        "INSERT OR IGNORE INTO model_pairs (guild_id, model_id, pair_id)"
        " SELECT guild_id, ?, id FROM training_pairs WHERE guild_id = ? AND id = ?",
        [(model_id, guild_id, int(p)) for p in metrics.get("pair_ids", [])],
    )
    return model_id


async def _set_plan(db: aiosqlite.Connection, guild_id: int, plan: dict[str, Any] | None) -> None:
    """The guild's serving plan (None: the configured default), in the caller's transaction. A guild new to
    guild_settings gets autocaption off, as if it had no row (autocaption is opt-in)."""
    await db.execute(
        "INSERT INTO guild_settings (guild_id, autocaption, serving_plan) VALUES (?, 0, ?)"
        " ON CONFLICT (guild_id) DO UPDATE SET serving_plan = excluded.serving_plan",
        (guild_id, json.dumps(plan) if plan else None),
    )


def _plan_of(version: sqlite3.Row) -> dict[str, Any]:
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
