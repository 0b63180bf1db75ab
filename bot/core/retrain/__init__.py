"""The retrain contract shared by the trainer (which writes a result) and the bot (which shows it)."""

from bot.core.retrain.result import (
    CandidateScores,
    GeneralSpeech,
    GeneralSpeechCheck,
    LabelledScores,
    RetrainResult,
    Scores,
    as_result,
    result_json,
)

__all__ = [
    "CandidateScores",
    "GeneralSpeech",
    "GeneralSpeechCheck",
    "LabelledScores",
    "RetrainResult",
    "Scores",
    "as_result",
    "result_json",
]
