"""Caption data, cue building from word timestamps, and WebVTT / SRT / plain-text conversion.

Cue building follows the usual subtitle guidelines: at most two balanced lines of about 42 characters, no
cue on screen longer than a few seconds, cues that end at sentence (else clause) punctuation where that
still leaves the cue reasonably full, and a new cue after a pause. Times are kept in whole milliseconds
internally so that what is written is exactly what is read back.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Word:
    start: float  # seconds
    end: float
    text: str  # without surrounding whitespace, punctuation attached as Whisper gives it ("Hello,")


@dataclass
class Cue:
    start: float
    end: float
    text: str  # lines joined by "\n"
    words: list[Word] = field(default_factory=list)  # empty when the cue came from a file


class CaptionFormatError(ValueError):
    """A captions file that cannot be read; the message is one line a user can act on."""


# --- cue building ----------------------------------------------------------------------------------------

_MIN_CUE_MS = 200  # a zero-length word still needs to be on screen long enough to be seen
_PAUSE_MS = 1500  # silence this long starts a new cue, so a caption does not hang over the silence
_SENTENCE_MARKS = (".", "!", "?", "…", "。", "！", "？")
_CLAUSE_MARKS = (",", ";", ":", "，", "、", "；", "：")
_CLOSERS = "\"'”’)]}»"
_ABBREVIATIONS = frozenset({"mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "vs.", "e.g.", "i.e.", "approx."})


@dataclass(frozen=True)
class _TimedWord:
    """A word with sanitised whole-millisecond times; `word` is what the cue hands back."""

    start: int
    end: int
    word: Word
    token_lengths: tuple[int, ...]


@dataclass(frozen=True)
class _Limits:
    line_chars: int
    lines: int
    duration_ms: int

    @property
    def capacity(self) -> int:
        return self.line_chars * self.lines


def build_cues(
    words: Sequence[Word], *, max_line_chars: int = 42, max_lines: int = 2, max_duration: float = 7.0
) -> list[Cue]:
    """Group timed words into readable cues (see the module docstring for the rules)."""
    limits = _checked_limits(max_line_chars, max_lines, max_duration)
    groups = _group_words(_timed_words(words), limits)
    return _cues_from_groups(groups, limits)


def cues_from_segments(
    segments: Sequence[tuple[float, float, str, Sequence[Word] | None]], **limits: Any
) -> list[Cue]:
    """Cues for a faster-whisper transcript; segments without word timestamps get interpolated ones.

    Segment boundaries are deliberately ignored: Whisper cuts segments every ~30 s of audio, not at
    sentences, so cues are built over the whole word stream.
    """
    words: list[Word] = []
    for segment in segments:
        start, end, text, segment_words = _segment_fields(segment)
        converted = [_as_word(w) for w in segment_words or ()]
        words.extend(converted if converted else _interpolated_words(start, end, text))
    return build_cues(words, **limits)


def _segment_fields(segment: Any) -> tuple[float, float, str, Sequence[Any] | None]:
    """Accept the documented tuple and also faster-whisper's own Segment objects."""
    if hasattr(segment, "text"):
        return segment.start, segment.end, segment.text, getattr(segment, "words", None)
    start, end, text, words = segment
    return start, end, text, words


def _as_word(item: Any) -> Word:
    """Accept our Word and also faster-whisper's Word (whose text is in `.word` with a leading space)."""
    if isinstance(item, Word):
        return item
    text = getattr(item, "text", None)
    if text is None:
        text = getattr(item, "word", "")
    return Word(item.start, item.end, str(text).strip())


def _interpolated_words(start: float, end: float, text: str) -> list[Word]:
    """Spread a segment's time over its words by character count: long words take longer to say."""
    tokens = text.split()
    total = sum(len(t) for t in tokens)
    start, end = _seconds(start), _seconds(end)
    words, done = [], 0
    for token in tokens:
        word_start = start + (end - start) * done / total
        done += len(token)
        words.append(Word(word_start, start + (end - start) * done / total, token))
    return words


