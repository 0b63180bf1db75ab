"""/help: what the bot does, how to correct a caption, what is stored and how /forget works (ephemeral)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import CaptionBot
from bot.discord_app.help_text import help_text
from bot.discord_app.i18n import reply_language
from bot.discord_app.replies import send_private


class Help(commands.Cog):
    def __init__(self, bot: CaptionBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What this bot does, how to correct it, what it stores")
    async def help(self, interaction: discord.Interaction) -> None:
        await send_private(interaction, help_text(self.bot.config, reply_language(interaction)))


async def setup(bot: CaptionBot) -> None:
    await bot.add_cog(Help(bot))
