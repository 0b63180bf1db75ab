"""One caption request's way through the bot, written once for /caption and for posted media.

admit (rate limits, a place in the queue) → remember (the pending row, so a restart can tell the user) →
run (the caption job, its progress shown in one message) → post (that message becomes the caption: file,
preview, Correct button) → settle (the pending row goes once the user has the result or the error).

The two ways in differ only in where that message lives and how the user hears of an error: a deferred
interaction reply and an ephemeral line for /caption; the bot's reply to the message, with reactions, for a
posted file. A CaptionReply carries those differences, so the order of the steps cannot drift apart.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

import discord

from bot.core.errors import BusyError
from bot.discord_app.caption_job import CaptionJobs, CaptionRequest
from bot.discord_app.channels import bot_permissions, server_channel
from bot.discord_app.formatting import CaptionPost, caption_post, fit_message, progress_text
from bot.discord_app.i18n import guild_language, reply_language, text
from bot.discord_app.permissions import missing, missing_text, require_bot_permissions, send_permission
from bot.discord_app.replies import (
    NO_MENTIONS,
    WORKING,
    as_files,
    defer_public,
    react,
    report_interaction_error,
    report_message_error,
    send_private,
)
from bot.discord_app.views import caption_view
from bot.service import CaptionResult

log = logging.getLogger("bot.discord.captioning")


class CaptionReply(Protocol):
    """Where one request is answered: its progress message, its caption, its error."""

    async def start(self, place: int) -> int:
        """Acknowledge the admitted request (`place` in the queue); the id of the progress message."""
        ...

    async def show(self, text: str) -> None:
        """A progress line in the progress message."""
        ...

    async def post(self, post: CaptionPost, caption_id: int) -> int | None:
        """The caption in the progress message; the id of another message when it had to go there."""
        ...

    async def fail(self, error: BaseException) -> None:
        """Tell the user why there is no caption; never raises."""
        ...


async def serve(
    jobs: CaptionJobs,
    request: CaptionRequest,
    reply: CaptionReply,
    *,
    fmt: str | None,
    preview_chars: int,
    resolve: Callable[[CaptionRequest], Awaitable[CaptionRequest]] | None = None,
) -> None:
    """Caption one request and answer it through `reply`, whatever goes wrong.

    `fmt` None: the server's reply style decides (plain words for short media in a 'text' server, else a
    .vtt); a format the member asked for is always a file. `resolve` completes the request (the server's
    language) once it is acknowledged: admission and the acknowledgement wait for no database query, so a
    crowd is acknowledged at once.
    """
    began = time.monotonic()
    try:
        ticket = jobs.admit(request.guild_id, request.user_id)
    except BusyError as error:
        jobs.counted(request, "refused")
        await reply.fail(error)
        return
    jobs.counted(request, "started")
    service = jobs.service
    pending: int | None = None
    try:
        message_id = await reply.start(ticket.position)
        jobs.acknowledged(request, began)
        if resolve is not None:
            request = await resolve(request)
        pending = await jobs.remember(request, message_id)
        result = await jobs.run(ticket, request, reply.show)
        # remembered before it is shown, so a reply to it can never arrive first
        await service.set_caption_message(request.guild_id, result.caption_id, message_id)
        plain = fmt is None and await service.reply_as_text(request.guild_id, result.duration)
        post = _post(result, fmt or "vtt", preview_chars, plain, request.lang)
        moved = await reply.post(post, result.caption_id)
        if moved is not None:
            await service.set_caption_message(request.guild_id, result.caption_id, moved)
        jobs.answered(request, began, result)
    except Exception as error:  # told here, so the request is settled only once the user knows
        jobs.counted(request, "failed")
        await reply.fail(error)
    finally:
        ticket.close()
    await jobs.settled(request.guild_id, pending)  # not reached when cancelled (stopping)


def _post(result: CaptionResult, fmt: str, preview_chars: int, plain: bool, lang: str) -> CaptionPost:
    return caption_post(
        caption_id=result.caption_id,
        cues=result.cues,
        text=result.text,
        title=result.title,
        duration=result.duration,
        model_version=result.model_version,
        fmt=fmt,
        preview_chars=preview_chars,
        teaches=result.teaches,
        plain=plain,
        lang=lang,
    )


class InteractionReply:
    """/caption: the public deferred reply is the progress message; errors are ephemeral."""

    def __init__(self, interaction: discord.Interaction) -> None:
        self.interaction = interaction

    async def start(self, place: int) -> int:
        message_id = await defer_public(self.interaction)  # "thinking…" until the first progress line
        if message_id is None:
            message_id = (await self.interaction.original_response()).id
        return message_id

    async def show(self, text: str) -> None:
        await self.interaction.edit_original_response(content=text)

    async def post(self, post: CaptionPost, caption_id: int) -> int | None:
        try:
            await self.interaction.edit_original_response(
                content=post.content,
                attachments=as_files(post.files),
                view=caption_view(caption_id, file_button=post.plain, lang=post.lang),
            )
        except discord.NotFound:  # the token lasts 15 minutes (a long wait can outlive it), or it was deleted
            return await self._post_in_channel(post, caption_id)
        return None

    async def _post_in_channel(self, post: CaptionPost, caption_id: int) -> int:
        """The caption as a channel message addressed to its requester, when the reply cannot be edited."""
        interaction = self.interaction
        channel = server_channel(interaction.channel)
        assert channel is not None  # /caption runs in a server channel or thread
        require_bot_permissions(interaction.app_permissions, ["send_messages"], "post your captions")
        message = await channel.send(
            fit_message(f"{interaction.user.mention} {post.content}"),
            files=as_files(post.files),
            view=caption_view(caption_id, file_button=post.plain, lang=post.lang),
            allowed_mentions=discord.AllowedMentions(users=[interaction.user]),
        )
        return message.id

    async def fail(self, error: BaseException) -> None:
        await report_interaction_error(self.interaction, error)


class MessageReply:
    """A posted file: the bot's reply is the progress message; 🎙️ while working, ❌ and a reason on error."""

    def __init__(self, message: discord.Message, *, can_react: bool) -> None:
        self.message = message
        self.can_react = can_react
        self.lang = guild_language(message.guild)  # a reply everyone reads: the server's language
        self.status: discord.Message | None = None  # the bot's reply, once sent

    async def start(self, place: int) -> int:
        if self.can_react:
            await react(self.message, WORKING)
        self.status = await self.message.reply(
            progress_text("waiting", place=place, lang=self.lang),
            mention_author=False,
            allowed_mentions=NO_MENTIONS,
        )
        return self.status.id

    async def show(self, text: str) -> None:
        assert self.status is not None  # progress starts after start()
        await self.status.edit(content=text)

    async def post(self, post: CaptionPost, caption_id: int) -> int | None:
        assert self.status is not None
        await self.status.edit(
            content=post.content,
            attachments=as_files(post.files),
            view=caption_view(caption_id, file_button=post.plain, lang=post.lang),
        )
        if self.can_react:
            await react(self.message, WORKING, add=False)
        return None

    async def fail(self, error: BaseException) -> None:
        await report_message_error(self.message, error, status=self.status, can_react=self.can_react)


