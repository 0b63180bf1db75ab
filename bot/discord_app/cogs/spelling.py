"""/spelling list|remove (moderators): the spelling rules corrections taught (bot/core/captions/spelling.py).

Rules change new captions at once, before any retrain, so a moderator must see them and be able to stop one.
A removed rule is never learned again from the same words (the store remembers the removal). The group is
moderator-only as a whole (default_member_permissions), and each command still checks.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import CaptionBot
from bot.discord_app.i18n import reply_language
from bot.discord_app.permissions import require_moderator
from bot.discord_app.replies import defer_private
from bot.discord_app.review_text import spelling_removed_text, spelling_text


@app_commands.default_permissions(manage_guild=True)  # members do not see it; the runtime check stays
class Spelling(
    commands.GroupCog,
    group_name="spelling",
    group_description="Spellings learned from corrections, applied to new captions (moderators)",
):
    def __init__(self, bot: CaptionBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="list", description="The spelling rules new captions get")
    async def list_rules(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await require_moderator(interaction, self.bot.service, "see the spelling rules")
        await defer_private(interaction)
        rules = await self.bot.service.moderation.spelling_rules(interaction.guild_id)
        await interaction.followup.send(spelling_text(rules, reply_language(interaction)), ephemeral=True)

    @app_commands.command(name="remove", description="Stop a spelling rule for good")
    @app_commands.describe(heard="The words the rule replaces, as /spelling list shows them")
    async def remove(self, interaction: discord.Interaction, heard: app_commands.Range[str, 1, 200]) -> None:
        assert interaction.guild_id is not None
        await require_moderator(interaction, self.bot.service, "remove spelling rules")
        await defer_private(interaction)
        terms = await self.bot.service.moderation.remove_spelling(interaction.guild_id, heard)
        shown = spelling_removed_text(heard, terms, reply_language(interaction))
        await interaction.followup.send(shown, ephemeral=True)


async def setup(bot: CaptionBot) -> None:
    await bot.add_cog(Spelling(bot))
