"""The words shown after a retrain now live in bot/core/retrain/report.py; this path stays for its importers."""

from bot.core.retrain.report import (
    describe_label,
    general_speech_line,
    learned_line,
    retrain_summary,
    scores_line,
)

__all__ = ["describe_label", "general_speech_line", "learned_line", "retrain_summary", "scores_line"]
