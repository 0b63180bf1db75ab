"""The caption service the CLI and the Discord layer share: caption, correct, vocabulary, settings, retrain.

It knows nothing of Discord or of the terminal. Callers pass a guild id (the CLI uses its own local guild)
and get plain results back, or a UserError whose message they show as it is.

`CaptionService` is its parts, one module each (see bot/service/base.py for why one object): captioning,
corrections, guild_settings (vocabulary and settings) and retraining (jobs and model versions). This module
opens and closes it and holds what is about a user's data as a whole: /forget and stored audio retention.
What moderators decide (vocabulary review, the corrections audit, spelling rules) is in
bot/service/moderation.py, reached as `service.moderation`.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.core.config import Config
from bot.core.errors import MediaError
from bot.core.media import audio
from bot.core.store import ForgetReport, Store
from bot.core.store.paths import within
from bot.core.transcription.engine import Engine
from bot.service import retention
from bot.service.captioning import Captioning, CaptionResult
from bot.service.corrections import CorrectionResult, Corrections
from bot.service.guild_settings import GuildSettings
from bot.service.retraining import Retraining


class CaptionService(Captioning, Corrections, GuildSettings, Retraining):
    """Open with `await CaptionService.open(config)`, close with `await service.close()`."""

    @classmethod
    async def open(cls, config: Config, *, workers: int = 1) -> CaptionService:
        config.data_dir.mkdir(parents=True, exist_ok=True)
        store = await Store.open(config.database)
        return cls(config, store, Engine(config.model, workers=workers))

    async def close(self) -> None:
        self.engine.close()
        await self.store.close()

    async def database_reachable(self) -> bool:
        """Whether one trivial query gets through now (the health check)."""
        try:
            await self.store.ping()
        except Exception:
            return False
        return True

    async def guilds_with_tuned_model(self) -> set[int]:
        """The guilds a retrained version serves (every other guild is served the base model)."""
        return await self.store.guilds_with_active_model()

    def data_path(self, stored: str) -> Path | None:
        """A file the store names, under the data folder; None when the row points outside it."""
        return within(self.config.data_dir, stored)

    # --- privacy -----------------------------------------------------------------------------------------

    async def forget_user(self, guild_id: int, user_id: int) -> tuple[ForgetReport, int]:
        """Delete everything of a user in the guild (see Store.forget_user), then the audio only they posted.

        Returns what the store removed and kept, and the number of audio files deleted. Rows go first, so a
        crash in between leaves at most an orphan file, never a row pointing at missing audio.
        """
        report = await self.store.forget_user(guild_id, user_id)
        paths = [path for p in report.audio_paths if (path := within(self.config.data_dir, p)) is not None]
        return report, await asyncio.to_thread(audio.remove_files, paths)

    async def remove_expired_audio(self, retention_days: int) -> int:
        """Delete stored audio older than retention_days (0 keeps it); how many files went
        (bot/service/retention.py)."""
        return await retention.apply_retention(self.store, self.config.data_dir, retention_days)

    async def remove_orphan_audio(self) -> int:
        """Delete audio files no media row names (older than a minute); how many went."""
        return await retention.remove_orphan_audio(self.store, self.config.data_dir)


__all__ = ["CaptionResult", "CaptionService", "CorrectionResult", "MediaError"]