def _seconds(value: Any) -> float:
    """A time as float; an unusable one becomes NaN, which _timed_words then replaces."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _checked_limits(max_line_chars: int, max_lines: int, max_duration: float) -> _Limits:
    if max_line_chars < 1 or max_lines < 1 or not max_duration > 0:
        raise ValueError("max_line_chars and max_lines must be at least 1 and max_duration above 0")
    return _Limits(max_line_chars, max_lines, max(1, round(max_duration * 1000)))


def _to_ms(seconds: Any, default: int) -> int:
    try:
        ms = float(seconds) * 1000
    except (TypeError, ValueError):
        return default
    return max(0, round(ms)) if math.isfinite(ms) else default


def _timed_words(words: Sequence[Word]) -> list[_TimedWord]:
    """Drop empty words and make times monotonic: Whisper's word times occasionally run backwards."""
    timed: list[_TimedWord] = []
    previous_start = 0
    for item in words:
        word = _as_word(item)
        tokens = word.text.split()
        if not tokens:
            continue
        start = max(_to_ms(word.start, previous_start), previous_start)
        end = max(_to_ms(word.end, start), start)
        timed.append(_TimedWord(start, end, word, tuple(len(t) for t in tokens)))
        previous_start = start
    return timed


def _group_words(words: list[_TimedWord], limits: _Limits) -> list[list[_TimedWord]]:
    groups: list[list[_TimedWord]] = []
    current: list[_TimedWord] = []
    for word in words:
        if current and word.start - current[-1].end >= _PAUSE_MS:
            groups.append(current)
            current = []
        while current and not _fits([*current, word], limits):
            emitted, current = _split(current, limits)
            groups.append(emitted)
        current.append(word)
        if _ends_sentence(word.word.text) and _chars(current) >= limits.line_chars // 2:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _fits(words: list[_TimedWord], limits: _Limits) -> bool:
    if len(words) == 1:
        return True
    lengths = [n for w in words for n in w.token_lengths]
    if max(lengths) > limits.line_chars:
        return False  # an over-long word gets a cue of its own
    if _line_count(lengths, limits.line_chars) > limits.lines:
        return False
    return max(w.end for w in words) - words[0].start <= limits.duration_ms


