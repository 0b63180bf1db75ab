"""What /settings answers: each change in one line, and the list of the server's and channels' settings.

Separate from the cog so the commands stay thin and the words (which name channels by mention, so Discord
shows their current names) live in one place.
"""

from __future__ import annotations

from bot.core.store import ChannelSetting, ServerSettings
from bot.discord_app.formatting import duration_text
from bot.discord_app.i18n import text

_NAMES = {
    ChannelSetting.AUTOCAPTION: "autocaption",
    ChannelSetting.LINK_BUTTONS: "link_buttons",
    ChannelSetting.ON_REQUEST: "on_request",
}


def change_text(
    name: ChannelSetting, enabled: bool | None, channel_mention: str | None, lang: str = "en"
) -> str:
    """The public line after a moderator's change: what will happen now, and where."""
    setting = _NAMES[name]
    if enabled is None:
        assert channel_mention is not None
        label = text(f"settings.label.{setting}", lang)
        return text("settings.follows", lang, label=label, channel=channel_mention)
    if channel_mention:
        where = text("settings.where.channel", lang, channel=channel_mention)
    else:
        where = text("settings.where.server", lang)
    return text(f"settings.{'on' if enabled else 'off'}.{setting}", lang, where=where)


def language_text(code: str, lang: str = "en") -> str:
    """The public line after /settings language: what captions here will be made in from now on."""
    if code == "auto":
        return text("settings.language.auto", lang)
    return text("settings.language.code", lang, code=code)


def reply_style_text(style: str, max_seconds: float, lang: str = "en") -> str:
    """The public line after /settings replies: how the next captions will look."""
    if style == "text":
        return text("settings.replies.text", lang, duration=duration_text(max_seconds))
    return text("settings.replies.file", lang)


def reply_style_line(style: str, lang: str = "en") -> str:
    return text("settings.line.replies.text" if style == "text" else "settings.line.replies.file", lang)


def language_line(code: str | None, lang: str = "en") -> str:
    if code is None:
        return text("settings.line.language.none", lang)
    if code == "auto":
        return text("settings.line.language.auto", lang)
    return text("settings.line.language.code", lang, code=code)


def on_off(value: bool, lang: str = "en") -> str:
    return text("settings.value.on" if value else "settings.value.off", lang)


def who_corrects(role_id: int | None, lang: str = "en") -> str:
    if role_id is None:
        return text("settings.who_corrects.everyone", lang)
    return text("settings.who_corrects.role", lang, role=role_id)


def correctors_text(role_id: int | None, lang: str = "en") -> str:
    """The public line after /settings correctors (a role mention shows its current name, pings nobody)."""
    return text("settings.correctors", lang, who=who_corrects(role_id, lang))


def who_moderates(role_id: int | None, lang: str = "en") -> str:
    if role_id is None:
        return text("settings.who_moderates.base", lang)
    return text("settings.who_moderates.role", lang, role=role_id)


def moderators_text(role_id: int | None, lang: str = "en") -> str:
    """The public line after /settings moderators (the role by mention: its current name, pinging nobody)."""
    return text("settings.moderators", lang, who=who_moderates(role_id, lang))


def settings_text(
    settings: ServerSettings,
    corrector_role: int | None = None,
    moderator_role: int | None = None,
    lang: str = "en",
) -> str:
    """The server's defaults, who may correct and who moderates, then each channel that differs from them."""
    lines = [
        text("settings.show.title", lang),
        text("settings.show.autocaption", lang, value=on_off(settings.autocaption, lang)),
        text("settings.show.link_buttons", lang, value=on_off(settings.link_buttons, lang)),
        text("settings.show.on_request", lang, value=on_off(settings.on_request, lang)),
        text("settings.show.correctors", lang, who=who_corrects(corrector_role, lang)),
        text("settings.show.moderators", lang, who=who_moderates(moderator_role, lang)),
        language_line(settings.language, lang),
        reply_style_line(settings.reply_style, lang),
    ]
    for override in settings.channels:
        parts = []
        if override.autocaption is not None:
            parts.append(text("settings.channel.autocaption", lang, value=on_off(override.autocaption, lang)))
        if override.link_buttons is not None:
            parts.append(
                text("settings.channel.link_buttons", lang, value=on_off(override.link_buttons, lang))
            )
        if override.on_request is not None:
            parts.append(text("settings.channel.on_request", lang, value=on_off(override.on_request, lang)))
        lines.append(f"• <#{override.channel_id}>: " + ", ".join(parts))
    if not settings.channels:
        lines.append(text("settings.show.no_channels", lang))
    return "\n".join(lines)
