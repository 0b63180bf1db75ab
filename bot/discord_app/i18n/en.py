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
    # /help (help_text.py)
    "help.body": (
        "**Caption bot** — captions voice notes, audio/video files and video links, and learns this server's "
        "words from your corrections.\n"
        "\n"
        "**Get captions**\n"
        "• `/caption link:` or `file:` — captions as a .vtt/.srt file plus readable text.\n"
        "• Right-click a message → Apps → **Caption** — captions any message with audio, video or an allowed "
        "link, also old ones.\n"
        "• Voice notes and files posted where a moderator turned on autocaption are captioned by themselves.\n"
        "• Links posted where a moderator turned on Caption buttons get one: press it for captions.\n"
        "\n"
        "**Correct a caption**\n"
        "Reply to the caption with the right text (or an edited .vtt/.srt), or press its **Correct** button. "
        "Each correction becomes training material; a moderator's `/retrain` turns them into a model for this "
        "server, used only if it beats the base model with the server's words as hints and keeps everyday "
        "speech. Words the model keeps mishearing the same way are respelled at once.\n"
        "\n"
        "**What is stored**\n"
        "The audio of what was captioned (so the model can learn from it), the captions, your corrections "
        "with your user id, and the server's vocabulary and settings, all on the machine that runs this bot. "
        "{retention}\n"
        "\n"
        "**Forget**\n"
        "`/forget` deletes your corrections, the captions you asked for, the audio only you posted and the "
        "words your corrections proposed, after you confirm; model versions trained on your corrections are "
        "withdrawn: they never caption again.\n"
        "`/privacy` shows whether this server trains its model on voice notes and corrections, and lets you "
        "opt in or out; your choice covers your recordings even when someone else corrects them.\n"
        "\n"
        "Moderators (Manage Server): `/retrain`, `/rollback`, `/settings`, `/vocabmod`, `/corrections`, "
        "`/spelling`. Everyone: `/model show`, `/vocab list|suggest`, `/privacy`, `/help`."
    ),
    "help.retention.forever": (
        "Audio is kept until you or a moderator delete it (this server keeps it without a time limit)."
    ),
    "help.retention.days": "Audio is deleted after {days} days; the caption text stays.",
    # /forget (formatting.forget_prompt, forget_done) and its Confirm / Cancel buttons (views.ConfirmView)
    "forget.corrections": "{count} corrections",
    "forget.corrections.one": "{count} correction",
    "forget.captions": "{count} captions",
    "forget.captions.one": "{count} caption",
    "forget.recordings": "{count} recordings",
    "forget.recordings.one": "{count} recording",
    "forget.files": "{count} stored audio files",
    "forget.files.one": "{count} stored audio file",
    "forget.terms": "{count} vocabulary terms",
    "forget.terms.one": "{count} vocabulary term",
    "forget.pairs": "{count} pairs",
    "forget.pairs.one": "{count} pair",
    "forget.prompt": (
        "This deletes your {corrections} in this server, the captions you asked for, the recordings only you "
        "posted (with the captions and training pairs made from them, whoever made those), your link to "
        "recordings others posted too, and the vocabulary terms your corrections proposed. Model versions "
        "trained on your data are withdrawn: they never caption again (the base model or an older version "
        "does) and their weights are deleted once no longer active. It cannot be undone."
    ),
    "forget.done": (
        "🗑️ Done: deleted {corrections}, {captions} you asked for, {recordings} only you had posted ({files}) "
        "and {terms} your corrections proposed."
    ),
    "forget.shared": "Removed you from {recordings} others posted too; the audio stays for them.",
    "forget.withdrawn": (
        "Withdrawn: model versions trained on your data never caption again: {versions}. Captions use the base "
        "model (or, after /rollback, an older version they did not learn from) until a moderator retrains "
        "without your data; their weights are deleted once no longer active."
    ),
    "forget.no_model": "No model version of this server was trained on your data.",
    "forget.unrecorded": (
        "Model versions made before training data was recorded may hold it too: {versions}. They stay until a "
        "moderator rolls back or retrains."
    ),
    "forget.cancelled": "Nothing was deleted.",
    "forget.confirm": "Delete my data",
    "confirm.cancel": "Cancel",
    "confirm.not_yours": "This choice belongs to someone else.",
    # /vocab suggest (review_text.suggested_text, correction_limit.SuggestionLimit, service.moderation)
    "vocab.suggested": "Thanks! Suggested {terms}; a moderator reviews it with /vocabmod review.",
    "vocab.suggested_none": "Those terms are already in the vocabulary, waiting for review, or were rejected.",
    "error.not_suggester": (
        "only members with the <@&{role}> role can suggest terms in this server; nothing was saved."
    ),
    "error.suggest_rate": (
        "you've suggested terms {limit} times in the last hour, the most allowed; try again in {count} "
        "minutes. Nothing was added."
    ),
    "error.suggest_rate.one": (
        "you've suggested terms {limit} times in the last hour, the most allowed; try again in {count} "
        "minute. Nothing was added."
    ),
    "error.proposals_full": (
        "{limit} proposed terms already wait for review, the most allowed; a moderator reviews them with "
        "/vocabmod review; nothing was added."
    ),
    "error.proposals_full_kept": (
        "{limit} proposed terms already wait for review, the most allowed; a moderator reviews them with "
        "/vocabmod review; {added} of yours were added first."
    ),
    "error.no_terms": "name at least one term",
    "error.term_too_long": "'{term}…' is longer than {limit} characters",
    # notes on a correction (bot/service/corrections.py CorrectionNote: the same English, keyed)
    "correction.note.not_training": (
        "It fixes this caption only: this server does not train on it (its training setting, or the "
        "corrector's or the poster's choice in /privacy)."
    ),
    "correction.note.unrelated": (
        "It fixes this caption only: it shares almost no words with what was heard ({shared:.0%}), so it does "
        "not teach the model (a correction in another language, or of another clip?)."
    ),
    "correction.note.replaces": (
        "It replaces the earlier correction of this caption by another member: only the newest one trains."
    ),
    "correction.note.proposals_full": (
        "{limit} proposed terms already wait for a moderator's review, so no more were proposed."
    ),
    # errors raised below the Discord layer with a key (bot/core, bot/service: UserError(key=...))
    "error.correction_empty": "the correction is empty; send the corrected words of the caption",
    "error.vocabulary_full": (
        "the vocabulary is full ({limit} terms); remove some with /vocabmod remove before approving more. "
        "Nothing was changed"
    ),
    "media.too_long": "the media is {minutes} minutes long; the limit is {limit} minutes",
    "media.too_big": "the media is larger than the {limit} MB limit",
    "media.too_slow": "the download took longer than {seconds} s; try again",
    "media.playlist": "playlists are not captioned; link a single video",
    "media.live": "live streams cannot be captioned; try again when the recording is available",
    "media.stream_only": (
        "the media is only offered as a stream (HLS or DASH), which is not downloaded; link a plain file"
    ),
    "media.private_address": "the link leads to a private address; such links are refused",
    "media.host_silent": "the media host stopped answering; try again later",
    "media.private_video": "the video is private; only public videos can be captioned",
    "media.unavailable": "the video is unavailable (removed, private or a wrong link)",
    "media.no_video": "no video was found at that link",
    "media.not_readable": "{name} is not an audio or video file that can be read",
    "media.no_audio_track": "{name} has no audio track",
    "media.not_decodable": "{name} could not be decoded as audio; send a common audio or video format",
    "media.host_not_found": "the host {host} could not be found; check the link",
    # buttons and the correction form (views.py) and the link prompt (cogs/link_buttons.py)
    "button.correct": "Correct",
    "button.get_vtt": "Get .vtt",
    "button.caption": "Caption",
    "modal.title": "Correct the caption",
    "modal.field": "Transcript",
    "modal.field_part": "Transcript, part {part} of {parts}",
    "link.prompt": "🔗 Captions for this link?",
    # moderators: /vocabmod add, remove and review (formatting.vocabulary_change, review_text.py)
    "vocab.added": "Added {terms}.",
    "vocab.removed": "Removed {terms}.",
    "vocab.already_in": "{terms}: already in the vocabulary.",
    "vocab.not_in": "{terms}: not in the vocabulary.",
    "review.none": "Nothing waits for review: every proposed term has been approved or rejected.",
    "review.header": "**{count} proposed terms to review**",
    "review.header.one": "**{count} proposed term to review**",
    "review.explain": "Approved terms become hints for new captions and are scored after a retrain.",
    "review.more": "{more} more after these; run /vocabmod review again.",
    "review.approved": "✅ {term} approved: new captions use it as a hint from now on.",
    "review.rejected": "🚫 {term} rejected: corrections will not propose it again.",
    "review.nothing_left": "Nothing was waiting for review any more; nothing was changed.",
    "review.rejected_all": "🚫 {count} proposed terms rejected ({names}); corrections will not propose them again.",
    "review.rejected_all.one": (
        "🚫 {count} proposed term rejected ({names}); corrections will not propose them again."
    ),
    # moderators: /rollback, /retrain's refusal and the retrain announcement's fixed sentences
    "rollback.base": "↩️ Rolled back: this server now uses the base model ({base}).",
    "rollback.version": "↩️ Rolled back: this server now uses model v{version} again.",
    "error.too_few_pairs": (
        "this server has {count} training pairs; a retrain needs at least {needed}. Correct more captions "
        "(reply to a caption with the right words) and try again"
    ),
    "error.too_few_pairs.one": (
        "this server has {count} training pair; a retrain needs at least {needed}. Correct more captions "
        "(reply to a caption with the right words) and try again"
    ),
    "retrain.asked_by": " (asked by <@{user}>)",
    "retrain.finished": "🧠 Retrain finished{who}.",
    "retrain.failed": "⚠️ Retrain failed{who}: {reason}",
    "retrain.no_reason": "no reason was recorded",
    "button.approve": "Approve {term}",
    "button.reject": "Reject {term}",
    "button.reject_all": "Reject all waiting",
    "button.reject_all_n": "Reject all {waiting} waiting",
    # restart notices (restart_notices.py, formatting.interrupted_text); {shown} is " `name`" or nothing
    "restart.progress": "⚠️ Interrupted: I restarted before these captions were finished.",
    "restart.voice": (
        "<@{user}> I restarted while captioning your voice message{shown}, so it was not finished. Please post "
        "it again."
    ),
    "restart.file": (
        "<@{user}> I restarted while captioning your file{shown}, so it was not finished. Please post it again."
    ),
    "restart.link": (
        "<@{user}> I restarted while captioning your link{shown}, so it was not finished. Please run /caption "
        "again."
    ),
    "restart.request": (
        "<@{user}> I restarted while captioning your request{shown}, so it was not finished. Please run "
        "/caption again."
    ),
    # moderators: /settings (settings_text.py)
    "settings.label.autocaption": "Autocaption",
    "settings.label.link_buttons": "Caption buttons on links",
    "settings.label.on_request": "Captions on request",
    "settings.follows": "↩️ {label} in {channel} follows the server's setting again.",
    "settings.where.channel": "in {channel}",
    "settings.where.server": "in this server",
    "settings.on.autocaption": "🎙️ Voice messages and audio/video files posted {where} will be captioned.",
    "settings.off.autocaption": (
        "🔇 Posted voice messages and files {where} will no longer be captioned; /caption and the Caption "
        "message command still work."
    ),
    "settings.on.link_buttons": (
        "🔗 Messages {where} with a link I can caption will get a Caption button; nothing is downloaded until "
        "someone presses it."
    ),
    "settings.off.link_buttons": "🔗 Links posted {where} will no longer get a Caption button.",
    "settings.on.on_request": (
        "💬 Members who may post {where} can caption messages there with the Caption message command and "
        "Caption buttons."
    ),
    "settings.off.on_request": (
        "🚫 The Caption message command and Caption buttons are refused {where}; autocaption and /caption "
        "follow their own settings."
    ),
    "settings.language.auto": (
        "🌐 Captions in this server will detect the spoken language; /caption language: still overrides it."
    ),
    "settings.language.code": (
        "🌐 Captions in this server will be made in '{code}'; /caption language: still overrides it."
    ),
    "settings.replies.text": (
        "💬 Captions of media up to {duration} long will be posted as plain text, with a Get .vtt button for "
        "the timed file; longer media still gets the captions file."
    ),
    "settings.replies.file": "📎 Captions will be posted with the captions file attached and a preview of the text.",
    "settings.line.replies.text": "Replies: plain text for short media, the .vtt on request",
    "settings.line.replies.file": "Replies: the captions file attached (default)",
    "settings.line.language.none": "Language: the bot's default (not set for this server)",
    "settings.line.language.auto": "Language: detected per caption (auto)",
    "settings.line.language.code": "Language: {code}",
    "settings.value.on": "on",
    "settings.value.off": "off",
    "settings.who_corrects.everyone": "everyone",
    "settings.who_corrects.role": "members with the <@&{role}> role, and moderators",
    "settings.correctors": "✏️ From now on {who} may correct captions in this server.",
    "settings.who_moderates.base": "members with the Manage Server permission",
    "settings.who_moderates.role": (
        "members with the Manage Server permission and members with the <@&{role}> role"
    ),
    "settings.moderators": "🛡️ From now on {who} may run the caption bot's moderator commands here.",
    "settings.show.title": "**Caption settings**",
    "settings.show.autocaption": "Autocaption: {value} (server default)",
    "settings.show.link_buttons": "Caption buttons on links: {value} (server default)",
    "settings.show.on_request": (
        "Captions on request (Caption message command, buttons): {value} (server default)"
    ),
    "settings.show.correctors": "Who may correct captions: {who}",
    "settings.show.moderators": "Who moderates: {who}",
    "settings.show.no_channels": "No channel has its own settings.",
    "settings.channel.autocaption": "autocaption {value}",
    "settings.channel.link_buttons": "Caption buttons {value}",
    "settings.channel.on_request": "captions on request {value}",
    "settings.training_hint": "{mode} Members see and change theirs with /privacy.",
    "error.default_needs_channel": "'default' makes a channel follow the server's setting; name a channel with it.",
    # /vocab list (formatting.vocabulary_text) and the /retrain message's progress (retrain_progress.py)
    "vocab.list.empty": "This server's vocabulary is empty. Suggest the community's words with /vocab suggest.",
    "vocab.list.head": "This server's vocabulary ({count} terms):",
    "vocab.list.head.one": "This server's vocabulary ({count} term):",
    "vocab.list.more": " … and {rest} more",
    "retrain.progress.queued": "🧠 Retrain (job {job}) queued: waiting for the trainer. I'll post the results here.",
    "retrain.progress.running": "running",
    "retrain.progress.line": (
        "🧠 Retrain (job {job}): {stage} · {percent}%{left}. I'll post the results here when it's done."
    ),
    "retrain.progress.under_a_minute": " · less than a minute left",
    "retrain.progress.minutes_left": " · about {minutes} min left",
    "retrain.progress.finished": "🧠 Retrain (job {job}) finished · 100%. The results are in the message below.",
    "retrain.progress.failed": "⚠️ Retrain (job {job}) failed; the reason is in the message below.",
    # moderators: /corrections and /spelling (review_text.py)
    "audit.none": "No corrections match.",
    "audit.head": "**Corrections** (newest first, {shown} of {total} in this server)",
    "audit.forgotten": "someone who used /forget",
    "audit.row": "`#{id}` caption {caption}, by {who} {when}, {pairs} pair(s): {text}",
    "audit.more": "… and {more} more; narrow it with the user or caption option.",
    "audit.removed": (
        "🗑️ Correction #{id} removed with its {pairs} training pair(s); the next /retrain will not use them. A "
        "retrain uses each caption's newest correction, so if this caption was corrected before, that earlier "
        "correction's pairs count again (see /corrections list caption:). This server now has {total} pair(s) "
        "for the next /retrain."
    ),
    "spelling.none": "No spelling rules yet. They are learned when corrections keep fixing the same words.",
    "spelling.head": "**Spelling rules** (applied to new captions at once)",
    "spelling.rule": "• {heard} → {term} ({captions} captions)",
    "spelling.more": "… and {more} more",
    "spelling.removed": (
        "🗑️ '{heard}' is no longer replaced by {terms} in new captions, and corrections will not teach it again."
    ),
    # who may run moderator commands (permissions.require_moderator); {action} is one of the "action.*" below
    "error.managers_only": "only members with the Manage Server permission can {action}.",
    "error.moderators_only_role": (
        "only members with the Manage Server permission or the <@&{role}> role can {action}."
    ),
    "action.change_settings": "change the caption settings",
    "action.see_settings": "see the caption settings",
    "action.change_vocabulary": "change the vocabulary",
    "action.review_vocabulary": "review the vocabulary",
    "action.see_corrections": "see the corrections",
    "action.remove_corrections": "remove corrections",
    "action.see_spelling": "see the spelling rules",
    "action.remove_spelling": "remove spelling rules",
    "action.rollback": "roll the model back",
    "action.retrain": "start a retrain",
    "action.choose_moderators": "choose the moderator role",
    # /model show (formatting.model_report); the plan, the reason, the scores and the statuses stay English
    "model.never": "never",
    "model.serving": "**Serving** {plan} (base = {base}).",
    "model.why": "Why: {reason}.",
    "model.none": "No retrained model yet.",
    "model.latest": "Latest promoted model: **v{version}**, {when}.",
    "model.scores": "On {words} test words: {scores}",
    "model.withdrawn": (
        "v{version} is withdrawn (a member whose data trained it used /forget): the base model captions until a "
        "moderator retrains or rolls back."
    ),
    "model.history": "**History** (newest first):",
    "model.withdrawn_mark": " (withdrawn by /forget)",
    "model.older": "… and {count} older versions",
    # the Caption menu and link buttons (cogs/message_caption.py, cogs/link_buttons.py); the training curve
    "error.asker_cannot_post": (
        "you can't send messages in this channel, so I won't post captions here for you; nothing was stored."
    ),
    "error.requests_off": (
        "captions on request are turned off in this channel (a moderator's /settings requests); nothing was "
        "stored."
    ),
    "error.link_message_gone": "That message is gone, so its link cannot be captioned any more.",
    "retrain.no_attach": "(I need the Attach Files permission here to post the training curve.)",
}
