"""Slash-command options and what the bot posts, fuzzed with any unicode.

The pure helpers the cogs call on what users type (language codes, links, attachments, vocabulary terms,
correction text) either accept the input or raise a UserError whose message is one line that fits in a
Discord message; what the bot posts (caption previews, confirmations, lists, notices) never exceeds
Discord's 2000 characters, whatever the transcript or the names in it.
"""

from __future__ import annotations

import re
import types
from urllib.parse import urlsplit

import discord
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.core.captions.cues import Cue
from bot.core.config import config_from_dict
from bot.core.errors import UserError
from bot.core.media.downloads import check_link
from bot.core.retrain.report import retrain_summary
from bot.core.retrain.result import RetrainResult
from bot.core.transcription.languages import CODE as LANGUAGE
from bot.core.transcription.languages import checked_language
from bot.discord_app.attachments import _safe_name, is_media
from bot.discord_app.cogs.captioning import checked_source
from bot.discord_app.formatting import (
    MESSAGE_LIMIT,
    MODAL_FIELD_LIMIT,
    MODAL_FIELDS,
    announcement_text,
    caption_post,
    correction_confirmation,
    escape_markdown,
    fit_message,
    interrupted_text,
    parse_terms,
    short_name,
    split_for_modal,
    truncate,
    vocabulary_change,
    vocabulary_text,
)
from bot.discord_app.replies import user_message
from bot.discord_app.review_text import review_text, suggested_text
from bot.service import CaptionService
from bot.service.moderation import MAX_TERM_CHARS, checked_terms

FUZZ = settings(max_examples=300, deadline=None)
# any unicode (surrogates excluded: Discord delivers valid UTF-8), with the characters that break things
# drawn more often: line breaks of every kind, backticks, markdown, mentions, zero-width and RTL marks
_TRICKY = st.sampled_from(
    ["\n", "\r\n", "\u2028", "\x85", "\x00", "`", "*", "_", "|", ">", "#", "@everyone", "@here", "\u200b",
     "\u202e", "🎙️", "👩‍👩‍👧", "e\u0301", "ｙｏｕｔｕｂｅ", "。", "://", "www.", " "]
)  # fmt: skip
TEXT = st.lists(st.one_of(st.text(max_size=40), _TRICKY), max_size=60).map("".join)
LONG_TEXT = st.one_of(TEXT, st.builds(lambda t, n: t * n, TEXT, st.integers(1, 400)))
# the production link rules without the DNS look-up (names only; the look-up is tested in test_media.py)
LINKS = config_from_dict(
    {"media": {"allowed_hosts": ["youtube.com", "youtu.be"], "allow_private_addresses": True}}
).media


def one_line_user_error(error: UserError) -> None:
    message = str(error)
    assert message and len(message.splitlines()) == 1, repr(message)
    assert len(user_message(error)) <= MESSAGE_LIMIT


def attachment(filename: str, content_type: str | None) -> discord.Attachment:
    data = {"id": "1", "filename": filename, "size": 10, "url": "https://cdn/x", "proxy_url": "https://cdn/x"}
    if content_type is not None:
        data["content_type"] = content_type
    return discord.Attachment(data=data, state=types.SimpleNamespace(http=None))  # type: ignore[arg-type]


# --- options: accepted as something sane, or one clear line -------------------------------------------------


@FUZZ
@given(st.one_of(st.none(), TEXT))
@example("EN")
@example(" auto ")
@example("\u212ao")  # the Kelvin sign lowercases to an ASCII k
def test_language_option(language: str | None) -> None:
    try:
        code = checked_language(language)
    except UserError as error:
        one_line_user_error(error)
    else:
        assert code is None if language is None else LANGUAGE.fullmatch(code)


HOSTS = st.sampled_from(
    ["youtube.com", "www.youtube.com", "YOUTU.BE.", "youtube.com.evil.example", "evil.example", "127.0.0.1",
     "[::1]", "2130706433", "0x7f000001", "ｙｏｕｔｕｂｅ.com", "youtube.com。evil.example", "xn--youtube-.com",
     "youtube.com:99999", "youtube.com:443", "", "user:pw@youtube.com", "evil.example\\@youtube.com",
     "evil.example#@youtube.com", "youtube.com@evil.example"]
)  # fmt: skip
URLS = st.builds(
    lambda scheme, host, path: f"{scheme}{host}{path}",
    st.sampled_from(
        ["https://", "http://", "HTTPS://", "ftp://", "file://", "javascript:", "www.", "//", ""]
    ),
    st.one_of(HOSTS, st.builds(lambda a, b: a + b, HOSTS, TEXT)),
    st.one_of(st.just("/watch?v=x"), TEXT),
)


