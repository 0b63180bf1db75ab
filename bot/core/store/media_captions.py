"""Media, the captions made of it, and the caption requests still in flight.

Why these three share a module: they are the caption path's rows, written as a caption is made (the media
when its audio is kept, the caption when the model is done, the pending request while the user waits) and
read back by retention, corrections and the restart notices.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any

from bot.core.errors import NotFoundError
from bot.core.store.base import BATCH, StoreBase, present
from bot.core.store.rows import CaptionRow, MediaRow, PendingCaptionRow, from_row


class MediaCaptionQueries(StoreBase):
    """The media, captions and pending_captions tables (media_uploaders as media is added)."""

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
                media_id = present(
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
        instance: str | None = None,
    ) -> int:
        """Remember a request from the moment its progress message exists until its user has the answer;
        `instance` names the bot process that holds it (leftover_pending_captions)."""
        return await self._insert(
            "INSERT INTO pending_captions"
            " (guild_id, channel_id, user_id, message_id, kind, label, created_at, instance)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (guild_id, channel_id, user_id, message_id, kind, label, time.time(), instance),
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

    async def leftover_pending_captions(self, instance: str | None = None) -> list[PendingCaptionRow]:
        """Every guild's unanswered requests of this bot process (`instance`; rows from before instances
        were recorded count as anyone's). Read once at start-up, before the bot takes new requests, so all of
        them were cut off by its previous run (a crash or a kill); the bot tells each user in their channel.
        Another bot process on the same database keeps its live requests. Crosses guilds by design, like
        `unreported_finished_jobs`: it only routes the notices."""
        if instance is None:  # every process's: tools and tests that read them all
            rows = await self._all("SELECT * FROM pending_captions ORDER BY id", ())
        else:
            rows = await self._all(
                "SELECT * FROM pending_captions WHERE instance = ? OR instance IS NULL ORDER BY id",
                (instance,),
            )
        return [from_row(PendingCaptionRow, r) for r in rows]
