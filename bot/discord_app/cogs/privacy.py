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
from bot.discord_app.i18n import reply_language, text
from bot.discord_app.privacy_text import privacy_text
from bot.discord_app.replies import defer_private
from bot.discord_app.views import ConfirmView

log = logging.getLogger("bot.discord.privacy")
CANCELLED = text("forget.cancelled")  # English; the member reads it in their language


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
        name="privacy",
        description="See or change whether your voice notes and corrections train this server's model",
    )
    @app_commands.describe(my_training="Your choice: in, out, or follow the server's setting")
    @app_commands.choices(
        my_training=[
            app_commands.Choice(name="in", value="in"),
            app_commands.Choice(name="out", value="out"),
            app_commands.Choice(name="follow the server", value="default"),
        ]
    )
    async def privacy(
        self, interaction: discord.Interaction, my_training: app_commands.Choice[str] | None = None
    ) -> None:
        """Everyone's: the server's training setting (moderators change it with /settings training) and the
        member's own choice, which governs their recordings even when someone else corrects them."""
        assert interaction.guild_id is not None
        await defer_private(interaction)
        guild_id, user_id = interaction.guild_id, interaction.user.id
        changed = None
        if my_training is not None:
            consent = {"in": True, "out": False, "default": None}[my_training.value]
            await self.bot.service.set_training_consent(guild_id, user_id, consent)
            changed = my_training.name
        status = await self.bot.service.privacy_status(guild_id, user_id)
        shown = privacy_text(status, changed=changed, lang=reply_language(interaction))
        await interaction.followup.send(shown, ephemeral=True)

    @app_commands.command(
        name="forget", description="Delete your corrections, captions and recordings in this server"
    )
    async def forget(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await defer_private(interaction)
        count = await self.bot.service.count_corrections(interaction.guild_id, interaction.user.id)
        lang = reply_language(interaction)
        view = ConfirmView(
            interaction.user.id,
            self._forget,
            confirm_label=text("forget.confirm", lang),
            cancelled_text=text("forget.cancelled", lang),
            lang=lang,
        )
        view.prompt = interaction
        await interaction.followup.send(forget_prompt(count, lang), view=view, wait=True)

    async def _forget(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        report, files = await self.bot.service.forget_user(interaction.guild_id, interaction.user.id)
        shown = forget_done(report, files, reply_language(interaction))
        await interaction.edit_original_response(content=shown, view=None)


async def setup(bot: CaptionBot) -> None:
    await bot.add_cog(Privacy(bot))
