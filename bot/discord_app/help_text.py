"""What /help says: the bot in a few lines, how to correct, what is kept and how /forget removes it.

Its own module because it is the one place users read about storage and privacy: the numbers in it come
from the running config (retention), so the text never promises what the settings do not do.
"""

from __future__ import annotations

from bot.core.config import Config


def retention_line(days: int) -> str:
    if days <= 0:
        return "Audio is kept until you or a moderator delete it (this server keeps it without a time limit)."
    return f"Audio is deleted after {days} days; the caption text stays."


def help_text(config: Config) -> str:
    """The whole /help answer; under Discord's 2000-character limit by construction (a test checks it)."""
    return "\n".join(
        [
            "**Caption bot** — captions voice notes, audio/video files and video links, and learns this "
            "server's words from your corrections.",
            "",
            "**Get captions**",
            "• `/caption link:` or `file:` — captions as a .vtt/.srt file plus readable text.",
            "• Right-click a message → Apps → **Caption** — captions any message with audio, video or an "
            "allowed link, also old ones.",
            "• Voice notes and files posted where a moderator turned on autocaption are captioned by themselves.",
            "• Links posted where a moderator turned on Caption buttons get one: press it for captions.",
            "",
            "**Correct a caption**",
            "Reply to the caption with the right text (or an edited .vtt/.srt), or press its **Correct** button. "
            "Each correction becomes training material; a moderator's `/retrain` turns them into a model for "
            "this server, used only if it beats the base model with the server's words as hints and keeps "
            "everyday speech. Words the model keeps mishearing the same way are respelled at once.",
            "",
            "**What is stored**",
            "The audio of what was captioned (so the model can learn from it), the captions, your corrections "
            "with your user id, and the server's vocabulary and settings, all on the machine that runs this bot. "
            + retention_line(config.storage.retention_days),
            "",
            "**Forget**",
            "`/forget` deletes your corrections, the captions you asked for, the audio only you posted and the "
            "words your corrections proposed, after you confirm; model versions trained on your corrections "
            "are withdrawn: they never caption again.",
            "`/privacy` shows whether this server trains its model on voice notes and corrections, and lets "
            "you opt in or out; your choice covers your recordings even when someone else corrects them.",
            "",
            "Moderators (Manage Server): `/retrain`, `/rollback`, `/settings`, `/vocabmod`, `/corrections`, "
            "`/spelling`. Everyone: `/model show`, `/vocab list|suggest`, `/privacy`, `/help`.",
        ]
    )
