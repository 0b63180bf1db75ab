"""/corrections list|remove (moderators): who corrected what, and undoing a correction.

Once members' words train the model, a moderator must be able to see them and take them back. The group
is moderator-only as a whole (default_member_permissions), and each command still checks, because server
owners can re-assign it in Discord's Integrations settings. Answers are private: an audit is not a pillory.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import CaptionBot
from bot.discord_app.i18n import reply_language
from bot.discord_app.permissions import require_moderator
from bot.discord_app.replies import defer_private
from bot.discord_app.review_text import corrections_text, removed_correction_text

AUDIT_COG = "CorrectionsAudit"  # "Corrections" is the cog that takes corrections (cogs/corrections.py)
ID = app_commands.Range[int, 1, 2**63 - 1]


@app_commands.default_permissions(manage_guild=True)  # members do not see it; the runtime check stays
class CorrectionsAudit(
    commands.GroupCog,
    name=AUDIT_COG,
    group_name="corrections",
    group_description="See and undo the corrections the model learns from (moderators)",
):
    def __init__(self, bot: CaptionBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="list", description="Who corrected which caption, when, and how many pairs")
    @app_commands.describe(user="Only this member's corrections", caption="Only corrections of this caption")
    async def list_corrections(
        self, interaction: discord.Interaction, user: discord.User | None = None, caption: ID | None = None
    ) -> None:
        assert interaction.guild_id is not None
        await require_moderator(interaction, self.bot.service, "see the corrections")
        await defer_private(interaction)
        rows, total = await self.bot.service.moderation.corrections(
            interaction.guild_id, user_id=user.id if user else None, caption_id=caption
        )
        await interaction.followup.send(
            corrections_text(rows, total, reply_language(interaction)), ephemeral=True
        )

    @app_commands.command(name="remove", description="Remove a correction and its training pairs")
    @app_commands.describe(id="The correction's number, as /corrections list shows it (#12: 12)")
    async def remove(self, interaction: discord.Interaction, id: ID) -> None:
        assert interaction.guild_id is not None
        await require_moderator(interaction, self.bot.service, "remove corrections")
        await defer_private(interaction)
        moderation = self.bot.service.moderation
        pairs = await moderation.remove_correction(interaction.guild_id, id)
        total = await self.bot.service.count_pairs(interaction.guild_id)
        await interaction.followup.send(
            removed_correction_text(id, pairs, total, reply_language(interaction)), ephemeral=True
        )


async def setup(bot: CaptionBot) -> None:
    await bot.add_cog(CorrectionsAudit(bot))
