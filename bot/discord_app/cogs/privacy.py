"""/forget: a member deletes their data in the server after confirming, and is told what went and what stays.

And retention: while the bot runs, stored audio older than `[storage] retention_days` is deleted every hour
(the first time right after start-up); captions and metrics stay.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.discord_app.client import CaptionBot
from bot.discord_app.formatting import forget_done, forget_prompt
from bot.discord_app.replies import defer_private
from bot.discord_app.views import ConfirmView

log = logging.getLogger("bot.discord.privacy")
CANCELLED = "Nothing was deleted."


class Privacy(commands.Cog):
    def __init__(self, bot: CaptionBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        if self.bot.config.storage.retention_days > 0:
            self.retention.start()

    async def cog_unload(self) -> None:
        self.retention.cancel()

    @tasks.loop(hours=1)
    async def retention(self) -> None:
        try:
            days = self.bot.config.storage.retention_days
            removed = await self.bot.service.remove_expired_audio(days)
            removed += await self.bot.service.remove_orphan_audio()
            if removed:
                log.info(
                    "deleted %d stored audio files (older than %d days, or named by no row)", removed, days
                )
        except Exception:  # the next round tries again
            log.exception("the retention task failed; it tries again in an hour")

    @retention.before_loop
    async def _before_retention(self) -> None:
        await self.bot.wait_until_ready()

    @app_commands.command(
        name="forget", description="Delete your corrections, captions and recordings in this server"
    )
    async def forget(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await defer_private(interaction)
        count = await self.bot.service.count_corrections(interaction.guild_id, interaction.user.id)
        view = ConfirmView(
            interaction.user.id, self._forget, confirm_label="Delete my data", cancelled_text=CANCELLED
        )
        view.prompt = interaction
        await interaction.followup.send(forget_prompt(count), view=view, wait=True)

    async def _forget(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        report, files = await self.bot.service.forget_user(interaction.guild_id, interaction.user.id)
        await interaction.edit_original_response(content=forget_done(report, files), view=None)


async def setup(bot: CaptionBot) -> None:
    await bot.add_cog(Privacy(bot))
