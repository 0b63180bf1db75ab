"""Stored audio is deleted after `storage.retention_days`; captions, corrections and metrics stay.

Run periodically by the bot and on demand by `python -m bot retention`. Rows are updated before files are
removed, so a crash in between leaves at most an orphan file, never a row pointing at missing audio. Orphans
(that, or a crash between the audio's rename into place and its row) are found by listing the audio folders:
a file no media row names, older than a minute so a caption still being ingested keeps its file.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from pathlib import Path

from bot.core.media.audio import remove_files
from bot.core.store import Store
from bot.core.store.paths import within

DAY = 86400.0
ORPHAN_GRACE_SECONDS = 60.0  # an ingest renames its file in, then writes its row within this


async def apply_retention(
    store: Store, data_dir: Path, retention_days: int, *, now: float | None = None
) -> int:
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
    paths = [path for m in expired if m.audio_path and (path := within(data_dir, m.audio_path)) is not None]
    return await asyncio.to_thread(remove_files, paths)


async def remove_orphan_audio(store: Store, data_dir: Path, *, now: float | None = None) -> int:
    """Delete files under data_dir/audio/<guild>/ that no media row references and that are older than
    ORPHAN_GRACE_SECONDS; returns how many were removed."""
    cutoff = (now if now is not None else time.time()) - ORPHAN_GRACE_SECONDS
    removed = 0
    for guild_dir in await asyncio.to_thread(_guild_dirs, data_dir / "audio"):
        stored = await store.audio_paths(int(guild_dir.name))
        referenced = {path for p in stored if (path := within(data_dir, p)) is not None}
        old = await asyncio.to_thread(_files_older_than, guild_dir, cutoff)
        removed += await asyncio.to_thread(remove_files, [f for f in old if f.resolve() not in referenced])
    return removed


def _guild_dirs(audio_root: Path) -> list[Path]:
    if not audio_root.is_dir():
        return []
    return [d for d in audio_root.iterdir() if d.is_dir() and d.name.isdigit()]


def _files_older_than(folder: Path, cutoff: float) -> list[Path]:
    return [f for f in folder.iterdir() if f.is_file() and f.stat().st_mtime < cutoff]
