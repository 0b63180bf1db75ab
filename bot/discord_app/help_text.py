"""What /help says: the bot in a few lines, how to correct, what is kept and how /forget removes it.

Its own module because it is the one place users read about storage and privacy: the numbers in it come
from the running config (retention), so the text never promises what the settings do not do.
"""

from __future__ import annotations

from bot.core.config import Config
from bot.discord_app.i18n import text


def retention_line(days: int, lang: str = "en") -> str:
    if days <= 0:
        return text("help.retention.forever", lang)
    return text("help.retention.days", lang, days=days)


def help_text(config: Config, lang: str = "en") -> str:
    """The whole /help answer in `lang` (catalog entry help.body); under Discord's 2000-character limit in
    every language (a test checks it)."""
    return text("help.body", lang, retention=retention_line(config.storage.retention_days, lang))
