"""What /privacy and /settings training say: the server's training setting, the member's own choice, and what that means for their
recordings and corrections. Discord-free, like formatting.py."""

from __future__ import annotations

from bot.service.guild_settings import PrivacyStatus

MODE_TEXT = {
    "off": "This server does not train a model: captions and corrections are kept only to show and fix captions.",
    "opt_out": "This server trains its own caption model on members' voice notes and corrections, "
    "except those of members who opted out.",
    "opt_in": "This server trains its own caption model only on the voice notes and corrections of members "
    "who opted in.",
}
CHOICE_TEXT = {
    True: "You opted in.",
    False: "You opted out.",
    None: "You have not chosen, so the server's setting applies to you.",
}


def training_mode_text(mode: str) -> str:
    return MODE_TEXT[mode]


def privacy_text(status: PrivacyStatus, *, changed: str | None = None) -> str:
    lines = [changed] if changed else []
    lines += [MODE_TEXT[status.mode], CHOICE_TEXT[status.choice]]
    if status.trains:
        lines.append(
            "Your recordings and corrections can become training data for this server's model. "
            "Opt out with `/privacy my_training: out`."
        )
    else:
        lines.append(
            "Your recordings and corrections do not become training data, even when someone else corrects "
            "your recording." + (" Opt in with `/privacy my_training: in`." if status.mode != "off" else "")
        )
    lines.append("`/forget` deletes your corrections, captions and recordings in this server.")
    return "\n".join(lines)
