"""Caption buttons on links posted in chat, in channels where a moderator turned them on.

A message with a link /caption would accept gets a short reply with a Caption button; nothing is downloaded
until someone presses it. The press captions the link through the Caption message command's path, so the
captions reply to the linked message and refusals are the same; the button's prompt goes once it is done.
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.core.errors import UserError
from bot.core.store import ChannelSetting
from bot.discord_app.attachments import media_attachments
from bot.discord_app.channels import bot_permissions, server_channel, setting_channels
from bot.discord_app.client import CaptionBot
from bot.discord_app.cogs.message_caption import MessageCaption
from bot.discord_app.i18n import guild_language, refusal, text
from bot.discord_app.message_media import allowed_link
from bot.discord_app.permissions import send_permission
from bot.discord_app.replies import NO_MENTIONS
from bot.discord_app.views import LINK_BUTTONS_COG, CaptionLinkButton, link_view

log = logging.getLogger("bot.discord.link_buttons")
PROMPT = text("link.prompt")  # English; the channel reads it in the server's language
MESSAGE_GONE = text("error.link_message_gone")  # English; the presser reads it in their language


class LinkButtons(commands.Cog, name=LINK_BUTTONS_COG):
    def __init__(self, bot: CaptionBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(CaptionLinkButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(CaptionLinkButton)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.guild is None or media_attachments(message.attachments):
            return  # posted media is autocaption's (or the message command's)
        if "http" not in message.content.lower():
            return
        where = setting_channels(message.channel)
        service = self.bot.service
        if not await service.channel_setting(message.guild.id, ChannelSetting.LINK_BUTTONS, where):
            return
        if not await service.channel_setting(message.guild.id, ChannelSetting.ON_REQUEST, where):
            return  # a press would be refused: captions on request are off here
        if await allowed_link(message.content, self.bot.config.media) is None:
            return
        if not getattr(bot_permissions(message.channel), send_permission(message.channel)):
            log.info("cannot post in channel %s; no Caption button for a link", message.channel.id)
            return
        lang = guild_language(message.guild)  # a message everyone reads: the server's language
        await message.reply(
            text("link.prompt", lang),
            view=link_view(message.id, lang),
            mention_author=False,
            allowed_mentions=NO_MENTIONS,
            silent=True,
        )

    async def caption_link(self, interaction: discord.Interaction, message_id: int) -> None:
        """A press: caption the linked message like the Caption message command, then drop the prompt."""
        channel = server_channel(interaction.channel)
        if channel is None:
            raise refusal(UserError, "error.link_message_gone")
        try:
            message = await channel.fetch_message(message_id)
        except discord.NotFound:
            raise refusal(UserError, "error.link_message_gone") from None
        captioner = self.bot.get_cog("MessageCaption")
        if not isinstance(captioner, MessageCaption):
            raise RuntimeError("the message caption cog is not loaded")
        if await captioner.caption(interaction, message) and interaction.message is not None:
            try:
                await interaction.message.delete()
            except discord.HTTPException:
                log.info("could not remove a Caption button's prompt", exc_info=True)


async def setup(bot: CaptionBot) -> None:
    await bot.add_cog(LinkButtons(bot))
