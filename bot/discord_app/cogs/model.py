"""/model show: the server's model, its numbers and history; /rollback (moderators) goes back one version."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.config import BUNDLED_MODEL
from bot.discord_app.client import CaptionBot
from bot.discord_app.formatting import model_report, rollback_text
from bot.discord_app.i18n import reply_language
from bot.discord_app.permissions import require_moderator
from bot.discord_app.replies import defer_private, defer_public


class Model(commands.GroupCog, group_name="model", group_description="This server's speech model"):
    def __init__(self, bot: CaptionBot) -> None:
        self.bot = bot
        super().__init__()

    @property
    def base_label(self) -> str:
        base = self.bot.config.model.base
        return "Whisper tiny.en" if base == BUNDLED_MODEL else base

    @app_commands.command(name="show", description="The model this server uses, its scores and its history")
    async def show(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await defer_private(interaction)
        service = self.bot.service
        active = await service.active_model(interaction.guild_id)
        history = await service.model_history(interaction.guild_id)
        plan = await service.serving_plan(interaction.guild_id)
        lang = reply_language(interaction)
        await interaction.followup.send(model_report(active, history, plan, self.base_label, lang))


class Rollback(commands.Cog):
    """/rollback on its own: a group shares one default_member_permissions, and /model show is for everyone."""

    def __init__(self, bot: CaptionBot, model: Model) -> None:
        self.bot = bot
        self.model = model

    @app_commands.command(name="rollback", description="Go back to the previous model (moderators)")
    @app_commands.default_permissions(manage_guild=True)  # members do not see it; the runtime check stays
    async def rollback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await require_moderator(interaction, self.bot.service, "roll the model back")
        await defer_public(interaction)
        previous = await self.bot.service.rollback_model(interaction.guild_id)
        await interaction.followup.send(
            rollback_text(previous, self.model.base_label, reply_language(interaction))
        )


async def setup(bot: CaptionBot) -> None:
    model = Model(bot)
    await bot.add_cog(model)
    await bot.add_cog(Rollback(bot, model))
