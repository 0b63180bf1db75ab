"""A user's corrected transcript put back on the caption's cue times, and cue chunks for training.

The correction arrives as free text, so its words carry no times. Aligning its words to the caption's
words (whose cues have times) lets each cue's audio be paired with the corrected words spoken in it; runs
of consecutive cues then make the (audio span, text) pairs Whisper is fine-tuned on.

Alignment works on normalised tokens and is built to stay fast on long, messy input: exact anchors first
(tokens that occur once on each side, then difflib on small stretches), and a small dynamic program with
near-matching, merges and splits ("in video" <-> "nvidia") only inside the short stretches between anchors.
Where a stretch is too large for that, or the work budget is spent, words are spread proportionally.
"""

from __future__ import annotations

import bisect
import difflib
import math
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.core.captions.cues import Cue, wrap_lines


@dataclass(frozen=True)
class Chunk:
    start: float
    end: float
    text: str  # the corrected text of its cues joined by spaces (newlines removed)
    cue_indices: tuple[int, ...]  # consecutive indices into the cue list


# --- normalisation ---------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _char_class(ch: str) -> str:
    """ "sep" for dashes and slashes (they join words: "fine-tune"), "drop" for other punctuation."""
    category = unicodedata.category(ch)
    if category == "Pd" or ch == "/":
        return "sep"
    return "drop" if category.startswith("P") else "keep"


def _token_parts(token: str) -> list[str]:
    chars = []
    for ch in token:
        kind = _char_class(ch)
        if kind == "keep":
            chars.append(ch)
        elif kind == "sep":
            chars.append(" ")
    return "".join(chars).split()


def normalize_words(text: str) -> list[str]:
    """Lowercase words without punctuation, so "Fine-tune," and "fine tune" compare equal."""
    return [part for token in text.lower().split() for part in _token_parts(token)]


def _match_key(token: str) -> str:
    """One key per whitespace token (parts joined), because alignment must keep the user's tokens whole."""
    return "".join(_token_parts(token.lower()))


# --- similarity ------------------------------------------------------------------------------------------

_MAX_KEY_CHARS = 40  # beyond this, the start of a word says enough about it


@lru_cache(maxsize=65536)
def _bigrams(key: str) -> frozenset[str]:
    padded = f"^{key[:_MAX_KEY_CHARS]}$"
    return frozenset(padded[k : k + 2] for k in range(len(padded) - 1))


def _distance(left: str, right: str) -> float:
    """0 for equal keys .. 1 for unrelated ones (character-bigram Dice: cheap and typo tolerant)."""
    if left == right:
        return 0.0
    if not left or not right:
        return 1.0
    a, b = _bigrams(left), _bigrams(right)
    return 1.0 - 2 * len(a & b) / (len(a) + len(b))


# --- alignment -------------------------------------------------------------------------------------------

_DP_CELLS = 900  # largest stretch (original x corrected tokens) aligned by the dynamic program
_DP_TOTAL_CELLS = 250_000  # over the whole call; keeps the worst case near a second
_DIFFLIB_COST = 300_000  # sum of count_a*count_b over shared tokens that difflib may chew on
_MERGE_PENALTY = 0.2  # a 2<->1 merge/split must be clearly better than a substitution plus an indel

_Task = tuple[int, int, int, int]  # original tokens [i1, i2) against corrected tokens [j1, j2)


