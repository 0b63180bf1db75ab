"""Scores that decide promotion: WER, keyword hit rate, and a forgetting guard on general speech.

Models are scored as they are served: the exported CTranslate2 artifact through the bot's own engine, with
the same hotword policy, so the number that promotes a model is the number users will get.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache

import numpy as np

from bot.config import ModelConfig
from bot.transcription import Engine, ModelChoice


@dataclass(frozen=True)
class Scores:
    wer: float
    keyword_hits: int
    keyword_total: int

    @property
    def keyword_hit_rate(self) -> float | None:
        return self.keyword_hits / self.keyword_total if self.keyword_total else None

    def as_dict(self) -> dict:
        return {**asdict(self), "keyword_hit_rate": self.keyword_hit_rate}


@cache
def _normalizer():
    from transformers.models.whisper.english_normalizer import EnglishTextNormalizer

    return EnglishTextNormalizer({})


def normalize(text: str) -> str:
    """Whisper's English normaliser: case, punctuation, numbers and contractions do not count as errors."""
    return " ".join(_normalizer()(text).split())


def word_error_rate(references: Sequence[str], hypotheses: Sequence[str]) -> float:
    import jiwer

    refs = [normalize(r) for r in references]
    hyps = [normalize(h) for h in hypotheses]
    pairs = [(r, h) for r, h in zip(refs, hyps, strict=True) if r]
    if not pairs:
        return 0.0
    return float(jiwer.wer([r for r, _ in pairs], [h for _, h in pairs]))


def _term_pattern(term: str) -> re.Pattern[str]:
    """Match a term as whole normalised words, also when spelt without its spaces or hyphens."""
    words = normalize(term).split()
    return re.compile(r"(?<!\S)" + r"\s?".join(re.escape(w) for w in words) + r"(?!\S)")


def keyword_hits(
    references: Sequence[str], hypotheses: Sequence[str], terms: Sequence[str]
) -> tuple[int, int]:
    """How many occurrences of the vocabulary in the references the hypotheses reproduced."""
    hits = total = 0
    for term in terms:
        if not normalize(term):
            continue
        pattern = _term_pattern(term)
        for ref, hyp in zip(references, hypotheses, strict=True):
            expected = len(pattern.findall(normalize(ref)))
            total += expected
            hits += min(expected, len(pattern.findall(normalize(hyp))))
    return hits, total


def score(references: Sequence[str], hypotheses: Sequence[str], terms: Sequence[str]) -> Scores:
    hits, total = keyword_hits(references, hypotheses, terms)
    return Scores(word_error_rate(references, hypotheses), hits, total)


def transcribe_all(
    engine: Engine, choice: ModelChoice, clips: Sequence[np.ndarray], hotwords: Sequence[str] = ()
) -> list[str]:
    """Transcribe clips with a served model the way the bot would (its hotword policy included)."""
    texts = []
    for audio in clips:
        transcript = engine.transcribe(audio, choice, hotwords=hotwords)
        texts.append(" ".join(s.text for s in transcript.segments))
    return texts


def evaluate_served(
    model_config: ModelConfig,
    choice: ModelChoice,
    clips: Sequence[np.ndarray],
    references: Sequence[str],
    terms: Sequence[str],
) -> tuple[Scores, list[str]]:
    engine = Engine(model_config)
    try:
        hypotheses = transcribe_all(engine, choice, clips, terms)
    finally:
        engine.close()
    return score(references, hypotheses, terms), hypotheses
