"""What /privacy and /settings training say: the server's training setting, the member's own choice, and what
that means for their recordings and corrections, in the reader's language (bot/discord_app/i18n/).
Discord-free, like formatting.py."""

from __future__ import annotations

from bot.discord_app.i18n import text
from bot.service.guild_settings import PrivacyStatus

_CHOICE_KEYS = {True: "privacy.choice.in", False: "privacy.choice.out", None: "privacy.choice.none"}
MODE_TEXT = {mode: text(f"privacy.mode.{mode}") for mode in ("off", "opt_out", "opt_in")}  # English
CHOICE_TEXT = {choice: text(key) for choice, key in _CHOICE_KEYS.items()}


def training_mode_text(mode: str, lang: str = "en") -> str:
    return text(f"privacy.mode.{mode}", lang)


def privacy_text(status: PrivacyStatus, *, changed: str | None = None, lang: str = "en") -> str:
    lines = [text("privacy.changed", lang, choice=changed)] if changed else []
    lines += [training_mode_text(status.mode, lang), text(_CHOICE_KEYS[status.choice], lang)]
    if status.trains:
        lines.append(text("privacy.trains", lang))
    else:
        hint = text("privacy.opt_in_hint", lang) if status.mode != "off" else ""
        lines.append(text("privacy.does_not_train", lang) + hint)
    lines.append(text("privacy.forget", lang))
    return "\n".join(lines)
