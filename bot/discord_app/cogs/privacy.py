"""/forget: a member deletes their own corrections and the audio of what they posted, after confirming."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import CaptionBot
from bot.discord_app.formatting import forget_done, forget_prompt
from bot.discord_app.replies import defer_private
from bot.discord_app.views import ConfirmView

CANCELLED = "Nothing was deleted."


class Privacy(commands.Cog):
    def __init__(self, bot: CaptionBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="forget", description="Delete your corrections and the audio you posted in this server"
    )
    async def forget(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await defer_private(interaction)
        count = await self.bot.service.store.count_corrections(interaction.guild_id, interaction.user.id)
        view = ConfirmView(
            interaction.user.id, self._forget, confirm_label="Delete my data", cancelled_text=CANCELLED
        )
        view.prompt = interaction
        await interaction.followup.send(forget_prompt(count), view=view, wait=True)

    async def _forget(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        corrections, files = await self.bot.service.forget_user(interaction.guild_id, interaction.user.id)
        await interaction.edit_original_response(content=forget_done(corrections, files), view=None)


async def setup(bot: CaptionBot) -> None:
    await bot.add_cog(Privacy(bot))
