"""The words people read after a retrain, shared by the trainer's CLI and the bot's announcement."""

from __future__ import annotations

from typing import Any


def describe_label(label: str) -> str:
    """'base|glossary' -> 'base with glossary'; 'new@0.5|none' -> 'new model (scale 0.5)'."""
    model, _, hint = label.partition("|")
    name = "base" if model == "base" else f"new model (scale {model.partition('@')[2]})"
    return name if hint in ("", "none") else f"{name} with {hint}"


def scores_line(scores: dict[str, Any] | None) -> str:
    if not scores:
        return "not scored"
    terms = (
        f"terms {scores['keyword_hits']}/{scores['keyword_total']}"
        if scores.get("keyword_total")
        else "no terms said"
    )
    return (
        f"{describe_label(scores.get('label', ''))}: WER {scores['wer']:.3f}, {terms}, "
        f"{scores.get('false_insertions', 0)} inserted"
    )


def general_speech_line(result: dict[str, Any]) -> str:
    general = result.get("general_speech") or {}
    checks = general.get("checks") or []
    if not checks:
        return "general speech: unchanged (the plain base serves)"
    return "general speech: " + "; ".join(
        f"{describe_label(c['candidate']) if c.get('candidate') else c['plan']}: {c['describe']} "
        f"{'passed' if c['passed'] else 'refused'}"
        for c in checks
    )


def retrain_summary(result: dict[str, Any]) -> str:
    """A few lines: how the server is served now, the numbers that chose it, and whether a model went live."""
    verdict = "promoted" if result["promoted"] else "not promoted"
    lines = [
        f"Model v{result['version']} {verdict} ({result['reason']}).",
        f"Now serving {result['serving_text']}.",
        f"Judged on {result['test_words']} test words from {result['recordings']} recordings "
        f"({result['pairs']} pairs, {result['folds']}-fold; every recording scored by a model that never heard it)"
        + (
            f"; {result['skipped_count']} pairs skipped (unusable audio)"
            if result.get("skipped_count")
            else ""
        )
        + ".",
        f"Best free option: {scores_line(result['before'])}",
        f"New model: {scores_line(result.get('after'))}",
        general_speech_line(result)[0].upper() + general_speech_line(result)[1:] + ".",
        *learned_line(result),
        f"Training: {result['train_steps']} steps in {result['train_seconds']:.0f} s; whole job "
        f"{result['total_seconds']:.0f} s.",
    ]
    return "\n".join(lines)


def learned_line(result: dict[str, Any], shown: int = 8) -> list[str]:
    """Which captions the new model keeps (bot/core/transcription/learned_words.py), when one was promoted with learned words."""
    words = result.get("learned_words") or []
    if not result.get("promoted") or not words:
        return []
    listed = ", ".join(words[:shown]) + (f" and {len(words) - shown} more" if len(words) > shown else "")
    return [
        f"Voice notes that use a word it learned ({listed}) get its captions; the base captions the rest."
    ]
