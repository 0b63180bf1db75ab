"""Attachments: which ones are media or captions files, and fetching one into a scratch folder.

The bytes are read with discord.py's HTTP session (no blocking request) and written to disk in a thread;
the file lives only while the caption is made, the service keeps its own decoded copy.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import tempfile
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path, PurePath

import discord

from bot.core.errors import CorrectionError, MediaError
from bot.discord_app.formatting import short_name

MEDIA_SUFFIXES = frozenset(
    [
        ".ogg",
        ".oga",
        ".opus",
        ".mp3",
        ".wav",
        ".m4a",
        ".aac",
        ".flac",
        ".wma",
        ".aif",
        ".aiff",
        ".amr",
        ".weba",
        ".webm",
        ".mp4",
        ".m4v",
        ".mov",
        ".mkv",
        ".avi",
        ".wmv",
        ".mpeg",
        ".mpg",
        ".3gp",
        ".ts",
    ]
)
# playlists call themselves audio, but name other files or URLs for ffmpeg to read; they are never media
PLAYLIST_TYPES = frozenset(
    {"audio/x-mpegurl", "audio/mpegurl", "application/vnd.apple.mpegurl", "application/x-mpegurl"}
    | {"audio/x-scpls", "audio/scpls", "application/pls+xml", "application/xspf+xml", "audio/x-ms-asx"}
)
CAPTION_SUFFIXES = frozenset({".vtt", ".srt"})
MAX_CAPTIONS_FILE_BYTES = 2 * 1024 * 1024


def _suffix(filename: str) -> str:
    return PurePath(filename.lower()).suffix


def is_media(filename: str, content_type: str | None) -> bool:
    """Audio or video, by content type or, when Discord gives none, by the file name's extension."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in PLAYLIST_TYPES:
        return False
    if kind.startswith(("audio/", "video/")):
        return True
    if kind and not kind.startswith("application/octet-stream"):
        return False
    return _suffix(filename) in MEDIA_SUFFIXES


def is_captions_file(filename: str) -> bool:
    return _suffix(filename) in CAPTION_SUFFIXES


def media_attachments(attachments: Sequence[discord.Attachment]) -> list[discord.Attachment]:
    return [a for a in attachments if is_media(a.filename, a.content_type)]


def captions_attachment(attachments: Sequence[discord.Attachment]) -> discord.Attachment | None:
    return next((a for a in attachments if is_captions_file(a.filename)), None)


def _safe_name(filename: str) -> str:
    suffix = _suffix(filename)
    suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""
    return f"attachment{suffix}"


async def read_bytes(attachment: discord.Attachment, max_bytes: int, what: str) -> bytes:
    if attachment.size > max_bytes:
        limit = f"{max_bytes / 1024 / 1024:g} MB"
        raise MediaError(f"{short_name(attachment.filename)} is larger than the {limit} limit for {what}")
    try:
        return await attachment.read()
    except discord.HTTPException:
        raise MediaError(
            f"{short_name(attachment.filename)} could not be downloaded from Discord; try again"
        ) from None


@asynccontextmanager
async def downloaded(
    attachment: discord.Attachment, scratch_root: Path, max_mb: float
) -> AsyncIterator[Path]:
    """The attachment saved under scratch_root for as long as the block runs."""
    data = await read_bytes(attachment, int(max_mb * 1024 * 1024), "media")
    folder = Path(await asyncio.to_thread(_make_scratch, scratch_root))
    try:
        path = folder / _safe_name(attachment.filename)
        await asyncio.to_thread(path.write_bytes, data)
        yield path
    finally:
        await asyncio.to_thread(shutil.rmtree, folder, True)


def _make_scratch(root: Path) -> str:
    root.mkdir(parents=True, exist_ok=True)
    return tempfile.mkdtemp(prefix="discord-", dir=root)


async def read_captions_file(attachment: discord.Attachment) -> str:
    """An edited .vtt/.srt as text (UTF-8, with or without a byte order mark)."""
    data = await read_bytes(attachment, MAX_CAPTIONS_FILE_BYTES, "captions files")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CorrectionError(
            f"{short_name(attachment.filename)} is not UTF-8 text; save it as UTF-8 and send it again"
        ) from None
