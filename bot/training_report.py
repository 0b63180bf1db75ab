"""The words people read after a retrain, shared by the trainer's CLI and the bot's announcement."""

from __future__ import annotations

from typing import Any


def _rate(scores: dict[str, Any]) -> str:
    rate = scores.get("keyword_hit_rate")
    if rate is None:
        return "n/a (no vocabulary in the held-out audio)"
    return f"{rate:.0%} ({scores['keyword_hits']}/{scores['keyword_total']})"


def retrain_summary(result: dict[str, Any]) -> str:
    """A few lines: what was used, the numbers before and after, and whether the new model is live."""
    before, after = result["before"], result["after"]
    verdict = "promoted: this server now uses it" if result["promoted"] else "not promoted"
    lines = [
        f"Model v{result['version']} {verdict} ({result['reason']}).",
        f"Pairs used: {result['pairs_train']} for training, {result['pairs_validation']} held out"
        + (f"; {result['skipped_count']} skipped (unusable audio)" if result.get("skipped_count") else "")
        + ".",
        f"Held-out WER: {before['wer']:.3f} -> {after['wer']:.3f}",
        f"Keyword hit rate: {_rate(before)} -> {_rate(after)}",
        f"General-speech WER (forgetting guard): {before['guard_wer']:.3f} -> {after['guard_wer']:.3f}",
        f"Training: {result['train_steps']} steps in {result['train_seconds']:.0f} s, best epoch "
        f"{result['best_epoch']}; whole job {result['total_seconds']:.0f} s.",
    ]
    return "\n".join(lines)