async def message_reply(message: discord.Message) -> MessageReply | None:
    """The reply for a posted file, or None when the bot may not caption in its channel (said there if it can)."""
    perms = bot_permissions(message.channel)
    if not getattr(perms, send_permission(message.channel)):
        log.info("cannot post in channel %s; a posted file was not captioned", message.channel.id)
        return None
    absent = missing(perms, ["view_channel", "read_message_history", "attach_files"])
    if absent:
        await message.channel.send(missing_text(absent, "caption posted files"), allowed_mentions=NO_MENTIONS)
        return None
    return MessageReply(message, can_react=perms.add_reactions)


class AskedReply(MessageReply):
    """Captions asked for on someone's message (the Caption message command or a Caption button).

    The captions reply to that message, as for a posted file, so everyone reading it finds them there; the
    person who asked is answered privately: a line that it started, and the reason if it fails (the public
    progress reply is then removed). No reactions on a message that may be someone else's, or old.
    """

    def __init__(self, interaction: discord.Interaction, message: discord.Message) -> None:
        super().__init__(message, can_react=False)
        self.interaction = interaction
        self.posted = False  # the caption is up (the button's prompt may go then)

    async def start(self, place: int) -> int:
        asked = text("caption.asked", reply_language(self.interaction), link=self.message.jump_url)
        await send_private(self.interaction, asked)
        return await super().start(place)

    async def post(self, post: CaptionPost, caption_id: int) -> int | None:
        moved = await super().post(post, caption_id)
        self.posted = True
        return moved

    async def fail(self, error: BaseException) -> None:
        if self.status is not None:
            try:
                await self.status.delete()
            except discord.HTTPException:
                log.info("could not remove the progress reply of a failed caption", exc_info=True)
        await report_interaction_error(self.interaction, error)