@FUZZ
@given(st.one_of(URLS, TEXT))
@example("https://youtube.com/watch?v=1")
@example("https://evil.example#@youtube.com/")
def test_link_option_is_refused_or_stays_on_an_allowed_host(link: str) -> None:
    """What /caption's link check and the media allowlist let through is an http(s) link to an allowed host."""
    try:
        source = checked_source(link, None)
        url = check_link(str(source), LINKS)
    except UserError as error:
        one_line_user_error(error)
        return
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    assert parts.scheme in ("http", "https") and parts.username is None and parts.password is None
    assert host in ("youtube.com", "youtu.be") or host.endswith((".youtube.com", ".youtu.be")), url


@FUZZ
@given(
    filename=st.one_of(TEXT, st.builds(lambda t, s: t + s, TEXT, st.sampled_from([".ogg", ".png", ".mp4"]))),
    content_type=st.one_of(
        st.none(), st.sampled_from(["audio/ogg", "image/png", "application/octet-stream", "video/mp4"]), TEXT
    ),
)
def test_file_option(filename: str, content_type: str | None) -> None:
    file = attachment(filename, content_type)
    try:
        assert checked_source(None, file) is file
    except UserError as error:
        one_line_user_error(error)
        assert not is_media(filename, content_type)
    else:
        assert is_media(filename, content_type)
    safe = _safe_name(filename)  # the name a download is written under: never a path
    assert safe.startswith("attachment") and "/" not in safe and "\x00" not in safe


