"""What in a chat message can be captioned: its first audio/video attachment, or else its first allowed link.

Shared by the Caption message command and the Caption buttons on links, so both accept and refuse the same
messages. Links are checked with the same allowlist as /caption (downloads.check_link, in a thread because it
may resolve the host name); nothing is fetched here.
"""

from __future__ import annotations

import asyncio
import re

import discord

from bot.core.config import MediaConfig
from bot.core.errors import MediaError
from bot.core.media import downloads
from bot.discord_app.attachments import media_attachments

# http(s) links as Discord shows them, also inside <...> (no embed); trailing punctuation is not part of it
LINK = re.compile(r"https?://[^\s<>|]+", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\"*_~"
NOTHING_TO_CAPTION = (
    "That message has no audio, video or link I can caption; use Caption on a voice message, an audio or "
    "video file, or a message with a video link."
)


def links_in(text: str) -> list[str]:
    """The links in a message's text, in order, without the punctuation that ends a sentence."""
    return [match.rstrip(TRAILING) for match in LINK.findall(text or "")]


async def allowed_link(text: str, config: MediaConfig) -> str | None:
    """The first link in `text` that /caption would accept, normalised; None when there is none."""
    for link in links_in(text):
        try:
            return await asyncio.to_thread(downloads.check_link, link, config)
        except MediaError:
            continue
    return None


async def message_source(message: discord.Message, config: MediaConfig) -> str | discord.Attachment:
    """What to caption in `message`, or a MediaError of one line saying why there is nothing."""
    found = media_attachments(message.attachments)
    if found:
        return found[0]
    links = links_in(message.content)
    if not links:
        raise MediaError(NOTHING_TO_CAPTION)
    link = await allowed_link(message.content, config)
    if link is None:  # say why the first one is refused (the allowlist, a private address...)
        await asyncio.to_thread(downloads.check_link, links[0], config)
        raise MediaError(NOTHING_TO_CAPTION)
    return link
