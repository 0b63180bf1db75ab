"""The retrain contract (bot/core/retrain): the typed result round-trips through a job row's JSON, and rows
written by older releases (the same keys, or fewer) still read."""

from __future__ import annotations

import json

from bot.core.retrain import (
    CandidateScores,
    GeneralSpeech,
    GeneralSpeechCheck,
    LabelledScores,
    RetrainResult,
    Scores,
    result_json,
)
from bot.core.retrain.report import retrain_summary
from bot.core.transcription.serving import Route, ServingPlan

# The keys trainer/pipeline.py has written since plans and learned words (a promoted model adds curve_png).
STORED_KEYS = {
    "guild_id", "version", "promoted", "reason", "serving", "serving_text", "pairs", "pair_ids", "recordings",
    "folds", "held_out_words", "dev_words", "test_words", "skipped", "skipped_count", "before", "after",
    "candidates", "merge_scale", "fold_best_epochs", "fold_curves", "epochs", "curve", "train_steps",
    "train_seconds", "general_speech", "learned_words", "soundalike_sentences", "soundalike_insertions", "total_seconds", "stage_seconds",
}  # fmt: skip


def a_result() -> RetrainResult:
    plan = ServingPlan(Route("v2", "glossary"), Route(), "test WER 0.400 -> 0.100")
    free, new = Scores(0.4, 1, 4, 2, 0, 90), Scores(0.1, 4, 4, 0, 0, 90)
    curve = ({"epoch": 0, "train_loss": None, "dev_loss": 2.5, "seconds": 0.0},)
    check = GeneralSpeechCheck(
        "voice notes: v2 with glossary; long media: base", True, "real speech WER 0.050 -> 0.052",
        "new@1.0|glossary", 0.05, 0.052, 50, 52, 1000, 5, {"a.flac": (3, 5)}, ("b.flac: unreadable",),
    )  # fmt: skip
    return RetrainResult(
        guild_id=7, version=2, promoted=True, reason=plan.reason, serving=plan,
        serving_text=plan.describe(), pairs=10, recordings=10, folds=2, test_words=90, pair_ids=tuple(range(10)),
        held_out_words=180, dev_words=90, skipped=("pair 3: no audio",), skipped_count=1,
        before=LabelledScores("base|glossary", free), after=LabelledScores("new@1.0|glossary", new),
        candidates=(CandidateScores("base|glossary", free, free), CandidateScores("new@1.0|glossary", new, new)),
        merge_scale=1.0, fold_best_epochs=(3, 4), fold_curves=(curve, curve), epochs=4, curve=curve,
        train_steps=16, train_seconds=12.0, general_speech=GeneralSpeech("real", (check,)),
        learned_words=("zorblax",), soundalike_sentences=("I wrote kindle on the list this morning.",),
        soundalike_insertions={"base|glossary": 0, "new@1.0|glossary": 1}, total_seconds=30.0, stage_seconds={"data": 0.5}, curve_png="models/7/v2/c.png",
    )  # fmt: skip


def test_a_result_round_trips_through_the_stored_json() -> None:
    result = a_result()
    stored = json.loads(json.dumps(result.to_json()))
    assert set(stored) == STORED_KEYS | {"curve_png"}
    assert RetrainResult.from_json(stored) == result
    assert stored["before"] == {"label": "base|glossary", **Scores(0.4, 1, 4, 2, 0, 90).to_json()}
    assert stored["candidates"]["new@1.0|glossary"]["test"]["keyword_hit_rate"] == 1.0
    assert stored["general_speech"]["describe"] == "real speech WER 0.050 -> 0.052"
    assert stored["general_speech"]["checks"][0]["files_worse"] == {"a.flac": [3, 5]}


def test_rows_of_older_releases_and_hand_made_ones_still_read() -> None:
    old = {
        "version": 3, "promoted": False, "reason": "not better", "serving_text": "voice notes: base",
        "pairs": 12, "recordings": 6, "folds": 2, "test_words": 80,
        "before": {"label": "base|none", "wer": 0.3, "keyword_hits": 1, "keyword_total": 2},
        "after": None, "general_speech": {"checks": [{"plan": "x", "passed": False, "describe": "worse"}]},
        "train_steps": 4, "train_seconds": 3.0, "total_seconds": 9.0,
    }  # fmt: skip
    result = RetrainResult.from_json(old)
    assert result.serving_text == "voice notes: base" and result.after is None and result.candidates == ()
    assert "Best free option: base: WER 0.300, terms 1/2, 0 inserted" in retrain_summary(old)
    assert "x: worse refused" in retrain_summary(result)
    assert result_json({"promoted": True}) == {"promoted": True}  # stored as given, nothing added


def test_the_moderator_is_told_what_members_get_now_against_before_in_plain_words() -> None:
    told = retrain_summary(a_result())
    assert (
        "For members: on 10 recordings no model had heard, captions now get 4 of 4 of your terms right "
        "(before: 1) and about 10 words in 100 wrong (before: 40)." in told
    )
    refused = RetrainResult.from_json({**a_result().to_json(), "promoted": False})
    assert "For members: no new model serves" in retrain_summary(refused)  # control: no claim of change
