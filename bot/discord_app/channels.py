"""Which channels the bot posts in, as one type, so callers need no casts.

discord.py types a message's or an interaction's channel as a wide union (DMs, forums, categories, and the
PartialMessageable it hands over for a channel it has not cached). The bot only ever posts in a server's
text, voice or stage channel or a thread; every other kind is treated here as a channel it cannot post in,
which is what its permissions there (none, for a PartialMessageable) already said.
"""

from __future__ import annotations

from typing import TypeAlias

import discord

from bot.discord_app.permissions import bot_permissions_in

ServerChannel: TypeAlias = discord.TextChannel | discord.VoiceChannel | discord.StageChannel | discord.Thread


def server_channel(channel: object) -> ServerChannel | None:
    """The channel if the bot can post in it as a server channel; None for anything else."""
    return channel if isinstance(channel, ServerChannel) else None


def setting_channels(channel: object) -> list[int]:
    """Where a channel's settings come from, nearest first: a thread's own, then its parent channel's."""
    own: int | None = getattr(channel, "id", None)
    parent_id = channel.parent_id if isinstance(channel, discord.Thread) else None
    return [i for i in (own, parent_id) if i is not None]


def bot_permissions(channel: object) -> discord.Permissions:
    """What the bot may do in a channel; nothing in one that is not a server channel it knows."""
    known = server_channel(channel)
    return bot_permissions_in(known) if known is not None else discord.Permissions.none()
