"""The decision of a retrain: candidates scored out of fold, chosen on dev recordings, judged on test ones.

A candidate is one way to serve ("base|glossary", "new@0.5|none") with its scores on the dev and on the test
recordings. Dev ranks the new ones (no runaway output first, then errors with every inserted term counted once
more); test alone decides whether the best new way beats every free one, so what chose settings never decides.
When none wins, the free option that serves is ranked on every held-out recording (`fallback`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np

from bot.core.retrain.report import describe_label
from bot.core.retrain.result import CandidateScores
from bot.core.transcription.serving import Hint
from trainer.dataset import GuildData
from trainer.evaluate import ClipScore, Scores, score_clips, total

NEW = "new"
CURRENT = "current"
# A new model is promoted only when it makes fewer errors on at least this share of paired resamples of the
# test recordings (bootstrap_confidence): one recording's luck must not move a whole server.
PROMOTION_CONFIDENCE = 0.9


@dataclass(frozen=True)
class Candidate:
    """One way to serve, scored on the dev and on the test recordings (out of fold for new models)."""

    label: str  # "base|glossary", "new@0.5|none"
    dev: Scores
    test: Scores
    # errors per test recording (each inserted term counted once more), in recording order: for the bootstrap
    test_recordings: tuple[int, ...] = ()
    held_out_recordings: tuple[int, ...] = ()  # the same for every held-out recording, dev and test

    @property
    def is_new(self) -> bool:
        return self.label.startswith(NEW)

    @property
    def hint(self) -> Hint:
        return cast(Hint, self.label.split("|")[1])

    @property
    def scale(self) -> float:
        return float(self.label.split("|")[0].split("@")[1])

    def scores(self) -> CandidateScores:
        """As the job result reports it."""
        return CandidateScores(self.label, self.dev, self.test)

    def rank(self) -> tuple[float, ...]:
        """Dev ranking: no runaway output, then errors with every inserted term counted once more."""
        s = self.dev
        return (s.runaway_clips, penalised_wer(s), -s.keyword_hits)


def bar(free_options: Sequence[Candidate]) -> Candidate:
    """The free option a new model must beat: the best on the test recordings (fewest errors, then fewest
    inserted terms). Which free option serves when no model wins is `fallback`'s choice; the bar is taken on test so a
    new model cannot win by beating a weaker free option that dev happened to prefer (a bench seed promoted a
    quarter-scale blend that beat hotwords on test and was no better than the glossary)."""
    return min(free_options, key=lambda c: (c.test.wer, c.test.false_insertions, -c.test.keyword_hits))


def fallback(free_options: Sequence[Candidate], current: str | None = None) -> Candidate:
    """The free option that serves when no new model wins: fewest errors on every held-out recording, each
    inserted term counted once more. Free options learned from none of them, so dev and test are both fair
    evidence here, and twice the words: on dev alone a bench seed fell back to hotwords (dev 0.247, glossary
    0.366) which inserted 9 terms on test, where the glossary had 0.240 and none. A runaway clip only breaks
    ties: its repeated words are already errors, and putting it first made another seed serve hotwords (12
    inserted terms, 0.355) over a glossary with one runaway clip (0.302).

    The free option the server is served now (`current`, a label such as "base|glossary") is a candidate
    that needs no evidence: another one replaces it only when it makes fewer errors on PROMOTION_CONFIDENCE
    of resamples of the recordings, the bar a new model meets. (Kitchen fell back from the glossary to
    hotwords on 0.511 against 0.522, and hotwords writes twice the glossary's terms into everyday speech.)"""
    best = min(free_options, key=held_out_rank)
    now = next((c for c in free_options if c.label == current), None)
    if now is None or best is now:
        return best
    sure = bootstrap_confidence(best.held_out_recordings, now.held_out_recordings)
    return best if sure >= PROMOTION_CONFIDENCE else now


def held_out_rank(c: Candidate) -> tuple[float, ...]:
    """Every held-out recording: errors with each inserted term once more, then runaway clips, then terms."""
    s = _held_out(c)
    return (penalised_wer(s), s.runaway_clips, -s.keyword_hits)


def penalised_wer(s: Scores) -> float:
    """WER with every inserted term counted once more: a term nobody said costs more than a misheard word."""
    return s.wer + s.false_insertions / max(1, s.words)


def _held_out(c: Candidate) -> Scores:
    """A candidate's dev and test scores as one set: every held-out recording."""
    d, t = c.dev, c.test
    words = d.words + t.words
    return Scores(
        (d.wer * d.words + t.wer * t.words) / max(1, words),
        d.keyword_hits + t.keyword_hits,
        d.keyword_total + t.keyword_total,
        d.false_insertions + t.false_insertions,
        d.runaway_clips + t.runaway_clips,
        words,
    )


def errors_against(
    references: Sequence[str], new: Sequence[str], incumbent: Sequence[str], terms: Sequence[str]
) -> tuple[int, int]:
    """Errors (with terms written where nobody said one) of a new model's texts and of the incumbent's on the
    same clips: a new model replaces a tuned model serving now only with no more of them."""

    def errors(texts: Sequence[str]) -> int:
        return sum(s.errors + s.false_terms for s in score_clips(references, texts, terms))

    return errors(new), errors(incumbent)


def everyday_insertions(references: Sequence[str], texts: Sequence[str], terms: Sequence[str]) -> int:
    """Terms written into everyday sentences where their references say none."""
    return sum(s.false_terms for s in score_clips(references, texts, terms))


def holds_everyday(label: str, insertions: Mapping[str, int]) -> tuple[bool, int, int]:
    """Does a new way to serve write no more terms into everyday sound-alike sentences (trainer/soundalikes.py)
    than the base with the same hint? `insertions` holds each label's count (everyday_insertions). Returns
    the answer, its insertions and the base's."""
    new, free = insertions[label], insertions[f"base|{label.split('|')[1]}"]
    return new <= free, new, free


def decide(
    free_options: Sequence[Candidate], new_option: Candidate | None, epochs: Sequence[int]
) -> tuple[bool, str]:
    """Does the new model beat every free option on the test recordings (which chose nothing)? Fewer errors
    than the best of them, no more inserted terms than the cleanest (the plain base inserts none), and no
    more terms wrong (missed or inserted) than the surest."""
    best = bar(free_options)
    free = best.test
    if new_option is None:
        return False, "no new model could be scored"
    new = new_option.test
    if max(epochs, default=0) == 0:
        return False, "training never beat the untouched base on the dev recordings (best epoch 0)"
    if new.runaway_clips:
        return False, f"the new model ran away (repeated text) on {new.runaway_clips} test clips"
    cleanest = min(free_options, key=lambda c: c.test.false_insertions)
    if new.false_insertions > cleanest.test.false_insertions:
        return False, (
            f"the new model inserted {new.false_insertions} terms nobody said "
            f"({describe_label(cleanest.label)}: {cleanest.test.false_insertions})"
        )
    surest = min(free_options, key=lambda c: term_errors(c.test))
    if term_errors(new) > term_errors(surest.test):
        return False, (
            f"the new model got {new.keyword_hits} of {new.keyword_total} terms right on test recordings, "
            f"{new.false_insertions} inserted ({describe_label(surest.label)}: {surest.test.keyword_hits}, "
            f"{surest.test.false_insertions} inserted)"
        )
    if new.wer >= free.wer:
        return False, (
            f"not better than the best free option ({describe_label(best.label)}) on test recordings "
            f"(WER {free.wer:.3f} -> {new.wer:.3f})"
        )
    sure = bootstrap_confidence(new_option.test_recordings, best.test_recordings)
    if sure < PROMOTION_CONFIDENCE:
        return False, (
            f"better than {describe_label(best.label)} on test recordings (WER {free.wer:.3f} -> {new.wer:.3f}), "
            f"but only on {sure:.0%} of resamples of them (needs {PROMOTION_CONFIDENCE:.0%}): too few to tell"
        )
    return True, f"test WER {free.wer:.3f} ({describe_label(best.label)}) -> {new.wer:.3f}"


def term_errors(scores: Scores) -> int:
    """Terms missed plus terms inserted: hotwords "hit" terms by saying them everywhere (a bench seed: 12 of
    14 right with 13 inserted), so hits alone would hold a clean model to a spammer's count."""
    return scores.keyword_total - scores.keyword_hits + scores.false_insertions


def score_candidates(
    data: GuildData, hypotheses: dict[str, list[str]], terms: Sequence[str]
) -> list[Candidate]:
    references = [c.text for c in data.clips]
    roles = [data.role_of(c) for c in data.clips]
    recordings = sorted({c.media_id for c in data.clips})
    tests = [r for r in recordings if data.roles[r] == "test"]
    out = []
    for label, texts in hypotheses.items():
        clip_scores = score_clips(references, texts, terms)
        per_recording = dict.fromkeys(recordings, 0)
        for clip, score in zip(data.clips, clip_scores, strict=True):
            per_recording[clip.media_id] += score.errors + score.false_terms
        out.append(
            Candidate(
                label,
                subset(clip_scores, roles, "dev"),
                subset(clip_scores, roles, "test"),
                tuple(per_recording[r] for r in tests),
                tuple(per_recording[r] for r in recordings),
            )
        )
    return out


def bootstrap_confidence(
    new: Sequence[int], bar: Sequence[int], resamples: int = 2000, seed: int = 0
) -> float:
    """How sure the test recordings are that `new` makes fewer errors than `bar`: the share of resamples of
    the recordings (drawn with replacement, paired: both candidates on the same draw) in which it does, a tie
    counting half. With a dozen recordings a lower WER can come from one or two of them; this asks whether
    it holds across them."""
    if not new or len(new) != len(bar):
        return 0.0
    rng = np.random.default_rng(seed)
    difference = np.asarray(bar, dtype=float) - np.asarray(new, dtype=float)  # > 0: the new one is better
    draws = rng.integers(0, len(difference), size=(resamples, len(difference)))
    sums = difference[draws].sum(axis=1)
    return float(((sums > 0).sum() + 0.5 * (sums == 0).sum()) / resamples)


def subset(scores: Sequence[ClipScore], roles: Sequence[str], role: str) -> Scores:
    return total([s for s, r in zip(scores, roles, strict=True) if r == role])


def new_candidates(candidates: Sequence[Candidate]) -> list[Candidate]:
    return [c for c in candidates if c.is_new]
