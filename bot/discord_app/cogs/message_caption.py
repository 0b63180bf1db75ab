"""Caption from the message menu: right-click a message → Apps → Caption.

Works on any message with an audio/video attachment or an allowed link, also old ones and where autocaption
is off, so a busy server can leave autocaption off and caption on request. The captions reply to that
message through the shared caption flow (caption_flow.AskedReply); refusals are one ephemeral line.
The asker must be able to post in the channel, and a moderator can turn captions on request off there
(/settings requests). The recording is its author's (uploader_id): their /forget removes it and their
training consent decides whether it can ever become training audio, whoever asked for the captions.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import PermissionDeniedError, UserError
from bot.core.store import ChannelSetting
from bot.discord_app.caption_flow import AskedReply, serve
from bot.discord_app.caption_job import CaptionRequest
from bot.discord_app.channels import setting_channels
from bot.discord_app.client import CaptionBot
from bot.discord_app.formatting import VOICE_TITLE
from bot.discord_app.i18n import guild_language, refusal
from bot.discord_app.message_media import message_source
from bot.discord_app.permissions import require_bot_permissions, send_permission

MENU_NAME = "Caption"
NEEDED = ["read_message_history", "attach_files"]


class MessageCaption(commands.Cog):
    def __init__(self, bot: CaptionBot) -> None:
        self.bot = bot
        # context menus cannot be declared as cog methods; registered on load, removed on unload
        self.menu = app_commands.ContextMenu(name=MENU_NAME, callback=self.caption_message)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    async def caption_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        await self.caption(interaction, message)

    async def caption(self, interaction: discord.Interaction, message: discord.Message) -> bool:
        """Caption `message` for whoever asked (the menu here, a Caption button); True once it is posted."""
        assert interaction.guild_id is not None  # the tree refuses DMs
        await self.require_asker_may_post(interaction, message)
        source = await message_source(message, self.bot.config.media)
        needed = [send_permission(message.channel), *NEEDED]
        require_bot_permissions(interaction.app_permissions, needed, "reply with captions")
        await self.bot.service.resolve_language(interaction.guild_id, None)  # the server's, if the model can
        attachment = source if isinstance(source, discord.Attachment) else None
        request = CaptionRequest(
            interaction.guild_id,
            interaction.user.id,
            message.channel.id,
            source,
            title=VOICE_TITLE if message.flags.voice else (attachment.filename if attachment else None),
            voice=bool(attachment and message.flags.voice),
            uploader_id=message.author.id,  # their recording: their /forget removes it
            lang=guild_language(message.guild),  # a public reply to that message: the server's language
        )
        reply = AskedReply(interaction, message)
        preview_chars = self.bot.config.discord.preview_chars
        await serve(self.bot.jobs, request, reply, fmt=None, preview_chars=preview_chars)  # the reply style
        return reply.posted

    async def require_asker_may_post(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """The captions are a reply the bot posts for the asker, so the asker must be able to post there
        (Send Messages, or Send Messages in Threads in a thread: a read-only channel's readers cannot make the
        bot post in it), and the channel must not have captions on request turned off by a moderator."""
        if not getattr(interaction.permissions, send_permission(message.channel)):
            raise refusal(PermissionDeniedError, "error.asker_cannot_post")
        assert interaction.guild_id is not None
        where = setting_channels(message.channel)
        if not await self.bot.service.channel_setting(interaction.guild_id, ChannelSetting.ON_REQUEST, where):
            raise refusal(UserError, "error.requests_off")


async def setup(bot: CaptionBot) -> None:
    await bot.add_cog(MessageCaption(bot))
