"""/settings (moderators): autocaption, Caption buttons on links and captions on request (server or channel),
who may correct, who moderates (Manage Server only), language, whether the server trains (off, opt-out,
opt-in), how captions are posted (replies); show.

The whole group is for moderators (default_member_permissions), so members do not see it; each command
still checks, because server owners can re-assign the group in Discord's Integrations settings.
"""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import UserError
from bot.core.store import ChannelSetting
from bot.core.transcription.languages import checked_language
from bot.discord_app.client import CaptionBot
from bot.discord_app.i18n import refusal, reply_language, text
from bot.discord_app.permissions import require_manage_server, require_moderator
from bot.discord_app.privacy_text import training_mode_text
from bot.discord_app.replies import defer_public, send_private
from bot.discord_app.settings_text import (
    change_text,
    correctors_text,
    language_text,
    moderators_text,
    reply_style_text,
    settings_text,
)

State = Literal["on", "off", "default"]
STATE_HELP = "on or off; default: the channel follows the server's setting again"
CHANNEL_HELP = "Only this channel (default: the whole server)"


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
    @app_commands.describe(state=STATE_HELP, channel=CHANNEL_HELP)
    async def autocaption(
        self, interaction: discord.Interaction, state: State, channel: discord.TextChannel | None = None
    ) -> None:
        await require_moderator(interaction, self.bot.service, "change the caption settings")
        await self._change(interaction, ChannelSetting.AUTOCAPTION, state, channel)

    @app_commands.command(name="linkbutton", description="Give messages with a video link a Caption button")
    @app_commands.describe(state=STATE_HELP, channel=CHANNEL_HELP)
    async def linkbutton(
        self, interaction: discord.Interaction, state: State, channel: discord.TextChannel | None = None
    ) -> None:
        await require_moderator(interaction, self.bot.service, "change the caption settings")
        await self._change(interaction, ChannelSetting.LINK_BUTTONS, state, channel)

    @app_commands.command(
        name="requests", description="Whether members may caption messages here with the Caption menu"
    )
    @app_commands.describe(state=STATE_HELP, channel=CHANNEL_HELP)
    async def requests(
        self, interaction: discord.Interaction, state: State, channel: discord.TextChannel | None = None
    ) -> None:
        """The Caption message command and Caption buttons (on by default): a channel where the bot should
        not post others' recordings' captions turns them off, whoever could otherwise post there."""
        await require_moderator(interaction, self.bot.service, "change the caption settings")
        await self._change(interaction, ChannelSetting.ON_REQUEST, state, channel)

    @app_commands.command(name="correctors", description="Who may correct captions: a role, or @everyone")
    @app_commands.describe(
        role="Members with this role (and moderators) may correct; @everyone: everyone may"
    )
    async def correctors(self, interaction: discord.Interaction, role: discord.Role) -> None:
        assert interaction.guild_id is not None
        await require_moderator(interaction, self.bot.service, "change the caption settings")
        role_id = None if role.is_default() else role.id  # @everyone is the server's default: no limit
        await defer_public(interaction)
        await self.bot.service.set_corrector_role(interaction.guild_id, role_id)
        await interaction.followup.send(correctors_text(role_id, reply_language(interaction)))

    @app_commands.command(
        name="moderators", description="Which role moderates the caption bot here (Manage Server only)"
    )
    @app_commands.describe(
        role="Members with this role may run moderator commands; @everyone: only Manage Server"
    )
    async def moderators(self, interaction: discord.Interaction, role: discord.Role) -> None:
        """Matched by the role's id from now on; a role of the same name made later does not count. Only
        Manage Server may choose it, so holders of the role cannot hand it on or widen it."""
        assert interaction.guild_id is not None
        await require_moderator(interaction, self.bot.service, "change the caption settings")
        require_manage_server(interaction, "choose the moderator role")
        role_id = None if role.is_default() else role.id  # @everyone: no role, Manage Server only
        await defer_public(interaction)
        await self.bot.service.set_moderator_role(interaction.guild_id, role_id)
        await interaction.followup.send(moderators_text(role_id, reply_language(interaction)))

    @app_commands.command(name="language", description="The spoken language of this server's captions")
    @app_commands.describe(code="A language code such as en, de or fr, or auto to detect it per caption")
    async def language(self, interaction: discord.Interaction, code: str) -> None:
        await require_moderator(interaction, self.bot.service, "change the caption settings")
        assert interaction.guild_id is not None
        chosen = checked_language(code)
        assert chosen is not None
        # refused before it is stored when the model cannot do it (one line naming the model setting)
        await self.bot.service.resolve_language(interaction.guild_id, chosen)
        await defer_public(interaction)
        await self.bot.service.set_server_language(interaction.guild_id, chosen)
        await interaction.followup.send(language_text(chosen, reply_language(interaction)))

    @app_commands.command(
        name="training",
        description="Whether this server trains its model on members' voice notes and corrections",
    )
    @app_commands.describe(
        mode="off: never; opt-out: members train unless they opt out; opt-in: only those who opt in"
    )
    @app_commands.choices(
        mode=[
            app_commands.Choice(name="off: never train", value="off"),
            app_commands.Choice(name="opt-out: train unless a member opts out", value="opt_out"),
            app_commands.Choice(name="opt-in: train only members who opt in", value="opt_in"),
        ]
    )
    async def training(self, interaction: discord.Interaction, mode: app_commands.Choice[str]) -> None:
        assert interaction.guild_id is not None
        await require_moderator(interaction, self.bot.service, "change the caption settings")
        await defer_public(interaction)
        await self.bot.service.set_training_mode(interaction.guild_id, mode.value)
        lang = reply_language(interaction)
        mode_line = training_mode_text(mode.value, lang)
        await interaction.followup.send(text("settings.training_hint", lang, mode=mode_line))

    @app_commands.command(name="replies", description="How captions are posted: a file, or plain text")
    @app_commands.describe(style="file: the .vtt attached; text: short media as words, the .vtt on a button")
    @app_commands.choices(
        style=[
            app_commands.Choice(name="file: attach the captions file (default)", value="file"),
            app_commands.Choice(name="text: the words in the message, .vtt on request", value="text"),
        ]
    )
    async def replies(self, interaction: discord.Interaction, style: app_commands.Choice[str]) -> None:
        assert interaction.guild_id is not None
        await require_moderator(interaction, self.bot.service, "change the caption settings")
        await defer_public(interaction)
        await self.bot.service.set_reply_style(interaction.guild_id, style.value)
        limit = self.bot.config.discord.text_reply_max_seconds
        await interaction.followup.send(reply_style_text(style.value, limit, reply_language(interaction)))

    @app_commands.command(name="show", description="The server's caption settings and each channel's own")
    async def show(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await require_moderator(interaction, self.bot.service, "see the caption settings")
        service = self.bot.service
        settings = await service.server_settings(interaction.guild_id)
        role_id = await service.corrector_role(interaction.guild_id)
        moderators = await service.moderator_role(interaction.guild_id)
        await send_private(
            interaction, settings_text(settings, role_id, moderators, reply_language(interaction))
        )

    async def _change(
        self,
        interaction: discord.Interaction,
        name: ChannelSetting,
        state: State,
        channel: discord.TextChannel | None,
    ) -> None:
        assert interaction.guild_id is not None
        if state == "default" and channel is None:
            raise refusal(UserError, "error.default_needs_channel")
        enabled = None if state == "default" else state == "on"
        await defer_public(interaction)
        channel_id = channel.id if channel else None
        await self.bot.service.set_channel_setting(interaction.guild_id, name, channel_id, enabled)
        mention = channel.mention if channel else None
        await interaction.followup.send(change_text(name, enabled, mention, reply_language(interaction)))


async def setup(bot: CaptionBot) -> None:
    await bot.add_cog(Settings(bot))
