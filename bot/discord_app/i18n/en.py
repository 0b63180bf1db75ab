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
    # captioning: progress (formatting.progress_text) and the caption message (formatting.caption_post)
    "progress.queued": "⏳ Queued…",
    "progress.place": "⏳ Queued ({ordinal} in line: {ahead})…",
    "progress.nobody_ahead": "nobody ahead of you",
    "progress.ahead": "{count} ahead of you",
    "progress.downloading": "⬇️ Downloading",
    "progress.decoding": "🎛️ Decoding audio",
    "progress.transcribing": "✍️ Transcribing",
    "progress.done": "✅ Done",
    "caption.header": "📝 **Captions** · {title} · {duration} · {model}",
    "caption.voice_message": "voice message",
    "caption.base_model": "base model",
    "caption.model": "model {version}",
    "caption.no_speech": "*(no speech found)*",
    "caption.hint": (
        "-# Wrong words? Reply to this message with the corrected text or an edited .vtt, or press Correct."
    ),
    "caption.hint_plain": (
        "-# Wrong words? Reply to this message with the corrected text, or press Correct. Get .vtt: the timed "
        "captions file."
    ),
    "caption.teaches": "-# Corrections of this caption can teach this server's model (see /privacy).",
    "caption.asked": "🎙️ Captioning {link}; the captions will be a reply to it.",
    # corrections (formatting.correction_confirmation)
    "correction.saved": "✅ Thanks! Saved {count} training pairs from your correction.",
    "correction.saved.one": "✅ Thanks! Saved {count} training pair from your correction.",
    "correction.enough": "This server has {total} pairs, enough for a moderator to run /retrain.",
    "correction.tally": "This server has {total} of the {needed} pairs needed for the next /retrain.",
    "correction.proposed": "Proposed for the vocabulary (a moderator reviews it): {terms}.",
    # errors and refusals (a UserError made with i18n.refusal names its key; replies.user_message shows it)
    "error.dm": "Captions work in servers only; use my commands in a server channel.",
    "error.generic": "Something went wrong on our side; it was logged.",
    "error.outdated": "This command has changed since Discord last loaded it; reload Discord and try again.",
    "error.busy": "I'm busy with other captions right now; try again in a minute.",
    "error.user_rate": (
        "you've asked for {limit} captions in the last minute, the most allowed; try again in {count} seconds."
    ),
    "error.user_rate.one": (
        "you've asked for {limit} captions in the last minute, the most allowed; try again in {count} second."
    ),
    "error.guild_rate": (
        "this server has asked for {limit} captions in the last minute, the most allowed; try again in "
        "{count} seconds."
    ),
    "error.guild_rate.one": (
        "this server has asked for {limit} captions in the last minute, the most allowed; try again in "
        "{count} second."
    ),
    "error.user_in_flight": (
        "you already have {count} caption requests in progress, the most allowed at once ({limit}); try again "
        "when one is done."
    ),
    "error.user_in_flight.one": (
        "you already have {count} caption request in progress, the most allowed at once ({limit}); try again "
        "when one is done."
    ),
    "error.guild_queue_full": (
        "this server's caption queue is full: {count} requests are waiting or in progress, the most it holds "
        "({limit}); try again when one is done."
    ),
    "error.audio_budget": (
        "this server has had {used} minutes of audio captioned in the last hour; the limit is {limit} minutes "
        "an hour. Try again in {wait} minutes."
    ),
    "error.correction_rate": (
        "you've sent {limit} corrections in the last minute, the most allowed; try again in {count} seconds. "
        "Nothing was saved."
    ),
    "error.correction_rate.one": (
        "you've sent {limit} corrections in the last minute, the most allowed; try again in {count} second. "
        "Nothing was saved."
    ),
    "error.caption_gone": (
        "that caption no longer exists (its audio was deleted), so it can't be corrected; nothing was saved"
    ),
    "error.caption_file_gone": "that caption no longer exists (it was deleted), so there is no file",
    "error.nothing_usable": (
        "to correct a caption, reply with the corrected text or attach the edited captions as a .vtt or .srt "
        "file"
    ),
    "error.too_long_for_form": (
        "this transcript is too long for the correction form; download the captions file, fix it and reply "
        "to the caption message with the edited .vtt attached"
    ),
    "error.not_corrector": (
        "only members with the <@&{role}> role can correct captions in this server; nothing was saved."
    ),
    "error.link_or_file": "give either a link or a file to caption (one of them)",
    "error.not_media_file": "{name} is not an audio or video file; attach audio, video or a voice message",
    "error.not_a_link": "'{link}' is not a link; paste the full address of the video (https://…)",
    "error.not_media_posted": "{names} is not audio or video; I caption voice messages, audio and video files",
}