class _Aligner:
    """Maps each corrected token to the original token it replaces (None for an inserted token)."""

    def __init__(self, original: list[str], corrected: list[str]) -> None:
        self.a = original
        self.b = corrected
        self.match: list[int | None] = [None] * len(corrected)
        self.visits_left = 40 * (len(original) + len(corrected)) + 100_000
        self.cells_left = _DP_TOTAL_CELLS

    def run(self) -> list[int | None]:
        tasks: list[_Task] = [(0, len(self.a), 0, len(self.b))]
        while tasks:
            tasks.extend(self._solve(*tasks.pop()))
        return self.match

    def _solve(self, i1: int, i2: int, j1: int, j2: int) -> list[_Task]:
        """Cheapest tool that is still good for this stretch; returns smaller stretches left to solve."""
        i1, i2, j1, j2 = self._trim_equal_ends(i1, i2, j1, j2)
        if i1 == i2 or j1 == j2:
            return []
        size = (i2 - i1) * (j2 - j1)
        if size <= _DP_CELLS and size <= self.cells_left:
            self._dynamic_program(i1, i2, j1, j2)
            return []
        self.visits_left -= (i2 - i1) + (j2 - j1)
        if self.visits_left > 0:
            count_a, count_b = Counter(self.a[i1:i2]), Counter(self.b[j1:j2])
            anchors = self._unique_anchors(i1, i2, j1, j2, count_a, count_b)
            if anchors:
                return self._gaps_around(anchors, i1, i2, j1, j2)
            if sum(n * count_b[key] for key, n in count_a.items()) <= _DIFFLIB_COST:
                self._difflib(i1, i2, j1, j2)
                return []
        self._proportional(i1, i2, j1, j2)
        return []

    def _trim_equal_ends(self, i1: int, i2: int, j1: int, j2: int) -> _Task:
        while i1 < i2 and j1 < j2 and self.a[i1] == self.b[j1]:
            self.match[j1] = i1
            i1, j1 = i1 + 1, j1 + 1
        while i1 < i2 and j1 < j2 and self.a[i2 - 1] == self.b[j2 - 1]:
            self.match[j2 - 1] = i2 - 1
            i2, j2 = i2 - 1, j2 - 1
        return i1, i2, j1, j2

    def _unique_anchors(
        self, i1: int, i2: int, j1: int, j2: int, count_a: Counter[str], count_b: Counter[str]
    ) -> list[tuple[int, int]]:
        """Patience-diff anchors: tokens occurring once on each side, longest run in the same order."""
        where_b = {self.b[j]: j for j in range(j1, j2) if count_b[self.b[j]] == 1}
        pairs = [
            (i, where_b[self.a[i]]) for i in range(i1, i2) if count_a[self.a[i]] == 1 and self.a[i] in where_b
        ]
        return _longest_increasing(pairs)

    def _gaps_around(self, anchors: list[tuple[int, int]], i1: int, i2: int, j1: int, j2: int) -> list[_Task]:
        gaps, previous_i, previous_j = [], i1, j1
        for i, j in anchors:
            self.match[j] = i
            gaps.append((previous_i, i, previous_j, j))
            previous_i, previous_j = i + 1, j + 1
        gaps.append((previous_i, i2, previous_j, j2))
        return gaps

    def _difflib(self, i1: int, i2: int, j1: int, j2: int) -> None:
        matcher = difflib.SequenceMatcher(None, self.a[i1:i2], self.b[j1:j2], autojunk=False)
        for tag, a1, a2, b1, b2 in matcher.get_opcodes():
            if tag == "equal":
                for offset in range(a2 - a1):
                    self.match[j1 + b1 + offset] = i1 + a1 + offset
            elif tag == "replace":
                block = (i1 + a1, i1 + a2, j1 + b1, j1 + b2)
                if (a2 - a1) * (b2 - b1) <= min(_DP_CELLS, self.cells_left):
                    self._dynamic_program(*block)
                else:
                    self._proportional(*block)

    def _proportional(self, i1: int, i2: int, j1: int, j2: int) -> None:
        for j in range(j1, j2):
            self.match[j] = i1 + (j - j1) * (i2 - i1) // (j2 - j1)

    def _dynamic_program(self, i1: int, i2: int, j1: int, j2: int) -> None:
        """Edit distance with near-match substitutions and 2<->1 merges/splits, then a traceback."""
        a, b = self.a[i1:i2], self.b[j1:j2]
        self.cells_left -= len(a) * len(b)
        steps = _alignment_steps(a, b)
        i = j = 0
        for taken_a, taken_b in steps:
            if taken_a and taken_b:
                for offset in range(taken_b):
                    self.match[j1 + j + offset] = i1 + i
            i, j = i + taken_a, j + taken_b


