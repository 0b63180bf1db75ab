"""The retrain contract: what a retrain reports, typed, and the JSON a job row keeps of it.

The trainer writes a `RetrainResult` (trainer/pipeline.py); the bot, the trainer's CLI and the benches read it
back from the job row's JSON (`RetrainResult.from_json`). Plain frozen data, like faster-whisper's `Segment`
and `TranscriptionInfo`. The JSON shape is the one every release so far has stored, so `to_json` writes the
same keys and `from_json` reads rows of older releases (and hand-made ones in tests): a key they lack takes
its default here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from bot.core.transcription.serving import ServingPlan

Json = dict[
    str, Any
]  # a JSON object as json.loads returns it: the stored form, never passed around typed data
CurveRow = dict[str, float | None]  # one epoch of training: epoch, train_loss, dev_loss, seconds
Curve = tuple[CurveRow, ...]


@dataclass(frozen=True)
class Scores:
    """One way to serve, scored on a set of recordings: word errors, terms heard, terms inserted, runaways."""

    wer: float
    keyword_hits: int  # terms said and written, in place
    keyword_total: int  # terms said
    false_insertions: int = 0  # terms written where nobody said them
    runaway_clips: int = 0  # clips whose text ran away (repeated)
    words: int = 0  # reference words

    @property
    def keyword_hit_rate(self) -> float | None:
        return self.keyword_hits / self.keyword_total if self.keyword_total else None

    @property
    def keyword_misses(self) -> int:
        return self.keyword_total - self.keyword_hits

    def to_json(self) -> Json:
        return {
            **{f.name: getattr(self, f.name) for f in fields(self)},
            "keyword_hit_rate": self.keyword_hit_rate,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Scores:
        return cls(
            float(data.get("wer", 0.0)),
            int(data.get("keyword_hits", 0)),
            int(data.get("keyword_total", 0)),
            int(data.get("false_insertions", 0)),
            int(data.get("runaway_clips", 0)),
            int(data.get("words", 0)),
        )


@dataclass(frozen=True)
class LabelledScores:
    """A named candidate's scores on the test recordings: the best free option ("before") or the new model
    ("after"). Stored as the scores with a "label" key."""

    label: str  # "base|glossary", "new@0.5|none"
    scores: Scores

    def to_json(self) -> Json:
        return {"label": self.label, **self.scores.to_json()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LabelledScores:
        return cls(str(data.get("label", "")), Scores.from_json(data))


@dataclass(frozen=True)
class CandidateScores:
    """One way to serve, scored on the dev recordings (which chose settings) and the test ones (which decide).
    Stored under the result's "candidates", keyed by label."""

    label: str
    dev: Scores
    test: Scores

    def to_json(self) -> Json:
        return {"dev": self.dev.to_json(), "test": self.test.to_json()}

    @classmethod
    def from_json(cls, label: str, data: Mapping[str, Any]) -> CandidateScores:
        return cls(label, Scores.from_json(data.get("dev") or {}), Scores.from_json(data.get("test") or {}))


