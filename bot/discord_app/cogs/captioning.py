"""Captioning: /caption for a link or a file, and posted voice messages and audio/video files.

Progress and result share one message: the deferred reply of /caption, or the bot's reply to a posted
file. That message ends as the caption (file attached, preview, Correct button) and is remembered as the
caption's message so replies to it can be taken as corrections.

Every accepted request is kept in the database until its user has the result or the error, so that one cut
off by a restart can be announced to its user at the next start (restart_notices.py).
"""

from __future__ import annotations

import logging
import re
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import media
from bot.discord_app.attachments import is_media, media_attachments
from bot.discord_app.caption_job import CaptionRequest
from bot.discord_app.channels import bot_permissions, server_channel
from bot.discord_app.client import CaptionBot
from bot.discord_app.formatting import (
    CaptionPost,
    caption_post,
    fit_message,
    progress_text,
    short_name,
)
from bot.discord_app.permissions import (
    missing,
    missing_text,
    require_bot_permissions,
    send_permission,
)
from bot.discord_app.replies import (
    NO_MENTIONS,
    WORKING,
    as_files,
    defer_public,
    react,
    report_interaction_error,
    report_message_error,
)
from bot.discord_app.restart_notices import RestartNotices
from bot.discord_app.views import caption_view
from bot.errors import BusyError, MediaError, UserError
from bot.service import CaptionResult

log = logging.getLogger("bot.discord.captioning")
LANGUAGE = re.compile(r"auto|[a-z]{2,3}")


def checked_language(language: str | None) -> str | None:
    if language is None:
        return None
    code = language.strip().lower()
    if not LANGUAGE.fullmatch(code):
        raise UserError(f"'{language[:20]}' is not a language code; use a code such as en, de or fr, or auto")
    return code


def checked_source(link: str | None, file: discord.Attachment | None) -> str | discord.Attachment:
    if (link is None) == (file is None):
        raise UserError("give either a link or a file to caption (one of them)")
    if file is not None:
        if not is_media(file.filename, file.content_type):
            raise MediaError(
                f"{short_name(file.filename)} is not an audio or video file; attach audio, video or a voice "
                "message"
            )
        return file
    link = (link or "").strip()
    if not media.is_link(link):
        raise MediaError(f"'{link[:100]}' is not a link; paste the full address of the video (https://…)")
    return link


