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
from bot.discord_app.i18n import guild_language, localized, reply_language, text

log = logging.getLogger("bot.discord")

GENERIC_ERROR = text("error.generic")  # English, as the tests name them; users read them in their language
OUTDATED_COMMAND = text("error.outdated")
DM_REFUSAL = text("error.dm")
WORKING = "🎙️"
FAILED = "❌"
SAVED = "✅"
_PUBLIC_DEFER = "caption_bot.public_defer"

NO_MENTIONS = discord.AllowedMentions.none()


def user_message(error: BaseException, *, context: str = "", lang: str = "en") -> str:
    """What the user reads about an error, in `lang` where the catalog has it; unexpected errors are logged
    here, once."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, UserError):
        # one line already; a long name or link in it must not break the limit
        return fit_message(localized(error, lang))
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return text("error.outdated", lang)
    log.error("unexpected error%s", f" in {context}" if context else "", exc_info=error)
    return text("error.generic", lang)


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
    shown = user_message(
        error, context=f"/{name}" if interaction.command else name, lang=reply_language(interaction)
    )
    try:
        await send_private(interaction, shown)
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
    lang = guild_language(message.guild)  # a posted message has no member locale: the server's
    shown = fit_message(f"{FAILED} " + user_message(error, context="a message", lang=lang))
    try:
        if status is not None:
            await status.edit(content=shown, attachments=[], view=None, allowed_mentions=NO_MENTIONS)
        else:
            await message.reply(shown, mention_author=False, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        log.warning("could not tell the user about an error in a message", exc_info=True)
    if can_react:
        await react(message, WORKING, add=False)
        await react(message, FAILED)