def _alignment_steps(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """Cheapest path of (original tokens taken, corrected tokens taken) steps through a x b."""
    n, m = len(a), len(b)
    cost = [[math.inf] * (m + 1) for _ in range(n + 1)]
    step: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == math.inf:
                continue
            for taken_a, taken_b, price in _moves(a, b, i, j):
                target = cost[i + taken_a]
                if here + price < target[j + taken_b]:
                    target[j + taken_b] = here + price
                    step[i + taken_a][j + taken_b] = (taken_a, taken_b)
    path, i, j = [], n, m
    while i or j:
        taken_a, taken_b = step[i][j]
        path.append((taken_a, taken_b))
        i, j = i - taken_a, j - taken_b
    return path[::-1]


def _moves(a: list[str], b: list[str], i: int, j: int) -> list[tuple[int, int, float]]:
    moves = []
    if i < len(a) and j < len(b):
        moves.append((1, 1, _distance(a[i], b[j])))
        if i + 1 < len(a):
            moves.append((2, 1, _distance(a[i] + a[i + 1], b[j]) + _MERGE_PENALTY))
        if j + 1 < len(b):
            moves.append((1, 2, _distance(a[i], b[j] + b[j + 1]) + _MERGE_PENALTY))
    if i < len(a):
        moves.append((1, 0, 1.0))
    if j < len(b):
        moves.append((0, 1, 1.0))
    return moves


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest subsequence of (i, j) pairs, already sorted by i, whose j also increases."""
    tails: list[int] = []
    tail_at: list[int] = []
    parent = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        position = bisect.bisect_left(tails, j)
        if position == len(tails):
            tails.append(j)
            tail_at.append(index)
        else:
            tails[position], tail_at[position] = j, index
        parent[index] = tail_at[position - 1] if position else -1
    chain, index = [], tail_at[-1] if tail_at else -1
    while index != -1:
        chain.append(pairs[index])
        index = parent[index]
    return chain[::-1]


def _original_tokens(cues: Sequence[Cue]) -> tuple[list[str], list[int]]:
    """The caption's tokens (from word timestamps when the cue has them) and the cue of each."""
    tokens: list[str] = []
    cue_of: list[int] = []
    for index, cue in enumerate(cues):
        words = [w.text for w in cue.words] if cue.words else [cue.text]
        for token in " ".join(words).split():
            tokens.append(token)
            cue_of.append(index)
    return tokens, cue_of


def _cues_for_tokens(corrected: list[str], cues: Sequence[Cue]) -> list[int]:
    """Which cue each corrected token goes to; non-decreasing, so the cue texts read in order."""
    original, original_cue = _original_tokens(cues)
    if not original:  # nothing to align to: spread the words over the cues
        return [j * len(cues) // len(corrected) for j in range(len(corrected))]
    match = _Aligner([_match_key(t) for t in original], [_match_key(t) for t in corrected]).run()
    known = [original_cue[i] for i in match if i is not None]
    current = known[0] if known else original_cue[0]  # leading inserted words join the first aligned cue
    assigned = []
    for i in match:
        if i is not None:
            current = max(current, original_cue[i])
        assigned.append(current)  # an inserted word stays with the word before it
    return assigned


def match_tokens(original: Sequence[str], corrected: Sequence[str]) -> list[int | None]:
    """For each corrected token, the original token it replaces (None: inserted): the alignment
    align_correction uses, for callers that learn from what a correction changed (bot/core/captions/spelling.py)."""
    return _Aligner([_match_key(t) for t in original], [_match_key(t) for t in corrected]).run()


def align_correction(cues: Sequence[Cue], corrected_text: str) -> list[Cue]:
    """The cues with their text replaced by the corrected words spoken in them (times unchanged).

    Every whitespace token of the correction lands in exactly one cue, in order, with the user's own
    spelling. A cue none of the correction aligns to gets "" and is kept so cue indices stay stable.
    """
    if not cues:
        return []
    corrected = corrected_text.split()
    tokens_by_cue: list[list[str]] = [[] for _ in cues]
    if corrected:
        for token, cue_index in zip(corrected, _cues_for_tokens(corrected, cues), strict=True):
            tokens_by_cue[cue_index].append(token)
    return [
        Cue(cue.start, cue.end, wrap_lines(" ".join(tokens)))
        for cue, tokens in zip(cues, tokens_by_cue, strict=True)
    ]


# --- training chunks -------------------------------------------------------------------------------------


def _trainable(cue: Cue, max_seconds: float) -> bool:
    """A cue with text and sane times that fits a training window on its own."""
    times_ok = math.isfinite(cue.start) and math.isfinite(cue.end) and cue.end >= cue.start
    return bool(cue.text.split()) and times_ok and cue.end - cue.start <= max_seconds


def chunk_cues(cues: Sequence[Cue], max_seconds: float = 30.0) -> list[Chunk]:
    """Greedy runs of consecutive cues spanning at most max_seconds (Whisper's 30 s input window).

    An empty or untrainable cue ends the current run, so a chunk's cues are always consecutive and its
    audio span holds exactly the text of its cues.
    """
    chunks: list[Chunk] = []
    run: list[int] = []
    start = end = 0.0
    for index, cue in enumerate(cues):
        if not _trainable(cue, max_seconds):
            _close(run, cues, chunks)
            continue
        if run and max(end, cue.end) - min(start, cue.start) > max_seconds:
            _close(run, cues, chunks)
        start, end = (min(start, cue.start), max(end, cue.end)) if run else (cue.start, cue.end)
        run.append(index)
    _close(run, cues, chunks)
    return chunks


def _close(run: list[int], cues: Sequence[Cue], chunks: list[Chunk]) -> None:
    if run:
        start = min(cues[i].start for i in run)
        end = max(cues[i].end for i in run)
        text = " ".join(" ".join(cues[i].text.split()) for i in run)
        chunks.append(Chunk(start, end, text, tuple(run)))
        run.clear()
