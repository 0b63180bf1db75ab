"""What /settings answers: each change in one line, and the list of the server's and channels' settings.

Separate from the cog so the commands stay thin and the words (which name channels by mention, so Discord
shows their current names) live in one place.
"""

from __future__ import annotations

from bot.core.store import ChannelSetting, ServerSettings
from bot.discord_app.formatting import duration_text

LABELS = {
    ChannelSetting.AUTOCAPTION: "Autocaption",
    ChannelSetting.LINK_BUTTONS: "Caption buttons on links",
    ChannelSetting.ON_REQUEST: "Captions on request",
}
WHAT = {
    ChannelSetting.AUTOCAPTION: (
        "🎙️ Voice messages and audio/video files posted {where} will be captioned.",
        "🔇 Posted voice messages and files {where} will no longer be captioned; /caption and the Caption "
        "message command still work.",
    ),
    ChannelSetting.LINK_BUTTONS: (
        "🔗 Messages {where} with a link I can caption will get a Caption button; nothing is downloaded "
        "until someone presses it.",
        "🔗 Links posted {where} will no longer get a Caption button.",
    ),
    ChannelSetting.ON_REQUEST: (
        "💬 Members who may post {where} can caption messages there with the Caption message command and "
        "Caption buttons.",
        "🚫 The Caption message command and Caption buttons are refused {where}; autocaption and /caption "
        "follow their own settings.",
    ),
}


def change_text(name: ChannelSetting, enabled: bool | None, channel_mention: str | None) -> str:
    """The public line after a moderator's change: what will happen now, and where."""
    if enabled is None:
        assert channel_mention is not None
        return f"↩️ {LABELS[name]} in {channel_mention} follows the server's setting again."
    where = f"in {channel_mention}" if channel_mention else "in this server"
    on, off = WHAT[name]
    return (on if enabled else off).format(where=where)


def language_text(code: str) -> str:
    """The public line after /settings language: what captions here will be made in from now on."""
    if code == "auto":
        return "🌐 Captions in this server will detect the spoken language; /caption language: still overrides it."
    return f"🌐 Captions in this server will be made in '{code}'; /caption language: still overrides it."


def reply_style_text(style: str, max_seconds: float) -> str:
    """The public line after /settings replies: how the next captions will look."""
    if style == "text":
        return (
            f"💬 Captions of media up to {duration_text(max_seconds)} long will be posted as plain text, with a "
            "Get .vtt button for the timed file; longer media still gets the captions file."
        )
    return "📎 Captions will be posted with the captions file attached and a preview of the text."


def reply_style_line(style: str) -> str:
    if style == "text":
        return "Replies: plain text for short media, the .vtt on request"
    return "Replies: the captions file attached (default)"


def language_line(code: str | None) -> str:
    if code is None:
        return "Language: the bot's default (not set for this server)"
    return "Language: detected per caption (auto)" if code == "auto" else f"Language: {code}"


def on_off(value: bool) -> str:
    return "on" if value else "off"


def who_corrects(role_id: int | None) -> str:
    return "everyone" if role_id is None else f"members with the <@&{role_id}> role, and moderators"


def correctors_text(role_id: int | None) -> str:
    """The public line after /settings correctors (a role mention shows its current name, pings nobody)."""
    return f"✏️ From now on {who_corrects(role_id)} may correct captions in this server."


def who_moderates(role_id: int | None) -> str:
    base = "members with the Manage Server permission"
    return base if role_id is None else f"{base} and members with the <@&{role_id}> role"


def moderators_text(role_id: int | None) -> str:
    """The public line after /settings moderators (the role by mention: its current name, pinging nobody)."""
    return f"🛡️ From now on {who_moderates(role_id)} may run the caption bot's moderator commands here."


def settings_text(
    settings: ServerSettings, corrector_role: int | None = None, moderator_role: int | None = None
) -> str:
    """The server's defaults, who may correct and who moderates, then each channel that differs from them."""
    lines = [
        "**Caption settings**",
        f"Autocaption: {on_off(settings.autocaption)} (server default)",
        f"Caption buttons on links: {on_off(settings.link_buttons)} (server default)",
        f"Captions on request (Caption message command, buttons): {on_off(settings.on_request)} "
        "(server default)",
        f"Who may correct captions: {who_corrects(corrector_role)}",
        f"Who moderates: {who_moderates(moderator_role)}",
        language_line(settings.language),
        reply_style_line(settings.reply_style),
    ]
    for override in settings.channels:
        parts = []
        if override.autocaption is not None:
            parts.append(f"autocaption {on_off(override.autocaption)}")
        if override.link_buttons is not None:
            parts.append(f"Caption buttons {on_off(override.link_buttons)}")
        if override.on_request is not None:
            parts.append(f"captions on request {on_off(override.on_request)}")
        lines.append(f"• <#{override.channel_id}>: " + ", ".join(parts))
    if not settings.channels:
        lines.append("No channel has its own settings.")
    return "\n".join(lines)