def _split(words: list[_TimedWord], limits: _Limits) -> tuple[list[_TimedWord], list[_TimedWord]]:
    """Where a full cue should end: the last sentence end, else clause end, that leaves it well filled."""
    for marks_end, min_fill in ((_ends_sentence, limits.capacity // 3), (_ends_clause, limits.capacity // 2)):
        for cut in range(len(words) - 1, 0, -1):
            if marks_end(words[cut - 1].word.text) and _chars(words[:cut]) >= min_fill:
                return words[:cut], words[cut:]
    return words, []


def _chars(words: list[_TimedWord]) -> int:
    lengths = [n for w in words for n in w.token_lengths]
    return sum(lengths) + len(lengths) - 1


def _bare(text: str) -> str:
    return text.rstrip(_CLOSERS)


def _ends_sentence(text: str) -> bool:
    return _bare(text).endswith(_SENTENCE_MARKS) and text.lower() not in _ABBREVIATIONS


def _ends_clause(text: str) -> bool:
    return _bare(text).endswith(_CLAUSE_MARKS)


def _ends_phrase(text: str) -> bool:
    return _ends_sentence(text) or _ends_clause(text)


def _line_count(lengths: list[int], line_chars: int) -> int:
    """Fewest lines the tokens fit in (greedy filling is optimal for the count)."""
    lines, used = 1, lengths[0]
    for length in lengths[1:]:
        if used + 1 + length <= line_chars:
            used += 1 + length
        else:
            lines, used = lines + 1, length
    return lines


def _cues_from_groups(groups: list[list[_TimedWord]], limits: _Limits) -> list[Cue]:
    """Times for each group: strictly increasing starts, end > start, and no cue running into the next."""
    starts: list[int] = []
    for group in groups:
        starts.append(max(group[0].start, starts[-1] + 1) if starts else group[0].start)
    min_ms = min(_MIN_CUE_MS, limits.duration_ms)
    cues = []
    for index, group in enumerate(groups):
        start = starts[index]
        end = max(max(w.end for w in group), start + min_ms)
        if index + 1 < len(starts):
            end = min(end, starts[index + 1])
        text = wrap_lines(" ".join(w.word.text for w in group), limits.line_chars)
        cues.append(Cue(start / 1000, end / 1000, text, [w.word for w in group]))
    return cues


_BALANCE_MAX_TOKENS = 400  # beyond a few cues' worth of words balancing is pointless and slow: fill greedily


def wrap_lines(text: str, max_line_chars: int = 42) -> str:
    """Fewest lines, as even as possible, preferring a break after punctuation (subtitle style guides).

    On a tie the bottom line is the longer one, which reads better under a picture.
    """
    tokens = text.split()
    if not tokens:
        return ""
    max_line_chars = max(1, max_line_chars)
    if len(tokens) > _BALANCE_MAX_TOKENS:
        starts = _greedy_line_starts(tokens, max_line_chars)
    else:
        starts = _balanced_line_starts(tokens, max_line_chars)
    bounds = zip(starts, [*starts[1:], len(tokens)], strict=True)
    return "\n".join(" ".join(tokens[first:last]) for first, last in bounds)


def _greedy_line_starts(tokens: list[str], max_line_chars: int) -> list[int]:
    starts, used = [0], len(tokens[0])
    for index, token in enumerate(tokens[1:], 1):
        if used + 1 + len(token) <= max_line_chars:
            used += 1 + len(token)
        else:
            starts.append(index)
            used = len(token)
    return starts


def _balanced_line_starts(tokens: list[str], max_line_chars: int) -> list[int]:
    """Dynamic program over break points: (line count, squared line lengths - punctuation bonus)."""
    lengths = [len(t) for t in tokens]
    break_bonus = max_line_chars * max_line_chars // 10  # worth ~9 characters of imbalance at 42
    # best[i]: (lines, cost, start of the last line) for the first i tokens
    best: list[tuple[int, int, int]] = [(0, 0, 0)]
    for end in range(1, len(tokens) + 1):
        bonus = break_bonus if end < len(tokens) and _ends_phrase(tokens[end - 1]) else 0
        choice = (len(tokens) + 1, 0, 0)
        width = -1
        for start in range(end - 1, -1, -1):
            width += lengths[start] + 1
            if width > max_line_chars and start < end - 1:
                break
            lines, cost, _ = best[start]
            candidate = (lines + 1, cost + width * width - bonus, start)
            if candidate[:2] <= choice[:2]:
                choice = candidate
        best.append(choice)
    starts, end = [], len(tokens)
    while end > 0:
        end = best[end][2]
        starts.append(end)
    return starts[::-1]


# --- writing ---------------------------------------------------------------------------------------------


def _format_timestamp(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def _cue_lines(cue: Cue) -> list[str]:
    """The cue's non-empty lines with whitespace collapsed: a blank line would end the cue in a file."""
    return [" ".join(line.split()) for line in cue.text.split("\n") if line.split()]


def _cue_times(cue: Cue) -> tuple[int, int]:
    start = _to_ms(cue.start, 0)
    return start, max(_to_ms(cue.end, start), start)


def _timed_blocks(cues: Iterable[Cue], separator: str, escape: bool) -> list[str]:
    blocks = []
    for cue in cues:
        lines = _cue_lines(cue)
        if not lines:
            continue
        start, end = _cue_times(cue)
        if escape:
            lines = [html.escape(line, quote=False) for line in lines]
        timing = f"{_format_timestamp(start, separator)} --> {_format_timestamp(end, separator)}"
        blocks.append("\n".join([timing, *lines]))
    return blocks


def to_vtt(cues: Iterable[Cue]) -> str:
    """WebVTT; text is escaped (&, <, >) so that caption text can never be read back as markup."""
    blocks = _timed_blocks(cues, ".", escape=True)
    return "WEBVTT\n\n" + "".join(block + "\n\n" for block in blocks)


def to_srt(cues: Iterable[Cue]) -> str:
    blocks = _timed_blocks(cues, ",", escape=False)
    return "".join(f"{number}\n{block}\n\n" for number, block in enumerate(blocks, 1))


_PARAGRAPH_PAUSE = 2.0  # seconds of silence after a sentence that start a new paragraph
_PARAGRAPH_CHARS = 600  # a long paragraph is broken at the next sentence end so it stays readable


def to_text(cues: Iterable[Cue]) -> str:
    """Plain reading text: cue lines run together, paragraphs only at sentence ends (pause or length)."""
    paragraphs: list[list[str]] = []
    length, previous_end = 0, 0.0
    for cue in cues:
        text = " ".join(cue.text.split())
        if not text:
            continue
        if paragraphs and _ends_sentence(paragraphs[-1][-1].rsplit(" ", 1)[-1]):
            long_pause = cue.start - previous_end >= _PARAGRAPH_PAUSE
            if long_pause or length >= _PARAGRAPH_CHARS:
                paragraphs.append([])
                length = 0
        if not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(text)
        length += len(text) + 1
        previous_end = cue.end
    return "\n\n".join(" ".join(p) for p in paragraphs)


def to_json_cues(cues: Iterable[Cue]) -> list[dict[str, Any]]:
    result = []
    for cue in cues:
        start, end = _cue_times(cue)
        result.append({"start": start / 1000, "end": end / 1000, "text": " ".join(cue.text.split())})
    return result


def format_captions(cues: Iterable[Cue], fmt: str) -> str:
    """Captions as "vtt", "srt", "txt" or "json" (a JSON object {"cues": [...]})."""
    fmt = fmt.lower().lstrip(".")
    if fmt == "vtt":
        return to_vtt(cues)
    if fmt == "srt":
        return to_srt(cues)
    if fmt == "txt":
        return to_text(cues)
    if fmt == "json":
        return json.dumps({"cues": to_json_cues(cues)}, ensure_ascii=False)
    raise ValueError(f"unknown caption format {fmt!r}: use vtt, srt, txt or json")


# --- reading ---------------------------------------------------------------------------------------------

_TIMESTAMP = re.compile(r"(?:([0-9]{1,9}):)?([0-9]{2}):([0-9]{2})[.,]([0-9]{3})")
_ANY_TAG = re.compile(r"<[^<>\n]*>")
_SRT_TAG = re.compile(r"</?(?:i|b|u|s|c|v|font|span|ruby|rt|lang)\b[^<>\n]*>|<[0-9][0-9:.]*>", re.IGNORECASE)
_ASS_OVERRIDE = re.compile(r"\{\\[^{}\n]*\}")
_SRT_NUMBER = re.compile(r"[0-9]+")
_WEBVTT_HEADER = re.compile(r"WEBVTT(?:[ \t].*)?")
_SKIPPED_VTT_BLOCKS = ("NOTE", "STYLE", "REGION")

_Line = tuple[int, str]  # (1-based line number, text)


def _blocks(text: str) -> list[list[_Line]]:
    """Blank-line separated blocks of numbered, right-stripped lines (BOM and CR/CRLF tolerated)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            current.append((number, line.rstrip()))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _shown(token: str) -> str:
    token = "".join(ch if ch.isprintable() else "?" for ch in token)
    return token if len(token) <= 40 else token[:40] + "…"


def _parse_timestamp(token: str, number: int, expected: str) -> int:
    match = _TIMESTAMP.fullmatch(token)
    if not match or int(match[2]) >= 60 or int(match[3]) >= 60:
        raise CaptionFormatError(f'line {number}: bad timestamp "{_shown(token)}" (expected {expected})')
    hours, minutes, seconds, millis = (int(g or 0) for g in match.groups())
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def _parse_timing(line: _Line, expected: str) -> tuple[int, int]:
    """Start and end of a "start --> end [settings]" line; settings (align:start ...) are ignored."""
    number, text = line
    left, _, right = text.partition("-->")
    start_token = left.strip()
    end_token = right.split()[0] if right.split() else ""
    start = _parse_timestamp(start_token, number, expected)
    end = _parse_timestamp(end_token, number, expected)
    if end < start:
        raise CaptionFormatError(
            f"line {number}: the cue ends ({end_token}) before it starts ({start_token})"
        )
    return start, end


def _missing_timing(number: int, example: str) -> CaptionFormatError:
    return CaptionFormatError(f'line {number}: expected a cue timing line like "{example}"')


def _cue_text(lines: list[_Line], strip_markup: Any) -> str:
    cleaned = (" ".join(strip_markup(text).split()) for _, text in lines)
    return "\n".join(line for line in cleaned if line)


def _vtt_markup(text: str) -> str:
    return html.unescape(_ANY_TAG.sub("", text))


def _srt_markup(text: str) -> str:
    return _ASS_OVERRIDE.sub("", _SRT_TAG.sub("", text))


def _finished(cues: list[Cue]) -> list[Cue]:
    if not cues:
        raise CaptionFormatError("no cues found: the file has no timed caption text")
    return sorted(cues, key=lambda cue: cue.start)


def _is_vtt_skipped(first_line: str) -> bool:
    return any(re.fullmatch(f"{kind}(?:[ \t].*)?", first_line) for kind in _SKIPPED_VTT_BLOCKS)


def parse_vtt(text: str) -> list[Cue]:
    """WebVTT cues; identifiers, settings, NOTE/STYLE/REGION blocks and markup are dropped."""
    blocks = _blocks(text)
    if not blocks or not _WEBVTT_HEADER.fullmatch(blocks[0][0][1]):
        number = blocks[0][0][0] if blocks else 1
        raise CaptionFormatError(f'line {number}: a WebVTT file must start with "WEBVTT"')
    header = blocks.pop(0)
    timed = [k for k, (_, line) in enumerate(header) if "-->" in line]
    if timed:  # no blank line after the header: the cue starts inside the header block
        blocks.insert(0, header[timed[0] :])
    cues = []
    for block in blocks:
        if _is_vtt_skipped(block[0][1]):
            continue
        timing_at = 0 if "-->" in block[0][1] else 1
        if timing_at >= len(block) or "-->" not in block[timing_at][1]:
            raise _missing_timing(block[min(timing_at, len(block) - 1)][0], "00:00:01.000 --> 00:00:04.000")
        start, end = _parse_timing(block[timing_at], "HH:MM:SS.mmm")
        cue_text = _cue_text(block[timing_at + 1 :], _vtt_markup)
        if cue_text:
            cues.append(Cue(start / 1000, end / 1000, cue_text))
    return _finished(cues)


def parse_srt(text: str) -> list[Cue]:
    """SubRip cues; the cue numbers are not checked, simple <i>/<b>/<font> and {\\an8} markup is dropped."""
    cues = []
    for block in _blocks(text):
        timing_at = 0 if "-->" in block[0][1] else 1
        if timing_at == 1 and not _SRT_NUMBER.fullmatch(block[0][1].strip()):
            raise _missing_timing(block[0][0], "00:00:01,000 --> 00:00:04,000")
        if timing_at >= len(block) or "-->" not in block[timing_at][1]:
            raise _missing_timing(block[min(timing_at, len(block) - 1)][0], "00:00:01,000 --> 00:00:04,000")
        start, end = _parse_timing(block[timing_at], "HH:MM:SS,mmm")
        cue_text = _cue_text(block[timing_at + 1 :], _srt_markup)
        if cue_text:
            cues.append(Cue(start / 1000, end / 1000, cue_text))
    return _finished(cues)


def parse_captions(text: str) -> list[Cue]:
    """Read a WebVTT or SRT file, telling them apart by the "WEBVTT" header."""
    blocks = _blocks(text)
    if not blocks:
        raise CaptionFormatError("the captions file is empty")
    number, first = blocks[0][0]
    if _WEBVTT_HEADER.fullmatch(first):
        return parse_vtt(text)
    if _SRT_NUMBER.fullmatch(first.strip()) or "-->" in first:
        return parse_srt(text)
    raise CaptionFormatError(f'line {number}: not a WebVTT or SRT file (expected "WEBVTT" or a cue number)')
