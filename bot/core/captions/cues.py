"""Cues from timed words: how speech is shown on screen, following the usual subtitle guidelines.

At most two balanced lines of about 42 characters, no cue on screen longer than a few seconds, cues that end
at sentence (else clause) punctuation where that still leaves the cue reasonably full, and a new cue after a
pause. Times are kept in whole milliseconds, what the caption files hold (bot.core.captions.formats), so that
what is written is exactly what is read back.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Word:
    start: float  # seconds
    end: float
    text: str  # without surrounding whitespace, punctuation attached as Whisper gives it ("Hello,")
    # Whisper's probability for the word (1.0 where none is known: files, corrections); not part of equality
    probability: float = field(default=1.0, compare=False)


@dataclass
class Cue:
    start: float
    end: float
    text: str  # lines joined by "\n"
    words: list[Word] = field(default_factory=list)  # empty when the cue came from a file


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
    segments: Sequence[tuple[float, float, str, Sequence[Word]]], **limits: Any
) -> list[Cue]:
    """Cues for a transcript's segments; a segment without word timestamps gets interpolated ones.

    Each segment is (start, end, text, words) as bot.core.transcription.engine gives it. Segment boundaries are
    deliberately ignored: Whisper cuts segments every ~30 s of audio, not at sentences, so cues are built
    over the whole word stream.
    """
    words: list[Word] = []
    for start, end, text, segment_words in segments:
        words.extend(segment_words or _interpolated_words(start, end, text))
    return build_cues(words, **limits)


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


def to_ms(seconds: Any, default: int) -> int:
    """Shared with the writers, so cue times and written times round alike; an unusable time is `default`."""
    try:
        ms = float(seconds) * 1000
    except (TypeError, ValueError):
        return default
    return max(0, round(ms)) if math.isfinite(ms) else default


def _timed_words(words: Sequence[Word]) -> list[_TimedWord]:
    """Drop empty words and make times monotonic: Whisper's word times occasionally run backwards."""
    timed: list[_TimedWord] = []
    previous_start = 0
    for word in words:
        tokens = word.text.split()
        if not tokens:
            continue
        start = max(to_ms(word.start, previous_start), previous_start)
        end = max(to_ms(word.end, start), start)
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
        if ends_sentence(word.word.text) and _chars(current) >= limits.line_chars // 2:
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
    for marks_end, min_fill in ((ends_sentence, limits.capacity // 3), (_ends_clause, limits.capacity // 2)):
        for cut in range(len(words) - 1, 0, -1):
            if marks_end(words[cut - 1].word.text) and _chars(words[:cut]) >= min_fill:
                return words[:cut], words[cut:]
    return words, []


def _chars(words: list[_TimedWord]) -> int:
    lengths = [n for w in words for n in w.token_lengths]
    return sum(lengths) + len(lengths) - 1


def _bare(text: str) -> str:
    return text.rstrip(_CLOSERS)


def ends_sentence(text: str) -> bool:
    """Shared with the plain-text writer, which starts paragraphs only where a cue ends a sentence."""
    return _bare(text).endswith(_SENTENCE_MARKS) and text.lower() not in _ABBREVIATIONS


def _ends_clause(text: str) -> bool:
    return _bare(text).endswith(_CLAUSE_MARKS)


def _ends_phrase(text: str) -> bool:
    return ends_sentence(text) or _ends_clause(text)


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
