"""The bot's logging: stderr and a rotating file, and the filter that keeps the token out of both.

Kept apart from the client (client.py) because it is a concern of its own, the one a token leak would come
from: `run` sets it up before the bot connects, CaptionBot.login adds the token it logs in with, and
CaptionBot.close takes the filter away again.
"""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterable
from typing import Any

import discord

from bot.core.config import Config

REDACTED = "[redacted]"


class TokenRedactor(logging.Filter):
    """Replaces secrets in every log record: its message, its arguments and its traceback text.

    Installed as a filter on handlers and in the log record factory, so records from any logger (discord.py,
    aiohttp, ours) are redacted before any handler, including ones added later, formats them.
    """

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)
        self._previous_factory: Any = None

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to logging's own error handling
            return True
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True

    def install(self) -> None:
        if self._previous_factory is not None:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            self.filter(record)
            return record

        self._previous_factory = previous
        self._factory = factory
        logging.setLogRecordFactory(factory)
        for handler in logging.getLogger().handlers:
            handler.addFilter(self)

    def uninstall(self) -> None:
        if self._previous_factory is None:
            return
        if logging.getLogRecordFactory() is self._factory:
            logging.setLogRecordFactory(self._previous_factory)
        self._previous_factory = None
        for handler in logging.getLogger().handlers:
            handler.removeFilter(self)


def setup_logging(config: Config, redactor: TokenRedactor) -> None:
    """INFO to stderr (discord.py's format) and to <data_dir>/logs/bot.log, both with the token redacted."""
    root = logging.getLogger()
    for handler in list(root.handlers):  # the CLI's basic handler would print everything twice
        root.removeHandler(handler)
    console = logging.StreamHandler()
    console.addFilter(redactor)
    discord.utils.setup_logging(handler=console, level=logging.INFO, root=True)
    log_dir = config.data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    file = logging.handlers.RotatingFileHandler(
        log_dir / "bot.log", maxBytes=5 * 1024 * 1024, backupCount=3, encoding="utf-8"
    )
    file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    file.addFilter(redactor)
    root.addHandler(file)
    for noisy in ("faster_whisper", "httpx", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
