"""How answers and errors reach users.

A UserError's message is shown as it is: ephemeral for an interaction, a reply plus a ❌ reaction for a
posted message. Anything else is a bug: it is logged with its traceback and the user gets one short line.
Public "thinking…" messages are removed before a private error is sent, because Discord's first followup
after a deferral replaces the deferred message and keeps its visibility.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence

import discord
from discord import app_commands

from bot.core.errors import UserError
from bot.discord_app.formatting import fit_message
from bot.discord_app.i18n import text

log = logging.getLogger("bot.discord")

GENERIC_ERROR = "Something went wrong on our side; it was logged."
OUTDATED_COMMAND = "This command has changed since Discord last loaded it; reload Discord and try again."
DM_REFUSAL = text("error.dm")  # English; the tree answers in the member's language (i18n)
WORKING = "🎙️"
FAILED = "❌"
SAVED = "✅"
_PUBLIC_DEFER = "caption_bot.public_defer"

NO_MENTIONS = discord.AllowedMentions.none()


def user_message(error: BaseException, *, context: str = "") -> str:
    """What the user reads about an error; unexpected errors are logged here, once."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, UserError):
        return fit_message(str(error))  # one line already; a long name or link in it must not break the limit
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return OUTDATED_COMMAND
    log.error("unexpected error%s", f" in {context}" if context else "", exc_info=error)
    return GENERIC_ERROR


def as_files(files: Sequence[tuple[str, bytes]]) -> list[discord.File]:
    return [discord.File(io.BytesIO(data), filename=name) for name, data in files]


async def defer_public(interaction: discord.Interaction) -> int | None:
    """Acknowledge at once with a public "thinking…" message that progress edits will fill in.

    Returns that message's id when Discord reports it (it does, with the callback response).
    """
    response = await interaction.response.defer(thinking=True)
    interaction.extras[_PUBLIC_DEFER] = True
    return response.message_id if response is not None else None


async def defer_private(interaction: discord.Interaction) -> None:
    await interaction.response.defer(thinking=True, ephemeral=True)


async def send_private(interaction: discord.Interaction, text: str) -> None:
    """An ephemeral answer whatever state the interaction is in."""
    if not interaction.response.is_done():
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        return
    if interaction.extras.pop(_PUBLIC_DEFER, False):
        try:  # the public progress message goes; the reason is for the requester's eyes only
            await interaction.delete_original_response()
        except discord.HTTPException:
            log.warning("could not delete the public progress message before an error", exc_info=True)
    await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def report_interaction_error(interaction: discord.Interaction, error: BaseException) -> None:
    name = interaction.command.qualified_name if interaction.command else "an interaction"
    text = user_message(error, context=f"/{name}" if interaction.command else name)
    try:
        await send_private(interaction, text)
    except discord.HTTPException:
        log.warning("could not tell the user about an error in %s", name, exc_info=True)


async def react(message: discord.Message, emoji: str, *, add: bool = True) -> None:
    """Best effort: a missing reaction is no reason to fail the work."""
    try:
        if add:
            await message.add_reaction(emoji)
        else:
            me = message.guild.me if message.guild else None
            if me is not None:
                await message.remove_reaction(emoji, me)
    except discord.HTTPException:
        log.info("could not %s reaction %s", "add" if add else "remove", emoji, exc_info=True)


async def report_message_error(
    message: discord.Message,
    error: BaseException,
    *,
    status: discord.Message | None = None,
    can_react: bool = True,
) -> None:
    """For a posted message: the reason in the bot's reply (or its progress message) and a ❌ reaction."""
    text = fit_message(f"{FAILED} " + user_message(error, context="a message"))
    try:
        if status is not None:
            await status.edit(content=text, attachments=[], view=None, allowed_mentions=NO_MENTIONS)
        else:
            await message.reply(text, mention_author=False, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        log.warning("could not tell the user about an error in a message", exc_info=True)
    if can_react:
        await react(message, WORKING, add=False)
        await react(message, FAILED)
