"""The words people read after a retrain, shared by the trainer's CLI and model card and the bot's announcement."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.retrain.result import GeneralSpeech, LabelledScores, RetrainResult, as_result


def describe_label(label: str) -> str:
    """'base|glossary' -> 'base with glossary'; 'new@0.5|none' -> 'new model (scale 0.5)'."""
    model, _, hint = label.partition("|")
    name = "base" if model == "base" else f"new model (scale {model.partition('@')[2]})"
    return name if hint in ("", "none") else f"{name} with {hint}"


def scores_line(scores: LabelledScores | Mapping[str, Any] | None) -> str:
    """One candidate's test scores (a typed one, or as a stored row holds it)."""
    if not scores:
        return "not scored"
    if not isinstance(scores, LabelledScores):
        scores = LabelledScores.from_json(scores)
    s = scores.scores
    terms = f"terms {s.keyword_hits}/{s.keyword_total}" if s.keyword_total else "no terms said"
    return f"{describe_label(scores.label)}: WER {s.wer:.3f}, {terms}, {s.false_insertions} inserted"


def general_speech_line(result: RetrainResult | Mapping[str, Any]) -> str:
    general = as_result(result).general_speech or GeneralSpeech()
    if not general.checks:
        return "general speech: unchanged (the plain base serves)"
    return "general speech: " + "; ".join(
        f"{describe_label(c.candidate) if c.candidate else c.plan}: {c.description} "
        f"{'passed' if c.passed else 'refused'}"
        for c in general.checks
    )


def retrain_summary(result: RetrainResult | Mapping[str, Any]) -> str:
    """A few lines: how the server is served now, the numbers that chose it, and whether a model went live."""
    r = as_result(result)
    verdict = "promoted" if r.promoted else "not promoted"
    general = general_speech_line(r)
    lines = [
        f"Model v{r.version} {verdict} ({r.reason}).",
        change_line(r),
        f"Now serving {r.serving_text}.",
        f"Judged on {r.test_words} test words from {r.recordings} recordings "
        f"({r.pairs} pairs, {r.folds}-fold; every recording scored by a model that never heard it)"
        + (f"; {r.skipped_count} pairs skipped (unusable audio)" if r.skipped_count else "")
        + ".",
        f"Best free option: {scores_line(r.before)}",
        f"New model: {scores_line(r.after)}",
        general[0].upper() + general[1:] + ".",
        *learned_line(r),
        f"Training: {r.train_steps} steps in {r.train_seconds:.0f} s; whole job {r.total_seconds:.0f} s.",
    ]
    return "\n".join(lines)


def change_line(result: RetrainResult | Mapping[str, Any]) -> str:
    """What members will notice, in words a moderator understands: terms right and words wrong in 100, now
    against the best the server had without this model, on recordings no model heard."""
    r = as_result(result)
    if not (r.promoted and r.after and r.before):
        return "For members: no new model serves; captions are made as the next line says."
    now, was = r.after.scores, r.before.scores
    terms = (
        f"{now.keyword_hits} of {now.keyword_total} of your terms right (before: {was.keyword_hits})"
        if now.keyword_total
        else "no terms said"
    )
    return (
        f"For members: on {r.recordings} recordings no model had heard, captions now get {terms} and about "
        f"{now.wer * 100:.0f} words in 100 wrong (before: {was.wer * 100:.0f})."
    )


def learned_line(result: RetrainResult | Mapping[str, Any], shown: int = 8) -> list[str]:
    """Which captions the new model keeps (bot/core/transcription/learned_words.py), when one was promoted
    with learned words."""
    r = as_result(result)
    words = r.learned_words
    if not r.promoted or not words:
        return []
    listed = ", ".join(words[:shown]) + (f" and {len(words) - shown} more" if len(words) > shown else "")
    return [
        f"Voice notes where it hears a word it learned ({listed}) get its captions; everywhere else the base's words."
    ]
