"""Corrections, the training pairs made of them, and /forget, which deletes a user's share of all of it.

Why /forget lives here: most of what it deletes hangs off corrections (pairs, spelling evidence, the links
from model versions to pairs), and it counts, like remove_correction, the pairs each model version loses.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any

from bot.core.errors import NotFoundError
from bot.core.store.base import BATCH, StoreBase, present
from bot.core.store.consent import CONSENTED_PAIRS
from bot.core.store.rows import CorrectionSummary, ForgetReport, PairRow, from_row

# The pairs a retrain may use: the guild's, with audio still kept, from each caption's newest correction, and
# only where the server trains and every member the pair comes from allows it (bot/core/store/consent.py).
USABLE_PAIRS = (
    " FROM training_pairs p JOIN media m ON m.id = p.media_id AND m.guild_id = p.guild_id"
    " JOIN corrections c ON c.id = p.correction_id AND c.guild_id = p.guild_id"
    " WHERE p.guild_id = ? AND m.audio_path IS NOT NULL"
    "   AND c.id = (SELECT MAX(c2.id) FROM corrections c2"
    "               WHERE c2.guild_id = c.guild_id AND c2.caption_id = c.caption_id)" + CONSENTED_PAIRS
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


class CorrectionQueries(StoreBase):
    """The corrections, training_pairs and spelling_evidence tables, and /forget across every table."""

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
            correction_id = present(
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
            # the member's data must not keep serving: every version trained on it is withdrawn (L5)
            await db.run(
                "UPDATE model_versions SET withdrawn = 1 WHERE guild_id = :g AND id IN (SELECT mp.model_id"
                f" FROM model_pairs mp WHERE mp.guild_id = :g AND mp.pair_id IN ({affected}))",
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