@dataclass(frozen=True)
class GeneralSpeechCheck:
    """One plan checked on general speech (real recordings), paired per file against the base."""

    plan: str  # the plan described ("voice notes: v3; long media: base")
    passed: bool
    description: str  # "real speech WER 0.050 (base) -> 0.052 (...)", stored as "describe"
    candidate: str = ""  # which candidate's plan ("new@0.5|none"); rows of older releases may lack it
    base_wer: float = 0.0
    wer: float = 0.0
    base_errors: int = 0
    errors: int = 0
    words: int = 0
    allowed_extra_words: int = 0
    files_worse: Mapping[str, tuple[int, int]] = field(
        default_factory=dict
    )  # name -> (base, candidate) errors
    skipped: tuple[str, ...] = ()  # recordings that could not be read

    def to_json(self) -> Json:
        return {
            "plan": self.plan,
            "candidate": self.candidate,
            "passed": self.passed,
            "base_wer": self.base_wer,
            "wer": self.wer,
            "base_errors": self.base_errors,
            "errors": self.errors,
            "words": self.words,
            "allowed_extra_words": self.allowed_extra_words,
            "files_worse": {name: list(pair) for name, pair in self.files_worse.items()},
            "skipped": list(self.skipped),
            "describe": self.description,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GeneralSpeechCheck:
        worse = data.get("files_worse") or {}
        return cls(
            plan=str(data.get("plan", "")),
            passed=bool(data.get("passed", False)),
            description=str(data.get("describe", "")),
            candidate=str(data.get("candidate") or ""),
            base_wer=float(data.get("base_wer", 0.0)),
            wer=float(data.get("wer", 0.0)),
            base_errors=int(data.get("base_errors", 0)),
            errors=int(data.get("errors", 0)),
            words=int(data.get("words", 0)),
            allowed_extra_words=int(data.get("allowed_extra_words", 0)),
            files_worse={str(n): (int(p[0]), int(p[1])) for n, p in worse.items()},
            skipped=tuple(str(s) for s in data.get("skipped") or ()),
        )


@dataclass(frozen=True)
class GeneralSpeech:
    """The general-speech gate of a retrain: which set, and every plan checked, in the order tried."""

    source: str = ""  # the real-speech folder, or "generated speech (...)"; stored as "set"
    checks: tuple[GeneralSpeechCheck, ...] = ()

    @property
    def description(self) -> str:
        """The last check's words: the plan that was kept, or the last one refused."""
        return self.checks[-1].description if self.checks else ""

    def to_json(self) -> Json:
        return {
            "set": self.source,
            "checks": [c.to_json() for c in self.checks],
            "describe": self.description,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GeneralSpeech:
        checks = tuple(GeneralSpeechCheck.from_json(c) for c in data.get("checks") or ())
        return cls(str(data.get("set", "")), checks)


@dataclass(frozen=True)
class RetrainResult:
    """What a retrain job reports: the decision, how the server is served now, every candidate's scores,
    the general-speech check, the training and the time each stage took."""

    guild_id: int
    version: int
    promoted: bool
    reason: str
    serving: ServingPlan
    serving_text: str  # the plan described, as it was when the result was written
    pairs: int  # corrected pairs used
    recordings: int
    folds: int
    test_words: int  # the words that decided
    pair_ids: tuple[int, ...] = ()  # what the served model learned from (/forget names it)
    held_out_words: int = 0
    dev_words: int = 0
    skipped: tuple[str, ...] = ()  # the first pairs that could not be used, one line each
    skipped_count: int = 0
    before: LabelledScores | None = None  # the best free option on test recordings
    after: LabelledScores | None = None  # the best new model on test recordings; None when none was scored
    candidates: tuple[CandidateScores, ...] = ()
    merge_scale: float | None = None
    fold_best_epochs: tuple[int, ...] = ()
    fold_curves: tuple[Curve, ...] = ()
    epochs: int | None = None  # the served model's epochs; None when none was trained
    curve: Curve = ()  # the served model's training curve
    train_steps: int = 0
    train_seconds: float = 0.0
    general_speech: GeneralSpeech | None = None
    learned_words: tuple[str, ...] = ()  # words a promoted model learned (its captions serve only with them)
    # the everyday sound-alike probes (trainer/soundalikes.py) and, per candidate label, the terms it wrote
    # into them, summed over the folds that heard them
    soundalike_sentences: tuple[str, ...] = ()
    soundalike_insertions: Mapping[str, int] = field(default_factory=dict)
    total_seconds: float = 0.0
    stage_seconds: Mapping[str, float] = field(default_factory=dict)
    curve_png: str | None = None  # the training curve picture, relative to data_dir; only when promoted

    def to_json(self) -> Json:
        out: Json = {
            "guild_id": self.guild_id,
            "version": self.version,
            "promoted": self.promoted,
            "reason": self.reason,
            "serving": self.serving.as_dict(),
            "serving_text": self.serving_text,
            "pairs": self.pairs,
            "pair_ids": list(self.pair_ids),
            "recordings": self.recordings,
            "folds": self.folds,
            "held_out_words": self.held_out_words,
            "dev_words": self.dev_words,
            "test_words": self.test_words,
            "skipped": list(self.skipped),
            "skipped_count": self.skipped_count,
            "before": self.before.to_json() if self.before is not None else None,
            "after": self.after.to_json() if self.after is not None else None,
            "candidates": {c.label: c.to_json() for c in self.candidates},
            "merge_scale": self.merge_scale,
            "fold_best_epochs": list(self.fold_best_epochs),
            "fold_curves": [list(curve) for curve in self.fold_curves],
            "epochs": self.epochs,
            "curve": list(self.curve),
            "train_steps": self.train_steps,
            "train_seconds": self.train_seconds,
            "general_speech": self.general_speech.to_json() if self.general_speech is not None else None,
            "learned_words": list(self.learned_words),
            "soundalike_sentences": list(self.soundalike_sentences),
            "soundalike_insertions": dict(self.soundalike_insertions),
            "total_seconds": self.total_seconds,
            "stage_seconds": dict(self.stage_seconds),
        }
        if self.curve_png is not None:  # written only for a promoted model, as before
            out["curve_png"] = self.curve_png
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RetrainResult:
        """A stored result, of this release or an older one: a key it lacks takes its default."""
        before, after, general = data.get("before"), data.get("after"), data.get("general_speech")
        merge_scale, epochs = data.get("merge_scale"), data.get("epochs")
        serving = ServingPlan.from_dict(data.get("serving") or {})
        return cls(
            guild_id=int(data.get("guild_id", 0)),
            version=int(data.get("version", 0)),
            promoted=bool(data.get("promoted", False)),
            reason=str(data.get("reason", "")),
            serving=serving,
            serving_text=str(data.get("serving_text") or serving.describe()),
            pairs=int(data.get("pairs", 0)),
            recordings=int(data.get("recordings", 0)),
            folds=int(data.get("folds", 0)),
            test_words=int(data.get("test_words", 0)),
            pair_ids=tuple(int(i) for i in data.get("pair_ids") or ()),
            held_out_words=int(data.get("held_out_words", 0)),
            dev_words=int(data.get("dev_words", 0)),
            skipped=tuple(str(s) for s in data.get("skipped") or ()),
            skipped_count=int(data.get("skipped_count", 0)),
            before=LabelledScores.from_json(before) if before else None,
            after=LabelledScores.from_json(after) if after else None,
            candidates=tuple(
                CandidateScores.from_json(str(label), c)
                for label, c in (data.get("candidates") or {}).items()
            ),
            merge_scale=float(merge_scale) if merge_scale is not None else None,
            fold_best_epochs=tuple(int(e) for e in data.get("fold_best_epochs") or ()),
            fold_curves=tuple(_curve(c) for c in data.get("fold_curves") or ()),
            epochs=int(epochs) if epochs is not None else None,
            curve=_curve(data.get("curve")),
            train_steps=int(data.get("train_steps", 0)),
            train_seconds=float(data.get("train_seconds", 0.0)),
            general_speech=GeneralSpeech.from_json(general) if general else None,
            learned_words=tuple(str(w) for w in data.get("learned_words") or ()),
            soundalike_sentences=tuple(str(s) for s in data.get("soundalike_sentences") or ()),
            soundalike_insertions={
                str(k): int(v) for k, v in (data.get("soundalike_insertions") or {}).items()
            },
            total_seconds=float(data.get("total_seconds", 0.0)),
            stage_seconds={str(k): float(v) for k, v in (data.get("stage_seconds") or {}).items()},
            curve_png=str(data["curve_png"]) if data.get("curve_png") else None,
        )


def as_result(result: RetrainResult | Mapping[str, Any]) -> RetrainResult:
    """The typed result, from the typed result or a job row's JSON."""
    return result if isinstance(result, RetrainResult) else RetrainResult.from_json(result)


def result_json(result: RetrainResult | Mapping[str, Any]) -> Json:
    """What a job row stores. A mapping is JSON already (a hand-made outcome, a row of an older release)
    and is stored as given, so nothing is added to what it said."""
    return result.to_json() if isinstance(result, RetrainResult) else dict(result)


def _curve(rows: Sequence[Mapping[str, Any]] | None) -> Curve:
    return tuple({str(k): v for k, v in row.items()} for row in rows or ())
