"""Owner-only files: what the bot and the trainer write (database, logs, audio, models) is people's voices
and words, and the config may hold the Discord token. Discord-free and torch-free: both processes use it."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from urllib.parse import urlsplit

from bot.core.config import Config

log = logging.getLogger("bot.core.private")


def make_private(data_dir: Path) -> None:
    """Files and folders this process creates from now on are owner-only (umask 077: folders 0700, files
    0600), and the data folder itself is 0700, so what an older version wrote there is closed too."""
    os.umask(0o077)
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(0o700)


def warn_if_token_readable(config: Config) -> None:
    """One warning when the config file holding the token, or a database password, can be read by other
    users of the machine."""
    source = Path(config.source)
    secrets = [
        *(["the Discord token"] if config.discord.token else []),
        *(["a database password"] if urlsplit(config.storage.database).password else []),
    ]
    if not secrets or not source.is_file():
        return
    mode = source.stat().st_mode
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        log.warning(
            "%s holds %s and other users can read it (mode %o); run: chmod 600 %s",
            source,
            " and ".join(secrets),
            stat.S_IMODE(mode),
            source,
        )
