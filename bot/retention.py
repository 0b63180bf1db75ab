"""Stored audio is deleted after `storage.retention_days`; captions, corrections and metrics stay.

Run periodically by the bot and on demand by `python -m bot retention`. Rows are updated before files are
removed, so a crash in between leaves at most an orphan file, never a row pointing at missing audio.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict

from bot.audio import remove_files
from bot.store import Store

DAY = 86400.0


async def apply_retention(store: Store, retention_days: int, *, now: float | None = None) -> int:
    """Delete audio older than retention_days (0 keeps it forever); returns the number of files removed."""
    if retention_days <= 0:
        return 0
    cutoff = (now if now is not None else time.time()) - retention_days * DAY
    expired = await store.media_with_audio_older_than(cutoff)
    by_guild: dict[int, list[int]] = defaultdict(list)
    for media in expired:
        by_guild[media.guild_id].append(media.id)
    for guild_id, media_ids in by_guild.items():
        await store.clear_audio(guild_id, media_ids)
    return await asyncio.to_thread(remove_files, [m.audio_path for m in expired if m.audio_path])