class Captioning(commands.Cog):
    def __init__(self, bot: CaptionBot) -> None:
        self.bot = bot
        self.restart_notices = RestartNotices(bot)

    async def cog_load(self) -> None:
        await self.restart_notices.start()

    async def cog_unload(self) -> None:
        self.restart_notices.stop()

    # --- /caption -------------------------------------------------------------------------------------

    @app_commands.command(name="caption", description="Caption a video link or an audio/video file")
    @app_commands.rename(fmt="format")
    @app_commands.describe(
        link="A link to the video (allowed sites only)",
        file="An audio or video file instead of a link",
        fmt="Captions file format (default: vtt)",
        language="Spoken language code such as en, or auto (default: the server's setting)",
    )
    async def caption(
        self,
        interaction: discord.Interaction,
        link: str | None = None,
        file: discord.Attachment | None = None,
        fmt: Literal["vtt", "srt", "txt"] = "vtt",
        language: str | None = None,
    ) -> None:
        assert interaction.guild_id is not None  # the tree refuses DMs
        source = checked_source(link, file)
        language = checked_language(language)
        require_bot_permissions(interaction.app_permissions, ["attach_files"], "post captions")
        ticket = self.bot.jobs.admit(interaction.guild_id, interaction.user.id)
        pending: int | None = None
        try:
            message_id = await defer_public(interaction)
            if message_id is None:
                message_id = (await interaction.original_response()).id
            request = CaptionRequest(
                interaction.guild_id,
                interaction.user.id,
                interaction.channel_id,
                source,
                title=file.filename if file else None,
                language=language,
            )
            pending = await self.bot.jobs.remember(request, message_id)
            result = await self.bot.jobs.run(
                ticket, request, lambda text: interaction.edit_original_response(content=text)
            )
            await self._deliver(interaction, result, fmt, message_id)
        except Exception as error:  # told here, so the request is settled only once the user knows
            await report_interaction_error(interaction, error)
        finally:
            ticket.close()
        await self.bot.jobs.settled(interaction.guild_id, pending)  # not reached when cancelled (stopping)

    async def _deliver(
        self, interaction: discord.Interaction, result: CaptionResult, fmt: str, message_id: int
    ) -> None:
        assert interaction.guild_id is not None
        # remembered before it is shown, so a reply to it can never arrive first
        await self.bot.service.store.set_caption_message(interaction.guild_id, result.caption_id, message_id)
        post = self._post(result, fmt)
        try:
            await interaction.edit_original_response(
                content=post.content, attachments=as_files(post.files), view=caption_view(result.caption_id)
            )
        except discord.NotFound:  # the token lasts 15 minutes (a long wait can outlive it), or it was deleted
            await self._post_in_channel(interaction, result.caption_id, post)

    async def _post_in_channel(
        self, interaction: discord.Interaction, caption_id: int, post: CaptionPost
    ) -> None:
        """The caption as a channel message addressed to its requester, when the reply cannot be edited."""
        channel = server_channel(interaction.channel)
        assert interaction.guild_id is not None and channel is not None
        require_bot_permissions(interaction.app_permissions, ["send_messages"], "post your captions")
        message = await channel.send(
            fit_message(f"{interaction.user.mention} {post.content}"),
            files=as_files(post.files),
            view=caption_view(caption_id),
            allowed_mentions=discord.AllowedMentions(users=[interaction.user]),
        )
        await self.bot.service.store.set_caption_message(interaction.guild_id, caption_id, message.id)

    def _post(self, result: CaptionResult, fmt: str) -> CaptionPost:
        return caption_post(
            caption_id=result.caption_id,
            cues=result.cues,
            text=result.text,
            title=result.title,
            duration=result.duration,
            model_version=result.model_version,
            fmt=fmt,
            preview_chars=self.bot.config.discord.preview_chars,
        )

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
        if not await self.bot.service.store.autocaption(message.guild.id):
            return
        await self.caption_message(message, found[0])

    async def _not_media(self, message: discord.Message) -> None:
        """Someone asked the bot (a mention) about files it cannot caption: say so."""
        perms = bot_permissions(message.channel)
        if missing(perms, [send_permission(message.channel), "read_message_history"]):
            return
        names = short_name(", ".join(a.filename for a in message.attachments), 200)
        error = MediaError(f"{names} is not audio or video; I caption voice messages, audio and video files")
        await report_message_error(message, error, can_react=perms.add_reactions)

    async def caption_message(self, message: discord.Message, attachment: discord.Attachment) -> None:
        assert message.guild is not None
        perms = bot_permissions(message.channel)
        if not getattr(perms, send_permission(message.channel)):
            log.info("cannot post in channel %s; a posted file was not captioned", message.channel.id)
            return
        absent = missing(perms, ["read_message_history", "attach_files"])
        if absent:
            await message.channel.send(
                missing_text(absent, "caption posted files"), allowed_mentions=NO_MENTIONS
            )
            return
        can_react = perms.add_reactions
        try:
            ticket = self.bot.jobs.admit(message.guild.id, message.author.id)
        except BusyError as error:
            await report_message_error(message, error, can_react=can_react)
            return
        status: discord.Message | None = None
        pending: int | None = None
        try:
            if can_react:
                await react(message, WORKING)
            status = await message.reply(
                progress_text("waiting", place=ticket.position),
                mention_author=False,
                allowed_mentions=NO_MENTIONS,
            )
            voice = message.flags.voice
            request = CaptionRequest(
                message.guild.id,
                message.author.id,
                message.channel.id,
                attachment,
                title="voice message" if voice else attachment.filename,
                voice=voice,
            )
            pending = await self.bot.jobs.remember(request, status.id)
            result = await self.bot.jobs.run(ticket, request, lambda text: status.edit(content=text))
            await self.bot.service.store.set_caption_message(message.guild.id, result.caption_id, status.id)
            post = self._post(result, "vtt")
            await status.edit(
                content=post.content, attachments=as_files(post.files), view=caption_view(result.caption_id)
            )
            if can_react:
                await react(message, WORKING, add=False)
        except Exception as error:
            await report_message_error(message, error, status=status, can_react=can_react)
        finally:
            ticket.close()
        await self.bot.jobs.settled(message.guild.id, pending)  # not reached when cancelled (stopping)


async def setup(bot: CaptionBot) -> None:
    await bot.add_cog(Captioning(bot))