@FUZZ
@given(LONG_TEXT)
@example(" , ;\n")
@example("x" * (MAX_TERM_CHARS + 1))
def test_vocabulary_terms(raw: str) -> None:
    terms = parse_terms(raw)
    assert all(t and t == t.strip() and not set(t) & set(",;\n") for t in terms)
    try:
        checked = checked_terms(terms)
    except UserError as error:
        one_line_user_error(error)
        return
    assert checked and all(0 < len(t) <= MAX_TERM_CHARS and t == " ".join(t.split()) for t in checked)
    for verb in ("added", "removed"):
        assert len(vocabulary_change(verb, checked[: len(checked) // 2], checked)) <= MESSAGE_LIMIT


CORRECTIONS = CaptionService(config_from_dict({"correction": {"max_chars": 500}}), None, None)  # type: ignore[arg-type]


@FUZZ
@given(LONG_TEXT)
def test_correction_text(text: str) -> None:
    try:
        kept = CORRECTIONS._checked_text(text)
    except UserError as error:
        one_line_user_error(error)
    else:
        assert kept and kept == text.strip() and len(kept) <= 500


# --- what the bot posts fits Discord, whatever was said -----------------------------------------------------


@FUZZ
@given(
    text=LONG_TEXT,
    title=TEXT,
    preview_chars=st.integers(1, 5000),
    fmt=st.sampled_from(["vtt", "srt", "txt"]),
    duration=st.floats(0, 360000),
    version=st.sampled_from(["base", "v1", "v12345"]),
    plain=st.booleans(),
    lang=st.sampled_from(["en", "de", "fr", "es"]),
)
def test_caption_preview_fits_one_message(text, title, preview_chars, fmt, duration, version, plain, lang):
    cues = [Cue(float(i), float(i) + 0.9, line) for i, line in enumerate(text.splitlines()[:50]) if line]
    post = caption_post(
        caption_id=1, cues=cues, text=text, title=title, duration=duration, model_version=version, fmt=fmt,
        preview_chars=preview_chars, plain=plain, lang=lang,
    )  # fmt: skip
    assert len(post.content) <= MESSAGE_LIMIT
    assert post.plain == (plain and not post.files)
    if post.plain:  # the 'text' style: every word in the message (room left for a mention), or the file style
        assert len(post.content) <= MESSAGE_LIMIT - 30 and escape_markdown(text.strip()) in post.content
        assert "@everyone" not in post.content and "@here" not in post.content
        return
    assert "@everyone" not in post.content and "@here" not in post.content
    names = [name for name, _ in post.files]
    assert names[0] == f"captions-1.{fmt}"
    if post.truncated and fmt != "txt":  # the whole text is never lost: it comes as a file
        assert names[1] == "transcript-1.txt" and post.files[1][1] == text.strip().encode("utf-8")


@FUZZ
@given(st.lists(TEXT, max_size=300), st.integers(0, 10**6), st.integers(0, 10**6), TEXT)
def test_lists_confirmations_and_notices_fit_one_message(terms, pairs, total, label) -> None:
    assert len(vocabulary_text(terms)) <= MESSAGE_LIMIT
    assert len(correction_confirmation(pairs, total, 10, terms)) <= MESSAGE_LIMIT
    assert len(announcement_text("failed", None, label * 50, pairs)) <= MESSAGE_LIMIT
    for kind in ("link", "file", "voice"):
        notice = interrupted_text(pairs, kind, label * 50)
        assert len(notice) <= MESSAGE_LIMIT and notice.startswith(f"<@{pairs}> ")
        assert notice.count("`") in (0, 2) and "\n" not in notice  # the label is one inline-code span


@FUZZ
@given(LONG_TEXT)
def test_the_correction_form_holds_the_transcript_or_says_no(text: str) -> None:
    parts = split_for_modal(text)
    if parts is None:
        return  # the user is asked for an edited .vtt instead
    assert len(parts) <= MODAL_FIELDS and all(len(p) <= MODAL_FIELD_LIMIT for p in parts)
    joined = " ".join(parts).split()
    assert "".join(joined) == "".join(text.split())  # every character, in order
    if all(len(word) <= MODAL_FIELD_LIMIT for word in text.split()):
        assert joined == text.split()  # and every word whole (only a word longer than a field is cut)


@FUZZ
@given(TEXT, st.integers(1, 3000))
def test_truncation_and_escaping(text: str, limit: int) -> None:
    assert len(truncate(text, limit)) <= limit
    assert len(fit_message(text * 3)) <= MESSAGE_LIMIT
    escaped = escape_markdown(text)
    assert "@everyone" not in escaped and "@here" not in escaped


def renders_a_link(text: str) -> bool:
    """Whether Discord would show a link in this text: a masked link whose brackets are not escaped (an odd
    run of backslashes escapes), or a URL scheme followed by :// (autolinked)."""
    for match in re.finditer(r"(\\*)\[[^\]]*?(\\*)\]\(", text):
        if len(match[1]) % 2 == 0 and len(match[2]) % 2 == 0:
            return True
    return re.search(r"(?i)\b(https?|ftp|steam|discord)://", text) is not None


MASKED = st.sampled_from(
    [
        "[Free Nitro](https://evil.example/login)",
        "[x](<http://a.b>)",
        "\\[y](ftp://c.d)",
        "https://bare.example",
    ]
)


@FUZZ
@given(TEXT, MASKED, TEXT)
def test_titles_terms_and_names_never_render_as_links(before: str, link: str, after: str) -> None:
    """L3: remote and member text with a masked link or a URL is shown as text, wherever it is shown."""
    text = before + link + after
    assert renders_a_link(link)  # control: the raw text would be a link
    assert not renders_a_link(escape_markdown(text))
    post = caption_post(
        caption_id=1, cues=[Cue(0.0, 1.0, "hello")], text="hello", title=text, duration=1.0,
        model_version="base", fmt="vtt", preview_chars=500,
    )  # fmt: skip
    assert not renders_a_link(post.content)
    for shown in (
        suggested_text([text], [text]),
        review_text([text]),
        vocabulary_text([text]),
        short_name(text),
    ):
        assert not renders_a_link(shown), shown
    result = {"promoted": True, "learned_words": [link]}
    assert renders_a_link(retrain_summary(RetrainResult.from_json(result)))  # control: the CLI's words
    assert not renders_a_link(announcement_text("succeeded", result, "", None))


@pytest.mark.parametrize("message", ["x" * 5000, "line one\nline two\u2028three", "\n\n"])
def test_user_errors_are_one_line_that_fits(message: str) -> None:
    error = UserError(message + " end")
    one_line_user_error(error)
