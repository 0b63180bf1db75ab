"""Caption requests cut off by a restart: their users are told to send them again.

Every accepted request is kept in the database until its user has the result or the error (caption_job.py).
At start-up the requests left by the previous run (killed or crashed mid-transcription) are read before the
gateway connects; once it is ready, each user is told in the channel, in a reply to the progress message,
that the bot restarted and they should send it again. One bot process per database is assumed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import discord

from bot.core.store import PendingCaptionRow
from bot.discord_app.channels import ServerChannel, server_channel
from bot.discord_app.client import CaptionBot
from bot.discord_app.formatting import interrupted_text
from bot.discord_app.i18n import guild_language, text
from bot.discord_app.permissions import bot_permissions_in, send_permission

log = logging.getLogger("bot.discord.captioning")


class RestartNotices:
    def __init__(self, bot: CaptionBot) -> None:
        self.bot = bot
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Read the leftovers now and tell their users once the bot is ready.

        Called in setup_hook, before the gateway connects, so every pending row is from a previous run.
        """
        leftovers = await self.bot.service.leftover_pending_captions()
        if leftovers:
            log.info("%d caption requests were cut off by a restart; telling their users", len(leftovers))
            self._task = asyncio.create_task(self._tell_all(leftovers), name="restart-notices")

    def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def _tell_all(self, leftovers: list[PendingCaptionRow]) -> None:
        await self.bot.wait_until_ready()
        for row in leftovers:
            try:
                told = await self._tell_one(row)
            except Exception:  # one bad row must not keep the others from being told
                log.exception("could not tell the user of interrupted caption request %s", row.id)
                continue
            if told:
                await self.bot.jobs.settled(row.guild_id, row.id)

    async def _tell_one(self, row: PendingCaptionRow) -> bool:
        """Tell one user; True when the row is done with (told, or no way to tell them left)."""
        channel = await self._channel(row)
        if channel is None:
            log.info("the channel of interrupted caption request %s is gone; nobody to tell", row.id)
            return True
        perms = bot_permissions_in(channel)
        if not getattr(perms, send_permission(channel)):
            log.info(
                "cannot post in channel %s; interrupted request %s not announced", row.channel_id, row.id
            )
            return True
        lang = guild_language(channel.guild)  # posted for the channel to read: the server's language
        if row.message_id is not None:  # the progress line would otherwise say "Transcribing… 40%" forever
            with contextlib.suppress(discord.HTTPException):  # deleted or not editable: the reply still tells
                await channel.get_partial_message(row.message_id).edit(
                    content=text("restart.progress", lang), attachments=[], view=None
                )
        reference = None
        if row.message_id is not None and perms.read_message_history:
            reference = discord.MessageReference(
                message_id=row.message_id,
                channel_id=channel.id,
                guild_id=row.guild_id,
                fail_if_not_exists=False,  # the progress message may be gone: then a plain message
            )
        try:
            await channel.send(
                interrupted_text(row.user_id, row.kind, row.label, lang),
                # send() takes None (its implementation's default) but discord.py's overloads leave None out
                reference=reference,  # type: ignore[arg-type]
                allowed_mentions=discord.AllowedMentions(users=[discord.Object(row.user_id)]),
            )
        except (discord.Forbidden, discord.NotFound):
            log.info("not allowed to tell the user of interrupted request %s in its channel", row.id)
        except discord.HTTPException:
            log.warning("could not announce interrupted request %s; trying at the next start", row.id)
            return False
        return True

    async def _channel(self, row: PendingCaptionRow) -> ServerChannel | None:
        if row.channel_id is None:
            return None
        channel = self.bot.get_channel(row.channel_id)
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(row.channel_id)
            except (discord.NotFound, discord.Forbidden):
                return None
        known = server_channel(channel)
        if known is None or known.guild.id != row.guild_id:
            return None  # only ever the request's own server
        return known
