"""Scores that decide what serves a server: WER, terms heard, terms inserted, runaway output.

Models are scored as they are served: the exported CTranslate2 artifact through the bot's own engine, with a
given vocabulary hint, so the number that promotes a model is the number users will get. Terms are scored
from the word alignment of reference and hypothesis: a term the hypothesis has where the reference has a
different word or none is a false insertion, and a candidate that inserts terms nobody said is not better.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from bot.core.config import ModelConfig
from bot.core.retrain.result import Scores
from bot.core.transcription.engine import Engine, ModelChoice, available_cores

RUNAWAY_FACTOR = 1.5  # a hypothesis this much longer than its reference (plus a few words) ran away


@dataclass(frozen=True)
class ClipScore:
    """One clip's counts; scores over a set are sums of these, so sets can be split and paired per clip."""

    errors: int
    words: int
    hits: int
    expected: int
    false_terms: int
    runaway: bool


def total(clips: Sequence[ClipScore]) -> Scores:
    """A set's scores: the sums of its clips' counts (the type is the retrain contract's, bot/core/retrain)."""
    words = sum(c.words for c in clips)
    return Scores(
        sum(c.errors for c in clips) / words if words else 0.0,
        sum(c.hits for c in clips),
        sum(c.expected for c in clips),
        sum(c.false_terms for c in clips),
        sum(c.runaway for c in clips),
        words,
    )


@cache
def _normalizer() -> Any:
    from transformers.models.whisper.english_normalizer import EnglishTextNormalizer

    return EnglishTextNormalizer({})


def normalize(text: str) -> str:
    """Whisper's English normaliser: case, punctuation, numbers and contractions do not count as errors."""
    return " ".join(_normalizer()(text).split())


def _term_pattern(words: Sequence[str]) -> re.Pattern[str]:
    """Match a term as whole normalised words, also when spelt without its spaces or hyphens."""
    return re.compile(r"(?<!\S)" + r"\s?".join(re.escape(w) for w in words) + r"(?!\S)")


def _with_terms_joined(text: str, terms: Sequence[str]) -> tuple[list[str], set[str]]:
    """Normalised words with each multi-word term made one token, so the alignment sees terms whole."""
    tokens: set[str] = set()
    for term in terms:
        words = normalize(term).split()
        if not words:
            continue
        token = "".join(words)
        tokens.add(token)
        text = _term_pattern(words).sub(token, text)
    return text.split(), tokens


def score_clip(reference: str, hypothesis: str, terms: Sequence[str]) -> ClipScore:
    import jiwer

    ref, tokens = _with_terms_joined(normalize(reference), terms)
    hyp, _ = _with_terms_joined(normalize(hypothesis), terms)
    runaway = len(hyp) > RUNAWAY_FACTOR * len(ref) + 4
    expected = sum(w in tokens for w in ref)
    if not ref:
        return ClipScore(0, 0, 0, 0, sum(w in tokens for w in hyp), runaway)
    if not hyp:
        return ClipScore(len(ref), len(ref), 0, expected, 0, runaway)
    out = jiwer.process_words(" ".join(ref), " ".join(hyp))
    hits = false_terms = 0
    for chunk in out.alignments[0]:
        said = ref[chunk.ref_start_idx : chunk.ref_end_idx]
        heard = hyp[chunk.hyp_start_idx : chunk.hyp_end_idx]
        if chunk.type == "equal":
            hits += sum(w in tokens for w in said)
        elif chunk.type in ("substitute", "insert"):
            false_terms += sum(w in tokens for w in heard)
    errors = out.substitutions + out.deletions + out.insertions
    return ClipScore(errors, len(ref), hits, expected, false_terms, runaway)


def score_clips(
    references: Sequence[str], hypotheses: Sequence[str], terms: Sequence[str]
) -> list[ClipScore]:
    return [score_clip(r, h, terms) for r, h in zip(references, hypotheses, strict=True)]


def score(references: Sequence[str], hypotheses: Sequence[str], terms: Sequence[str]) -> Scores:
    return total(score_clips(references, hypotheses, terms))


def keyword_hits(
    references: Sequence[str], hypotheses: Sequence[str], terms: Sequence[str]
) -> tuple[int, int]:
    """How many occurrences of the vocabulary in the references the hypotheses reproduced, in place."""
    scores = score(references, hypotheses, terms)
    return scores.keyword_hits, scores.keyword_total


def evaluation_engine(config: ModelConfig) -> Engine:
    """An engine for the trainer's evaluations: on the CPU one single-threaded worker per core, so a core
    never waits on another's share of one clip (1.7x the clips per second of one two-threaded worker on 2
    cores; a retrain of 24 pairs went 313 -> 252 s with every decision the same). It remembers the plain
    base's transcript of each clip: the free options and every fold's captions without a server word fall
    back to it."""
    workers = available_cores() if config.device == "cpu" else 1
    return Engine(config, workers=workers, remember_plain=True)


def transcribe_all(
    engine: Engine, choice: ModelChoice, clips: Sequence[np.ndarray], terms: Sequence[str] = ()
) -> list[str]:
    """Transcribe clips with a served model the way the bot would, with the choice's hint."""
    transcripts = engine.transcribe_many(clips, choice, terms=terms)
    return [" ".join(s.text for s in transcript.segments) for transcript in transcripts]
