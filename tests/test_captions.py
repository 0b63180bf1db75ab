"""Cue building, subtitle formats and their parsers: concrete cases a user would see, and properties."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.captions.cues import Cue, Word, build_cues, cues_from_segments, wrap_lines
from bot.core.captions.formats import (
    CaptionFormatError,
    format_captions,
    parse_captions,
    parse_srt,
    parse_vtt,
    to_json_cues,
    to_srt,
    to_text,
    to_vtt,
)


def spoken(text: str, *, start: float = 0.0, step: float = 0.3, length: float = 0.25) -> list[Word]:
    """Words said at a steady pace, as Whisper would time them."""
    return [Word(start + i * step, start + i * step + length, w) for i, w in enumerate(text.split())]


def lines_of(cue: Cue) -> list[str]:
    return cue.text.split("\n")


# --- build_cues ------------------------------------------------------------------------------------------


def test_short_sentence_is_one_cue_with_word_times() -> None:
    words = spoken("Hello there, how are you?")
    [cue] = build_cues(words)
    assert cue.text == "Hello there, how are you?"
    assert (cue.start, cue.end) == (0.0, 1.45)
    assert cue.words == words


def test_long_speech_gets_two_line_cues_of_at_most_42_characters() -> None:
    text = " ".join(["the quick brown fox jumps over the lazy dog"] * 6)
    cues = build_cues(spoken(text, step=0.1, length=0.08))
    assert len(cues) > 1
    for cue in cues:
        assert len(lines_of(cue)) <= 2
        assert all(len(line) <= 42 for line in lines_of(cue))
    assert " ".join(c.text for c in cues).split() == text.split()


def test_cue_ends_at_sentence_end_when_full_enough() -> None:
    text = "We trained the model on our own voice notes. Then we measured the word error rate again today."
    cues = build_cues(spoken(text, step=0.1, length=0.08))
    assert cues[0].text.replace("\n", " ") == "We trained the model on our own voice notes."


def test_cue_ends_at_clause_when_no_sentence_end_fits() -> None:
    text = "When the model was trained on the voice notes of this server, the error rate dropped by half overnight"
    cues = build_cues(spoken(text, step=0.1, length=0.08))
    assert cues[0].text.replace("\n", " ").endswith("server,")


def test_no_cue_is_on_screen_longer_than_max_duration() -> None:
    cues = build_cues(spoken("so um well I mean you know", step=2.0, length=1.0))
    assert len(cues) > 1
    assert all(c.end - c.start <= 7.0 + 1e-9 for c in cues)


def test_a_long_pause_starts_a_new_cue() -> None:
    words = [*spoken("first part"), *spoken("second part", start=5.0)]
    assert [c.text for c in build_cues(words)] == ["first part", "second part"]


def test_zero_length_word_gets_a_visible_duration_without_overlapping() -> None:
    words = [
        Word(1.0, 1.0, "Hi."),
        Word(1.1, 1.6, "Say"),
        Word(1.6, 1.9, "something."),
        Word(3.0, 3.0, "Ok."),
    ]
    cues = build_cues(words, max_line_chars=6)
    assert cues[0].end > cues[0].start
    assert cues[0].end <= cues[1].start
    assert cues[-1].end == pytest.approx(3.2)


def test_word_longer_than_a_line_gets_its_own_cue() -> None:
    long_word = "https://example.com/a/very/long/path/that/goes/on"
    cues = build_cues(spoken(f"see {long_word} now"))
    assert [c.text for c in cues] == ["see", long_word, "now"]


def test_backwards_word_times_still_give_ordered_cues() -> None:
    words = [Word(2.0, 2.5, "one"), Word(1.0, 1.5, "two"), Word(1.0, 1.0, "three")]
    cues = build_cues(words, max_line_chars=5, max_lines=1)
    assert [c.text for c in cues] == ["one", "two", "three"]
    assert all(a.end <= b.start and a.start < b.start for a, b in pairwise(cues))
    assert all(c.end > c.start for c in cues)


def test_empty_words_are_dropped_and_no_words_give_no_cues() -> None:
    assert build_cues([]) == []
    assert build_cues([Word(0, 1, ""), Word(1, 2, "  ")]) == []


def test_bad_limits_are_rejected() -> None:
    with pytest.raises(ValueError):
        build_cues(spoken("a b"), max_duration=0)


def test_segments_with_words_use_them_across_segment_boundaries() -> None:
    first, second = spoken("This sentence is"), spoken("split by Whisper.", start=0.9)
    cues = cues_from_segments(
        [(0.0, 0.9, "This sentence is", first), (0.9, 1.8, "split by Whisper.", second)]
    )
    assert [c.text for c in cues] == ["This sentence is split by Whisper."]


def test_segment_without_words_gets_times_by_character_count() -> None:
    [cue] = cues_from_segments([(10.0, 12.0, " hi there ", ())], max_line_chars=5, max_lines=1)[:1]
    assert (cue.text, cue.start, cue.end) == ("hi", 10.0, 10.571)
    assert [w.text for w in cue.words] == ["hi"]


def test_segments_as_the_transcription_gives_them() -> None:
    segment = (0.0, 1.0, "Hi there", (Word(0.0, 0.4, "Hi"), Word(0.5, 1.0, "there")))
    [cue] = cues_from_segments([segment])
    assert cue.text == "Hi there"
    assert cue.words == [Word(0.0, 0.4, "Hi"), Word(0.5, 1.0, "there")]


def test_segment_limits_are_passed_on() -> None:
    cues = cues_from_segments([(0.0, 1.0, "one two three", ())], max_line_chars=5, max_lines=1)
    assert [c.text for c in cues] == ["one", "two", "three"]


# --- wrap_lines ------------------------------------------------------------------------------------------


def test_wrap_is_balanced_and_breaks_after_punctuation() -> None:
    assert wrap_lines("It works really well on our server, and people like it a lot!") == (
        "It works really well on our server,\nand people like it a lot!"
    )
    assert wrap_lines("aaa bbb ccc ddd eee fff ggg hhh iii jjj kkk lll mmm nnn ooo ppp") == (
        "aaa bbb ccc ddd eee fff ggg hhh\niii jjj kkk lll mmm nnn ooo ppp"
    )


def test_wrap_short_empty_and_overlong() -> None:
    assert wrap_lines("  short\n text ") == "short text"
    assert wrap_lines(" \n ") == ""
    assert wrap_lines("a " + "x" * 50 + " b", 10) == "a\n" + "x" * 50 + "\nb"


def test_wrap_of_a_very_long_text_fills_lines_greedily() -> None:
    wrapped = wrap_lines("word, " * 2000)
    assert wrapped.split() == ["word,"] * 2000
    assert all(len(line) == 41 for line in wrapped.split("\n")[:-1])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=1, max_value=60))
def test_wrap_keeps_every_token_and_respects_the_width(text: str, width: int) -> None:
    wrapped = wrap_lines(text, width)
    assert wrapped.split() == text.split()
    for line in wrapped.split("\n") if wrapped else []:
        assert line == " ".join(line.split()) and line
        assert len(line) <= width or len(line.split()) == 1


# --- writers ---------------------------------------------------------------------------------------------

SAMPLE = [Cue(0.0, 1.5, "Hello there,\nfriend."), Cue(61.25, 3723.004, "<b>Tom</b> & Jerry -->")]


def test_to_vtt() -> None:
    assert to_vtt(SAMPLE) == (
        "WEBVTT\n\n"
        "00:00:00.000 --> 00:00:01.500\nHello there,\nfriend.\n\n"
        "00:01:01.250 --> 01:02:03.004\n&lt;b&gt;Tom&lt;/b&gt; &amp; Jerry --&gt;\n\n"
    )


def test_to_srt() -> None:
    assert to_srt(SAMPLE) == (
        "1\n00:00:00,000 --> 00:00:01,500\nHello there,\nfriend.\n\n"
        "2\n00:01:01,250 --> 01:02:03,004\n<b>Tom</b> & Jerry -->\n\n"
    )


def test_writers_skip_empty_cues_and_blank_lines() -> None:
    cues = [Cue(0, 1, ""), Cue(1, 2, "a\n\n  b  c ")]
    assert to_srt(cues) == "1\n00:00:01,000 --> 00:00:02,000\na\nb c\n\n"
    assert to_vtt([]) == "WEBVTT\n\n"


def test_to_text_runs_lines_together_and_breaks_paragraphs_at_pauses_after_sentences() -> None:
    cues = [
        Cue(0, 2, "This is the first\nsentence. And a"),
        Cue(5, 6, "second one."),
        Cue(9, 10, "A new"),
        Cue(13, 14, "topic."),
        Cue(14, 15, ""),
    ]
    assert to_text(cues) == "This is the first sentence. And a second one.\n\nA new topic."
    assert to_text([]) == ""


def test_json_and_format_captions() -> None:
    assert to_json_cues(SAMPLE[:1]) == [{"start": 0.0, "end": 1.5, "text": "Hello there, friend."}]
    assert json.loads(format_captions(SAMPLE, "json"))["cues"][1]["end"] == 3723.004
    assert format_captions(SAMPLE, "vtt") == to_vtt(SAMPLE)
    assert format_captions(SAMPLE, "srt") == to_srt(SAMPLE)
    assert format_captions(SAMPLE, "txt") == to_text(SAMPLE)
    with pytest.raises(ValueError, match="unknown caption format"):
        format_captions(SAMPLE, "docx")


# --- parsers ---------------------------------------------------------------------------------------------

YOUTUBE_STYLE_VTT = (
    "\ufeffWEBVTT - exported\r\nKind: captions\r\nLanguage: en\r\n\r\n"
    "STYLE\r\n::cue { color: yellow }\r\n\r\n"
    "NOTE written by hand\r\nover two lines\r\n\r\n"
    "intro\r\n00:01.000 --> 00:02.500 align:start position:10%  \r\n"
    "<v Bob>Hello <i>there</i></v>  \r\n<00:00:01.500><c>friend</c> &amp; co\r\n\r\n"
    "2\r\n00:00:03.000 --> 00:00:04.000\r\n\r\n"
    "00:00:05.000 --> 00:00:06.000\r\nLast   one\r\n"
)


def test_parse_vtt_with_headers_notes_settings_tags_and_crlf() -> None:
    assert parse_vtt(YOUTUBE_STYLE_VTT) == [
        Cue(1.0, 2.5, "Hello there\nfriend & co"),
        Cue(5.0, 6.0, "Last one"),
    ]


def test_parse_vtt_cue_right_after_the_header() -> None:
    assert parse_vtt("WEBVTT\n00:00:01.000 --> 00:00:02.000\nhi") == [Cue(1.0, 2.0, "hi")]


def test_parse_srt_with_tags_positions_and_missing_numbers() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:02,000 X1:10 X2:100\n<i>Hi</i> {\\an8}<font color='red'>there</font>\n\n"
        "00:00:03.000 --> 00:00:04,000\nno number\n\n"
        "3\n00:00:00,500 --> 00:00:00,900\nearlier\n"
    )
    assert parse_srt(text) == [
        Cue(0.5, 0.9, "earlier"),
        Cue(1.0, 2.0, "Hi there"),
        Cue(3.0, 4.0, "no number"),
    ]


def test_parse_captions_detects_the_format() -> None:
    assert parse_captions(to_vtt(SAMPLE)) == SAMPLE
    # SRT has no escaping: tags in SRT text are markup by convention, so a literal <b> cannot survive
    assert parse_captions(to_srt(SAMPLE)) == [SAMPLE[0], Cue(61.25, 3723.004, "Tom & Jerry -->")]
    assert parse_captions("\n\n  1\n00:00:00,000 --> 00:00:01,000\nx\n") == [Cue(0.0, 1.0, "x")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("WEBVTT\n\n00:01,2 --> 00:00:02.000\nx", 'line 3: bad timestamp "00:01,2" (expected HH:MM:SS.mmm)'),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:61.000\nx", 'line 3: bad timestamp "00:00:61.000"'),
        ("1\n00:00:01,000 --> \nx", 'line 2: bad timestamp "" (expected HH:MM:SS,mmm)'),
        ("1\n00:00:05,000 --> 00:00:04,000\nx", "line 2: the cue ends (00:00:04,000) before it starts"),
        ("WEBVTT\n\nid\nno timing here\n", "line 4: expected a cue timing line"),
        ("1\nHello\n", "line 2: expected a cue timing line"),
        (
            "1\n00:00:01,000 --> 00:00:02,000\nok\n\ntext after a blank line\n",
            "line 5: expected a cue timing",
        ),
        ("WEBVTT\n\nNOTE only a note\n", "no cues found"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<i></i>\n", "no cues found"),
        ("Dear diary,\ntoday I", 'line 1: not a WebVTT or SRT file (expected "WEBVTT" or a cue number)'),
        (" \r\n ", "the captions file is empty"),
    ],
)
def test_bad_files_are_rejected_with_a_line_number(text: str, message: str) -> None:
    with pytest.raises(CaptionFormatError) as caught:
        parse_captions(text)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_parse_vtt_requires_the_header() -> None:
    with pytest.raises(CaptionFormatError, match='line 1: a WebVTT file must start with "WEBVTT"'):
        parse_vtt("1\n00:00:01,000 --> 00:00:02,000\nx")


# --- properties ------------------------------------------------------------------------------------------

VISIBLE = st.characters(exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"))
caption_word = st.text(VISIBLE, min_size=1, max_size=12)
srt_word = st.text(
    st.characters(exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), exclude_characters="<{"),
    min_size=1,
    max_size=12,
)


@st.composite
def cue_lists(draw: st.DrawFn, words: st.SearchStrategy[str]) -> list[Cue]:
    cues, at = [], 0
    for _ in range(draw(st.integers(0, 8))):
        at += draw(st.integers(0, 90_000_000))
        length = draw(st.integers(0, 20_000))
        lines = draw(st.lists(st.lists(words, min_size=1, max_size=5), min_size=1, max_size=3))
        cues.append(Cue(at / 1000, (at + length) / 1000, "\n".join(" ".join(line) for line in lines)))
    return cues


def same_cues(parsed: list[Cue], written: list[Cue]) -> bool:
    return [(c.start, c.end, c.text) for c in parsed] == [(c.start, c.end, c.text) for c in written]


@settings(max_examples=200, deadline=None)
@given(cue_lists(caption_word))
def test_vtt_round_trip(cues: list[Cue]) -> None:
    if cues:
        assert same_cues(parse_vtt(to_vtt(cues)), cues)
        assert same_cues(parse_captions(to_vtt(cues)), cues)


@settings(max_examples=200, deadline=None)
@given(cue_lists(srt_word))
def test_srt_round_trip(cues: list[Cue]) -> None:
    if cues:
        assert same_cues(parse_srt(to_srt(cues)), cues)
        assert same_cues(parse_captions(to_srt(cues)), cues)


FRAGMENTS = (
    "WEBVTT|\n|\r\n|\n\n|1| --> |-->|00:00:01.000|00:01,000|99:59:59,999|NOTE|STYLE|<i>|</i>|<v A>|&amp;|&"
)
CAPTIONISH = st.lists(
    st.sampled_from([*FRAGMENTS.split("|"), "\ufeff", " ", "x", "1234567890" * 2]) | st.text(max_size=5)
).map("".join)


@st.composite
def damaged_files(draw: st.DrawFn) -> str:
    """A valid VTT or SRT file with a few random splices: mostly still readable, sometimes not."""
    writer = draw(st.sampled_from([to_vtt, to_srt]))
    text = writer(draw(cue_lists(caption_word)))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        text = (
            text[:at] + draw(st.sampled_from(FRAGMENTS.split("|")) | st.text(max_size=3)) + text[at + cut :]
        )
    return text


@settings(max_examples=300, deadline=None)
@given(st.text() | CAPTIONISH | damaged_files())
def test_parse_captions_only_ever_raises_caption_format_error(text: str) -> None:
    try:
        cues = parse_captions(text)
    except CaptionFormatError as error:
        assert "\n" not in str(error)
    else:
        assert cues and all(c.text and c.end >= c.start and not c.words for c in cues)


@st.composite
def word_streams(draw: st.DrawFn) -> list[Word]:
    words, at = [], 0
    for _ in range(draw(st.integers(0, 60))):
        at = max(0, at + draw(st.integers(-300, 4000)))
        length = draw(st.sampled_from([0, 1, 100, 300, 900, 9000]))
        text = draw(caption_word | st.text(VISIBLE, min_size=40, max_size=50))
        words.append(Word(at / 1000, (at + length) / 1000, text))
    return words


@settings(max_examples=200, deadline=None)
@given(word_streams(), st.sampled_from([(42, 2, 7.0), (20, 1, 3.0), (10, 3, 1.5)]))
def test_build_cues_invariants(words: list[Word], limits: tuple[int, int, float]) -> None:
    line_chars, max_lines, max_duration = limits
    cues = build_cues(words, max_line_chars=line_chars, max_lines=max_lines, max_duration=max_duration)
    assert [w for c in cues for w in c.words] == words
    assert " ".join(c.text for c in cues).split() == [w.text for w in words]
    for cue in cues:
        single_word = len(cue.words) == 1
        assert cue.text and cue.end > cue.start
        assert len(lines_of(cue)) <= max_lines or single_word
        assert all(len(line) <= line_chars or len(line.split()) == 1 for line in lines_of(cue))
        assert cue.end - cue.start <= max_duration + 1e-9 or single_word
        assert round(cue.start, 3) == cue.start and round(cue.end, 3) == cue.end
    for before, after in pairwise(cues):
        assert before.start < after.start and before.end <= after.start
