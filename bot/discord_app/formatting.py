"""The words and files the bot posts: progress lines, caption messages, confirmations, model reports.

Discord-free text building with Discord's limits in mind (2000 characters a message, 4000 a modal field,
five fields a modal). Cogs call these and send what they return.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.captions.cues import Cue
from bot.core.captions.formats import format_captions
from bot.core.retrain.report import retrain_summary, scores_line
from bot.core.retrain.result import RetrainResult
from bot.core.store import ForgetReport, JobStatus
from bot.core.transcription.serving import ServingPlan
from bot.discord_app.i18n import ordinal, text
from bot.discord_app.i18n import text as _i18n  # where a parameter is called `text`

MESSAGE_LIMIT = 2000
MODAL_FIELD_LIMIT = 4000
MODAL_FIELDS = 5
MENTION_ROOM = 30  # "<@id> " before a caption re-posted in the channel (caption_flow.InteractionReply)
CAPTION_FORMATS = ("vtt", "srt", "txt")
CORRECTION_HINT = text("caption.hint")  # English; the message itself is in the reader's language
PLAIN_CORRECTION_HINT = text("caption.hint_plain")
TEACHES_HINT = text("caption.teaches")
VOICE_TITLE = "voice message"  # the title a voice message's media row gets; shown in the reader's language

_STAGES = ("downloading", "decoding", "transcribing", "done")


def progress_text(
    stage: str, fraction: float | None = None, *, place: int | None = None, lang: str = "en"
) -> str:
    """One short line: "⏳ Queued (2nd in line: 1 ahead of you)", "⬇️ Downloading… 40%", "✍️ Transcribing… 73%"."""
    if stage == "waiting":
        if not place:
            return text("progress.queued", lang)
        ahead = (
            text("progress.nobody_ahead", lang)
            if place == 1
            else text("progress.ahead", lang, count=place - 1)
        )
        return text("progress.place", lang, ordinal=ordinal(place, lang), ahead=ahead)
    label = text(f"progress.{stage}", lang) if stage in _STAGES else stage.capitalize()
    if stage == "done":
        return label
    if fraction is None:
        return f"{label}…"
    return f"{label}… {round(max(0.0, min(1.0, fraction)) * 100)}%"


# an absolute path on the host (a trainer's message may name one): never shown in a server's channel
_HOST_PATH = re.compile(r"(?<![\w:/.~-])(?:/[\w.@+~-]+)+/?")
_MARKDOWN = re.compile(r"([\\*_~`|\[\]])")  # brackets too: no masked link [text](url) can form
_LINE_START = re.compile(r"^([>#-])", re.MULTILINE)
_MENTION = re.compile(r"@(everyone|here|[!&]?[0-9]{17,20})")  # as discord.utils.escape_mentions
# a URL scheme Discord turns into a link; a zero-width space after it keeps remote text from posting one
_LINK_SCHEME = re.compile(r"(?i)\b(https?|ftp|steam|discord)(?=:/)")


def escape_markdown(text: str) -> str:
    """Text from members or remote sites (captions, titles, terms, file names) shown as it was written: no
    accidental bold, quotes or headings, no mentions, and never a link the bot seems to post (a masked link
    `[text](url)` hides where it goes; a bare URL would be clickable in the bot's name)."""
    text = _MARKDOWN.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\\\1", text)
    text = _LINK_SCHEME.sub("\\1\u200b", text)
    return _MENTION.sub("@\u200b\\1", text)


def without_links(text: str) -> str:
    """Bot-made text that quotes members' words (a retrain's learned words, taken from corrections): its own
    markdown kept, but brackets escaped and URL schemes broken, so a quoted word never becomes a link."""
    return _LINK_SCHEME.sub("\\1\u200b", re.sub(r"([\[\]])", r"\\\1", text))


def truncate(text: str, limit: int, marker: str = "…") -> str:
    """At most `limit` characters, cut at a word boundary where one is near, marked with `marker`."""
    if len(text) <= limit:
        return text
    room = max(0, limit - len(marker))
    cut = text[:room]
    space = cut.rfind(" ")
    if space > room * 0.6:
        cut = cut[:space]
    return cut.rstrip() + marker


def fit_message(text: str) -> str:
    return truncate(text, MESSAGE_LIMIT)


def duration_text(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class CaptionPost:
    """A finished caption as a message: its text and the files to attach, (name, bytes) each."""

    content: str
    files: list[tuple[str, bytes]]
    truncated: bool  # the preview is shorter than the text (the full text is attached)
    plain: bool = False  # the words are the message and no file is attached (the .vtt is on a button)
    lang: str = "en"  # the language it is written in (its buttons' labels follow)


def caption_post(
    *,
    caption_id: int,
    cues: Sequence[Cue],
    text: str,
    title: str,
    duration: float,
    model_version: str,
    fmt: str = "vtt",
    preview_chars: int = 1500,
    teaches: bool = False,
    plain: bool = False,
    lang: str = "en",
) -> CaptionPost:
    """The caption message: a header, a readable preview, the correction hint (and, when corrections of it
    can become training data, one line saying so); the file (and .txt) attached.

    `plain` (a server's 'text' reply style, for short media): the whole text is the message and nothing is
    attached; a text too long for one message gets the file style instead, so no word is ever left out."""
    if plain:
        post = _plain_post(
            text=text, title=title, duration=duration, model_version=model_version, teaches=teaches, lang=lang
        )
        if post is not None:
            return post
    if fmt not in CAPTION_FORMATS:
        raise ValueError(f"unknown caption format {fmt!r}")
    header = _caption_header(title, duration, model_version, lang)
    hint = _hints("caption.hint", teaches, lang)
    room = MESSAGE_LIMIT - len(header) - len(hint) - 8
    limit = max(50, min(preview_chars, room))
    body = text.strip()
    if not body:
        shown, cut = _i18n("caption.no_speech", lang), False
    else:
        cut = len(body) > limit
        shown = escape_markdown(truncate(body, limit))
        if len(shown) > room:  # escaping added characters
            shown = escape_markdown(truncate(body, max(20, limit - (len(shown) - room) - 1)))
        shown = ">>> " + shown
    content = f"{header}\n{shown}\n{hint}"
    files = [(f"captions-{caption_id}.{fmt}", format_captions(cues, fmt).encode("utf-8"))]
    attach_text = cut and fmt != "txt"
    if attach_text:
        files.append((f"transcript-{caption_id}.txt", body.encode("utf-8")))
    return CaptionPost(fit_message(content), files, cut, lang=lang)


def _caption_header(title: str, duration: float, model_version: str, lang: str) -> str:
    if model_version == "base":
        model = _i18n("caption.base_model", lang)
    else:
        model = _i18n("caption.model", lang, version=model_version)
    shown = (
        _i18n("caption.voice_message", lang) if title == VOICE_TITLE else escape_markdown(truncate(title, 80))
    )
    return _i18n("caption.header", lang, title=shown, duration=duration_text(duration), model=model)


def _hints(key: str, teaches: bool, lang: str) -> str:
    hint = _i18n(key, lang)
    return f"{hint}\n{_i18n('caption.teaches', lang)}" if teaches else hint


def _plain_post(
    *, text: str, title: str, duration: float, model_version: str, teaches: bool, lang: str
) -> CaptionPost | None:
    """The 'text' style: header, every word of the caption, the hints; None when it does not fit."""
    body = escape_markdown(text.strip()) or _i18n("caption.no_speech", lang)
    hint = _hints("caption.hint_plain", teaches, lang)
    content = f"{_caption_header(title, duration, model_version, lang)}\n{body}\n{hint}"
    if len(content) > MESSAGE_LIMIT - MENTION_ROOM:  # room for the requester's mention when it is re-posted
        return None
    return CaptionPost(content, [], False, plain=True, lang=lang)


def split_for_modal(text: str, size: int = MODAL_FIELD_LIMIT, fields: int = MODAL_FIELDS) -> list[str] | None:
    """The transcript in at most `fields` pieces of at most `size` characters, split between words.

    None when it does not fit (the user is then asked to reply with an edited captions file instead).
    """
    words = text.split()
    if not words:
        return [""]
    parts: list[str] = []
    current = ""
    for word in words:
        while len(word) > size:  # a "word" longer than a field (no spaces): split it hard
            if current:
                parts.append(current)
                current = ""
            parts.append(word[:size])
            word = word[size:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) > size:
            parts.append(current)
            current = word
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts if len(parts) <= fields else None


def join_modal_parts(parts: Sequence[str | None]) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def correction_confirmation(
    pairs: int,
    total: int,
    min_pairs: int,
    proposed: Sequence[str] = (),
    notes: Sequence[str] = (),
    lang: str = "en",
) -> str:
    saved = text("correction.saved", lang, count=pairs)
    if total >= min_pairs:
        tally = text("correction.enough", lang, total=total)
    else:
        tally = text("correction.tally", lang, total=total, needed=min_pairs)
    lines = [saved, tally]
    if proposed:
        terms = ", ".join(escape_markdown(t) for t in proposed)
        lines.append(text("correction.proposed", lang, terms=terms))
    lines += notes
    return fit_message("\n".join(lines))


def vocabulary_text(terms: Sequence[str], lang: str = "en") -> str:
    if not terms:
        return text("vocab.list.empty", lang)
    head = text("vocab.list.head", lang, count=len(terms)) + "\n"
    shown: list[str] = []
    length = len(head)
    for index, term in enumerate(terms):
        piece = escape_markdown(term)
        rest = len(terms) - index
        if length + len(piece) + 2 > MESSAGE_LIMIT - 30:
            return head + ", ".join(shown) + text("vocab.list.more", lang, rest=rest)
        shown.append(piece)
        length += len(piece) + 2
    return head + ", ".join(shown)


def vocabulary_change(verb: str, changed: Sequence[str], asked: Sequence[str], lang: str = "en") -> str:
    """After /vocabmod add or remove (`verb` "added" or "removed"): what changed and what did not, and why."""
    unchanged = [t for t in asked if t.lower() not in {c.lower() for c in changed}]
    parts = []
    if changed:
        parts.append(text(f"vocab.{verb}", lang, terms=", ".join(escape_markdown(t) for t in changed)))
    if unchanged:
        reason = "vocab.already_in" if verb == "added" else "vocab.not_in"
        parts.append(text(reason, lang, terms=", ".join(escape_markdown(t) for t in unchanged)))
    return fit_message(" ".join(parts))


def parse_terms(raw: str) -> list[str]:
    """Terms typed into one option: separated by commas or new lines (a term may contain spaces)."""
    return [t.strip() for t in re.split(r"[,\n;]", raw) if t.strip()]


def _when(timestamp: float | None, lang: str = "en") -> str:
    return f"<t:{int(timestamp)}:R>" if timestamp else text("model.never", lang)


def model_report(
    active: Any, history: Sequence[Any], plan: ServingPlan, base_label: str, lang: str = "en"
) -> str:
    """What /model shows: what serves each kind of media and why, the model's numbers, then the history.

    The fixed sentences are in `lang`; what serves (plan.describe()), why, the scores and a version's status
    and reason are the serving plan's and the trainer's English."""
    lines = [text("model.serving", lang, plan=plan.describe(), base=base_label)]
    if plan.reason:
        lines.append(text("model.why", lang, reason=truncate(plan.reason, 300)))
    if active is None:
        lines.append(text("model.none", lang))
    else:
        metrics = RetrainResult.from_json(active.metrics or {})
        lines.append(text("model.latest", lang, version=active.version, when=_when(active.promoted_at, lang)))
        if metrics.before and metrics.test_words:
            lines.append(
                text("model.scores", lang, words=metrics.test_words, scores=scores_line(metrics.before))
            )
            lines.append(f"→ {scores_line(metrics.after)}")
    if active is not None and active.withdrawn:
        lines.append(text("model.withdrawn", lang, version=active.version))
    if history:
        lines.append("\n" + text("model.history", lang))
        for row in history[:10]:
            reason = f" — {truncate(row.reason, 120)}" if row.reason else ""
            withdrawn = text("model.withdrawn_mark", lang) if row.withdrawn else ""
            lines.append(f"v{row.version}: {row.status}{withdrawn}, {_when(row.created_at, lang)}{reason}")
        if len(history) > 10:
            lines.append(text("model.older", lang, count=len(history) - 10))
    return fit_message("\n".join(lines))


def rollback_text(previous: Any, base_label: str, lang: str = "en") -> str:
    if previous is None:
        return text("rollback.base", lang, base=base_label)
    return text("rollback.version", lang, version=previous.version)


def retrain_queued_text(job_id: int, pairs: int, lang: str = "en") -> str:
    return text("retrain.queued", lang, job_id=job_id, pairs=pairs)


def announcement_text(
    status: str, result: Mapping[str, Any] | None, message: str, requester: int | None, lang: str = "en"
) -> str:
    """The message posted when a retrain job ends; `result` is the job row's JSON (bot/core/retrain). Its fixed
    sentences are in `lang` (the server's); the summary and a failure's reason are the trainer's English."""
    who = text("retrain.asked_by", lang, user=requester) if requester else ""
    if status == JobStatus.SUCCEEDED and result:
        summary = without_links(retrain_summary(RetrainResult.from_json(result)))  # learned words quoted
        return fit_message(text("retrain.finished", lang, who=who) + f"\n{summary}")
    reason = _HOST_PATH.sub("(a file on the host)", message) if message else text("retrain.no_reason", lang)
    return fit_message(text("retrain.failed", lang, who=who, reason=reason))


INTERRUPTED_PROGRESS = text("restart.progress")  # English; the channel reads it in the server's language
_NOTICE_KEYS = {"voice": "restart.voice", "file": "restart.file", "link": "restart.link"}


def inline_code(text: str, limit: int = 200) -> str:
    """User text shown literally: one line, no backticks, short; no markdown, link preview or mention."""
    flat = " ".join(text.replace("`", "'").split())
    return f"`{truncate(flat, limit)}`" if flat else ""


def interrupted_text(user_id: int, kind: str, label: str, lang: str = "en") -> str:
    """Told after a restart, for each request the previous run accepted and never answered."""
    shown = inline_code(label) if kind != "voice" else ""
    key = _NOTICE_KEYS.get(kind, "restart.request")
    return fit_message(_i18n(key, lang, user=user_id, shown=f" {shown}" if shown else ""))


def short_name(filename: str, limit: int = 80) -> str:
    """A file name as it goes into a one-line message (names can be long and contain anything)."""
    return escape_markdown(truncate(" ".join(filename.split()), limit)) or "the file"


def forget_prompt(corrections: int, lang: str = "en") -> str:
    return text("forget.prompt", lang, corrections=text("forget.corrections", lang, count=corrections))


def forget_done(report: ForgetReport, files: int, lang: str = "en") -> str:
    """Exactly what went and what stays, from the store's own counts."""

    def count(key: str, n: int) -> str:
        return text(f"forget.{key}", lang, count=n)

    lines = [
        text(
            "forget.done",
            lang,
            corrections=count("corrections", report.corrections),
            captions=count("captions", report.captions),
            recordings=count("recordings", report.media),
            files=count("files", files),
            terms=count("terms", report.terms),
        )
    ]
    if report.shared_media:
        lines.append(text("forget.shared", lang, recordings=count("recordings", report.shared_media)))
    if report.models:
        versions = ", ".join(f"v{v} ({count('pairs', n)})" for v, n in report.models)
        lines.append(text("forget.withdrawn", lang, versions=versions))
    elif not report.unrecorded_models:
        lines.append(text("forget.no_model", lang))
    if report.unrecorded_models:
        versions = ", ".join(f"v{v}" for v in report.unrecorded_models)
        lines.append(text("forget.unrecorded", lang, versions=versions))
    return fit_message("\n".join(lines))
