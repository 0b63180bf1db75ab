"""/settings autocaption on|off (moderators): whether posted voice messages and media are captioned."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import CaptionBot
from bot.discord_app.permissions import require_moderator
from bot.discord_app.replies import defer_public


@app_commands.default_permissions(manage_guild=True)  # members do not see it; the runtime check stays
class Settings(
    commands.GroupCog, group_name="settings", group_description="Server settings of the caption bot"
):
    def __init__(self, bot: CaptionBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(
        name="autocaption", description="Caption voice messages and audio/video posted here"
    )
    @app_commands.describe(state="on: caption posted voice messages and media; off: only /caption")
    async def autocaption(self, interaction: discord.Interaction, state: Literal["on", "off"]) -> None:
        assert interaction.guild_id is not None
        require_moderator(interaction, self.bot.config, "change the caption settings")
        await defer_public(interaction)
        await self.bot.service.store.set_autocaption(interaction.guild_id, state == "on")
        text = (
            "🎙️ Voice messages and audio/video files posted in this server will be captioned."
            if state == "on"
            else "🔇 Posted voice messages and files will no longer be captioned; /caption still works."
        )
        await interaction.followup.send(text)


async def setup(bot: CaptionBot) -> None:
    await bot.add_cog(Settings(bot))
