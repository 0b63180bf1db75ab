"""The English catalog: every message key (bot/discord_app/i18n/__init__.py). Other locales translate these."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # /privacy and /settings training (privacy_text.py)
    "privacy.mode.off": (
        "This server does not train a model: captions and corrections are kept only to show and fix captions."
    ),
    "privacy.mode.opt_out": (
        "This server trains its own caption model on members' voice notes and corrections, except those of "
        "members who opted out."
    ),
    "privacy.mode.opt_in": (
        "This server trains its own caption model only on the voice notes and corrections of members who "
        "opted in."
    ),
    "privacy.choice.in": "You opted in.",
    "privacy.choice.out": "You opted out.",
    "privacy.choice.none": "You have not chosen, so the server's setting applies to you.",
    "privacy.trains": (
        "Your recordings and corrections can become training data for this server's model. Opt out with "
        "`/privacy my_training: out`."
    ),
    "privacy.does_not_train": (
        "Your recordings and corrections do not become training data, even when someone else corrects your "
        "recording."
    ),
    "privacy.opt_in_hint": " Opt in with `/privacy my_training: in`.",
    "privacy.forget": "`/forget` deletes your corrections, captions and recordings in this server.",
    "privacy.changed": "Your choice is now: {choice}.",
    # /retrain
    "retrain.queued": (
        "🧠 Retrain queued (job {job_id}) with {pairs} training pairs. Every recording is judged by a model "
        "that never heard it, against the base with this server's words as hints; the better one serves. I'll "
        "post the results here when it's done (usually a few minutes)."
    ),
    # errors
    "error.dm": "Captions work in servers only; use my commands in a server channel.",
}
