"""Captioning: /caption for a link or a file, and posted voice messages and audio/video files.

Progress and result share one message: the deferred reply of /caption, or the bot's reply to a posted
file. That message ends as the caption (file attached, preview, Correct button) and is remembered as the
caption's message so replies to it can be taken as corrections.

This cog checks what it is given and says where the answer goes; the request's way from admission to that
answer is written once, in caption_flow.py. Requests cut off by a restart are announced by
restart_notices.py, started here.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Awaitable, Callable
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import MediaError, NotFoundError, UserError
from bot.core.media import downloads
from bot.core.store import ChannelSetting
from bot.core.transcription.languages import checked_language
from bot.discord_app.attachments import is_media, media_attachments
from bot.discord_app.caption_flow import CaptionReply, InteractionReply, message_reply, serve
from bot.discord_app.caption_job import CaptionRequest
from bot.discord_app.channels import bot_permissions, setting_channels
from bot.discord_app.client import CaptionBot
from bot.discord_app.formatting import VOICE_TITLE, short_name
from bot.discord_app.i18n import guild_language, refusal, reply_language
from bot.discord_app.permissions import missing, require_bot_permissions, send_permission
from bot.discord_app.replies import report_message_error
from bot.discord_app.restart_notices import RestartNotices
from bot.discord_app.views import CAPTIONING_COG, CaptionFileButton


def checked_source(link: str | None, file: discord.Attachment | None) -> str | discord.Attachment:
    if (link is None) == (file is None):
        raise refusal(UserError, "error.link_or_file")
    if file is not None:
        if not is_media(file.filename, file.content_type):
            raise refusal(MediaError, "error.not_media_file", name=short_name(file.filename))
        return file
    link = (link or "").strip()
    if not downloads.is_link(link):
        raise refusal(MediaError, "error.not_a_link", link=link[:100])
    return link


class Captioning(commands.Cog, name=CAPTIONING_COG):
    def __init__(self, bot: CaptionBot) -> None:
        self.bot = bot
        self.restart_notices = RestartNotices(bot)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(CaptionFileButton)
        await self.restart_notices.start()

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(CaptionFileButton)
        self.restart_notices.stop()

    # --- the Get .vtt button of a 'text' style caption ----------------------------------------------------

    async def send_caption_file(self, interaction: discord.Interaction, caption_id: int) -> None:
        """The caption's .vtt, to whoever pressed (ephemeral: the channel keeps its plain words)."""
        if interaction.guild_id is None:
            raise refusal(UserError, "error.dm")
        try:
            made = await self.bot.service.caption_file(interaction.guild_id, caption_id, "vtt")
        except NotFoundError:
            raise refusal(NotFoundError, "error.caption_file_gone") from None
        await interaction.response.send_message(
            file=discord.File(io.BytesIO(made.data), filename=made.name), ephemeral=True
        )

    # --- /caption -------------------------------------------------------------------------------------

    @app_commands.command(name="caption", description="Caption a video link or an audio/video file")
    @app_commands.rename(fmt="format")
    @app_commands.describe(
        link="A link to the video (allowed sites only)",
        file="An audio or video file instead of a link",
        fmt="Captions file format (default: the server's reply style, else vtt)",
        language="Spoken language code such as en, or auto (default: the server's setting)",
        task="translate: English captions of speech in any language (multilingual models)",
    )
    async def caption(
        self,
        interaction: discord.Interaction,
        link: str | None = None,
        file: discord.Attachment | None = None,
        fmt: Literal["vtt", "srt", "txt"] | None = None,
        language: str | None = None,
        task: Literal["transcribe", "translate"] = "transcribe",
    ) -> None:
        assert interaction.guild_id is not None  # the tree refuses DMs
        guild_id = interaction.guild_id
        source = checked_source(link, file)
        asked = checked_language(language)
        require_bot_permissions(interaction.app_permissions, ["attach_files"], "post captions")
        request = CaptionRequest(
            guild_id,
            interaction.user.id,
            interaction.channel_id,
            source,
            title=file.filename if file else None,
            task=task,
            lang=reply_language(interaction),
        )

        async def resolved(request: CaptionRequest) -> CaptionRequest:
            # refused before anything is downloaded when the model cannot do it (English-only)
            language = await self.bot.service.resolve_language(guild_id, asked, task)
            return dataclasses.replace(request, language=language)

        resolve: Callable[[CaptionRequest], Awaitable[CaptionRequest]] | None = resolved
        if asked is not None or task != "transcribe":  # what was asked is refused at once, before the ack
            request, resolve = await resolved(request), None
        # else the server's language is read once acknowledged: a crowd's acks wait for no database query
        preview_chars = self.bot.config.discord.preview_chars
        await serve(
            self.bot.jobs, request, InteractionReply(interaction), fmt=fmt, preview_chars=preview_chars,
            resolve=resolve,
        )  # fmt: skip

    async def _serve(self, request: CaptionRequest, reply: CaptionReply, fmt: str | None) -> None:
        preview_chars = self.bot.config.discord.preview_chars
        await serve(self.bot.jobs, request, reply, fmt=fmt, preview_chars=preview_chars)

    # --- posted media ------------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.guild is None:
            return
        found = media_attachments(message.attachments)
        if not found:
            asked = self.bot.user in message.mentions and message.reference is None  # replies: corrections
            if message.attachments and asked:
                await self._not_media(message)
            return
        where = setting_channels(message.channel)
        if not await self.bot.service.channel_setting(message.guild.id, ChannelSetting.AUTOCAPTION, where):
            return
        await self.caption_message(message, found[0])

    async def _not_media(self, message: discord.Message) -> None:
        """Someone asked the bot (a mention) about files it cannot caption: say so."""
        perms = bot_permissions(message.channel)
        if missing(perms, [send_permission(message.channel), "read_message_history"]):
            return
        names = short_name(", ".join(a.filename for a in message.attachments), 200)
        error = refusal(MediaError, "error.not_media_posted", names=names)
        await report_message_error(message, error, can_react=perms.add_reactions)

    async def caption_message(self, message: discord.Message, attachment: discord.Attachment) -> None:
        assert message.guild is not None
        reply = await message_reply(message)
        if reply is None:
            return
        voice = message.flags.voice
        request = CaptionRequest(
            message.guild.id,
            message.author.id,
            message.channel.id,
            attachment,
            title=VOICE_TITLE if voice else attachment.filename,
            voice=voice,
            lang=guild_language(message.guild),  # a posted file has no member locale: the server's
        )
        await self._serve(request, reply, None)  # the server's reply style


async def setup(bot: CaptionBot) -> None:
    await bot.add_cog(Captioning(bot))
