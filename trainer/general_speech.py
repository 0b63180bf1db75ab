"""The general-speech gate on a serving plan: real recordings, the served path, paired against the base.

For every recording the plan's route for its length is what gets scored (the long recording goes through
the batched pipeline, as the bot would serve it). Its reference is the same model family without what the
retrain changed: the base exported the same way (import, merge, convert) for a new model, the plain base
for a hinted base, and for a recording on which the new model used none of its learned words (so the plain
base captioned it, bot/core/transcription/learned_words.py). References do not depend on the server, so they are computed once
per data dir.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bot.core.config import Config
from bot.core.retrain.result import GeneralSpeech, GeneralSpeechCheck
from bot.core.transcription.engine import Engine, ModelChoice, base_model_path
from bot.core.transcription.serving import BASE, Route, ServingPlan
from trainer.evaluate import score_clip
from trainer.export import export_ct2
from trainer.guard import (
    GuardVerdict,
    SpeechSet,
    guard_set,
    paired_verdict,
    real_speech_dir,
    real_speech_set,
)

PLAIN = Route(BASE, "none")


@dataclass(frozen=True)
class Option:
    """A plan to check, and how to get the model it serves (built only if the plan gets that far)."""

    plan: ServingPlan
    model: Callable[[], Path | None] = lambda: None
    label: str = ""  # which candidate, for the report ("new@0.5|none")


def choose_plan(
    engine: Engine,
    config: Config,
    options: Sequence[Option],
    terms: Sequence[str],
    base_hf: Path,
    base_ct2: Path | None,
) -> tuple[ServingPlan, Path | None, GeneralSpeech]:
    """The first option, in the caller's order of preference, that keeps general speech; else the plain base.

    Returns the plan, the model folder it serves (None for the base) and what was checked, for the report.
    """
    speech, source = _speech_set(config)
    checks: list[GeneralSpeechCheck] = []
    for option in options:
        plan = option.plan
        if plan.short == PLAIN and plan.long == PLAIN:
            return plan, None, GeneralSpeech(source, tuple(checks))
        model_path = option.model()
        verdict = _verdict(engine, config, plan, terms, model_path, base_hf, base_ct2, speech)
        checks.append(verdict.check(plan.describe(), option.label))
        if verdict.passed:
            return plan, model_path, GeneralSpeech(source, tuple(checks))
    reason = "general speech was kept only by the plain base"
    return ServingPlan(PLAIN, PLAIN, reason), None, GeneralSpeech(source, tuple(checks))


def _speech_set(config: Config) -> tuple[SpeechSet, str]:
    folder = real_speech_dir(config.training.general_speech_dir)
    if folder is not None:
        return real_speech_set(folder, config.data_dir / "cache" / "real-speech", config.media), str(folder)
    generated = guard_set(config.data_dir)
    names = [f"generated-{i}" for i in range(len(generated.clips))]
    return SpeechSet(names, generated.clips, generated.references, []), "generated speech (no real set found)"


_Job = tuple[str, np.ndarray, str, ModelChoice, ModelChoice]  # name, audio, reference, reference, candidate


def _verdict(
    engine: Engine,
    config: Config,
    plan: ServingPlan,
    terms: Sequence[str],
    model_path: Path | None,
    base_hf: Path,
    base_ct2: Path | None,
    speech: SpeechSet,
) -> GuardVerdict:
    base = base_model_path(config.model)
    base_export: Path | None = None
    jobs: list[_Job] = []
    for name, audio, reference in zip(speech.names, speech.clips, speech.references, strict=True):
        route = plan.route_for(len(audio) / 16000, config.model.short_media_seconds)
        if route.model == BASE:
            reference_choice = ModelChoice(base, BASE)
            choice = replace(reference_choice, hint=route.hint)
        else:
            base_export = base_export or ensure_base_export(config, base_hf, base_ct2)
            reference_choice = ModelChoice(str(base_export), "base-export")
            choice = ModelChoice(str(model_path), route.model, route.hint)
        jobs.append((name, audio, reference, reference_choice, choice))

    def rows(job: _Job) -> tuple[tuple[int, int], tuple[int, int]]:
        name, audio, reference, reference_choice, choice = job
        if choice == reference_choice:
            base_row = _cached(engine, config, reference_choice, name, audio, reference)
            return base_row, base_row
        row, by_base = _served_errors(engine, choice, audio, reference, terms)
        if by_base:  # the model used none of its learned words: the plain base's words were served
            reference_choice = ModelChoice(base, BASE)
        return _cached(engine, config, reference_choice, name, audio, reference), row

    # The longest first, so the long recording does not start last on one worker while the others idle.
    order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][1]))
    done = dict(zip(order, engine.map(rows, [jobs[i] for i in order]), strict=True))
    base_rows = [done[i][0] for i in range(len(jobs))]
    candidate_rows = [done[i][1] for i in range(len(jobs))]
    return paired_verdict(
        speech.names, base_rows, candidate_rows, config.training.general_speech_margin, speech.skipped
    )


def _served_errors(
    engine: Engine, choice: ModelChoice, audio: np.ndarray, reference: str, terms: Sequence[str] = ()
) -> tuple[tuple[int, int], bool]:
    """(errors, words) as served, and whether the base served it (a model that used no learned word)."""
    transcript = engine.transcribe(audio, choice, terms=terms)
    clip = score_clip(reference, " ".join(s.text for s in transcript.segments), ())
    return (clip.errors, clip.words), transcript.by_base


def _cached(
    engine: Engine, config: Config, choice: ModelChoice, name: str, audio: np.ndarray, reference: str
) -> tuple[int, int]:
    """A reference model's score on one recording: it never depends on the server, so it is kept."""
    model = config.model
    key = hashlib.sha256(
        json.dumps(
            [
                choice.path,
                name,
                len(audio),
                reference,
                model.beam_size,
                model.vad,
                model.compute_type,
                model.language,
            ]
        ).encode()
    ).hexdigest()[:24]
    path = config.data_dir / "cache" / "general-speech" / f"{key}.json"
    if path.is_file():
        errors, words = json.loads(path.read_text(encoding="utf-8"))
        return int(errors), int(words)
    result, _ = _served_errors(engine, choice, audio, reference)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result), encoding="utf-8")
    tmp.replace(path)
    return result


def ensure_base_export(config: Config, base_hf: Path, base_ct2: Path | None) -> Path:
    """The untouched base through the same import and conversion as every new model (made once)."""
    out = config.data_dir / "cache" / f"base-export-{config.training.export_quantization}"
    if (out / "model.bin").is_file():
        return out
    source = Path(base_hf)
    if not (source / "config.json").is_file():  # a hub id: save it locally first
        from transformers import WhisperForConditionalGeneration

        local = out.with_name(out.name + ".hf")
        WhisperForConditionalGeneration.from_pretrained(str(base_hf)).save_pretrained(local)
        source = local
    return export_ct2(source, out, base_ct2_dir=base_ct2, quantization=config.training.export_quantization)
