"""/vocab add|remove|list: the server's own words, used at once as hotwords and reported after retrains."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import CaptionBot
from bot.discord_app.formatting import parse_terms, vocabulary_change, vocabulary_text
from bot.discord_app.replies import defer_private, defer_public


class Vocab(commands.GroupCog, group_name="vocab", group_description="This server's vocabulary"):
    def __init__(self, bot: CaptionBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="add", description="Add words the captions should spell right")
    @app_commands.describe(terms="One or more terms, separated by commas")
    async def add(self, interaction: discord.Interaction, terms: str) -> None:
        assert interaction.guild_id is not None
        wanted = parse_terms(terms)
        await defer_public(interaction)
        added = await self.bot.service.add_vocabulary(
            interaction.guild_id, wanted, user_id=interaction.user.id
        )
        await interaction.followup.send(vocabulary_change("added", added, wanted))

    @app_commands.command(name="remove", description="Remove words from the vocabulary")
    @app_commands.describe(terms="One or more terms, separated by commas")
    async def remove(self, interaction: discord.Interaction, terms: str) -> None:
        assert interaction.guild_id is not None
        wanted = parse_terms(terms)
        await defer_public(interaction)
        removed = await self.bot.service.remove_vocabulary(interaction.guild_id, wanted)
        await interaction.followup.send(vocabulary_change("removed", removed, wanted))

    @app_commands.command(name="list", description="Show the vocabulary")
    async def list_terms(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await defer_private(interaction)
        terms = await self.bot.service.store.vocabulary(interaction.guild_id)
        await interaction.followup.send(vocabulary_text(terms))


async def setup(bot: CaptionBot) -> None:
    await bot.add_cog(Vocab(bot))
