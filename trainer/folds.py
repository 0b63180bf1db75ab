"""Cross-validation of a retrain: every clip transcribed as served, by the free options and by fold models that
never heard it.

The free options are the base as served with each hint the server's vocabulary allows. Each fold trains a LoRA
adapter without some recordings (and with the replayed sentences), merges it at each scale, exports it with the
words it could learn and transcribes its held-out clips with each candidate hint, exactly as the bot would
serve it. The columns of `hypotheses` ("base|glossary", "new@0.5|none") are what trainer/decision.py scores.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from bot.core.captions.spelling import everyday_words
from bot.core.config import Config
from bot.core.retrain.result import Curve
from bot.core.transcription.engine import Engine, ModelChoice, base_model_path
from bot.core.transcription.learned_words import learned_words
from bot.core.transcription.serving import BASE, HINTS, Hint
from trainer.dataset import Clip, GuildData
from trainer.decision import NEW
from trainer.evaluate import transcribe_all
from trainer.export import export_ct2
from trainer.soundalikes import Extras, Probes
from trainer.train import Fit, fit_adapter, merge_adapter

Progress = Callable[[str, float], None]
Hypotheses = dict[str, list[str]]  # candidate label -> its text of every clip, in data.clips order


@dataclass(frozen=True)
class FoldFit:
    """What one adapter's training reports: the epoch it stopped at, its curve, steps and seconds."""

    best_epoch: int  # 0: nothing beat the untouched base on the dev recordings
    curve: Curve
    steps: int
    seconds: float

    @classmethod
    def of(cls, fit: Fit, *, best_epoch: int | None = None) -> FoldFit:
        epoch = fit.best_epoch if best_epoch is None else best_epoch
        return cls(epoch, tuple(fit.curve), fit.steps, round(fit.seconds, 1))


@dataclass(frozen=True)
class Paths:
    """The base model to train (Hugging Face form) and the CTranslate2 base to copy settings from, if any."""

    hf: Path
    ct2: Path | None


def free_options(
    engine: Engine, config: Config, data: GuildData, terms: Sequence[str], progress: Progress
) -> Hypotheses:
    """Every clip through the base as served, with each hint the server's vocabulary allows."""
    base = ModelChoice(base_model_path(config.model), BASE)
    hints: tuple[Hint, ...] = HINTS if any(t.strip() for t in terms) else ("none",)
    audio = [c.audio for c in data.clips]
    out = {}
    for index, hint in enumerate(hints):
        progress("scoring the free options", 0.05 + 0.1 * index / len(hints))
        out[f"{BASE}|{hint}"] = transcribe_all(engine, ModelChoice(base.path, BASE, hint), audio, terms)
    return out


def cross_validate(
    engine: Engine,
    config: Config,
    data: GuildData,
    extras: Extras,
    terms: Sequence[str],
    base: Paths,
    work: Path,
    hypotheses: Hypotheses,
    progress: Progress,
    probes: Probes,
    probe_texts: Hypotheses | None,
) -> list[FoldFit]:
    """Train one adapter per fold (on its pairs and their extras) and transcribe its held-out clips at each
    merge scale and hint into `hypotheses`, and the everyday probes made from them into `probe_texts`."""
    training = config.training
    folds = []
    for f, fold in enumerate(data.folds):
        share, label = 0.15 + 0.45 * f / len(data.folds), f"fold {f + 1} of {len(data.folds)}"
        dev = [c for c in fold.held_out if data.role_of(c) == "dev"] if training.early_stopping else []
        fit = fit_adapter(
            base.hf,
            extras.around(fold.train),
            dev,
            training,
            epochs=training.epochs,
            language=language(config),
            progress=scaled(progress, label, share, 0.45 / len(data.folds)),
            glossary=terms,
        )
        folder = work / "folds" / str(f)
        adapter = fit.save_adapter(folder / "adapter")
        folds.append(FoldFit.of(fit))
        del fit
        learned = learned_for(config, fold.train, data, hypotheses)  # what this fold's model could learn
        for scale in training.merge_scales:
            model = export_merged(
                base, adapter, scale, folder / f"model-{scale}", training.export_quantization, learned
            )
            _transcribe_held_out(engine, data, fold.held_out, model, scale, terms, hypotheses, config)
            if probe_texts is not None:
                _transcribe_probes(engine, probes, f, model, scale, terms, probe_texts, config)
            engine.unload(str(model))
            shutil.rmtree(model)
    return folds


def _transcribe_held_out(
    engine: Engine,
    data: GuildData,
    held_out: Sequence[Clip],
    model: Path,
    scale: float,
    terms: Sequence[str],
    hypotheses: Hypotheses,
    config: Config,
) -> None:
    """A fold model's text of its held-out clips with each candidate hint, in their columns' places."""
    index = {id(c): i for i, c in enumerate(data.clips)}
    audio = [c.audio for c in held_out]
    for hint in candidate_hints(config, terms):
        texts = transcribe_all(engine, ModelChoice(str(model), NEW, cast(Hint, hint)), audio, terms)
        column = hypotheses.setdefault(f"{NEW}@{scale}|{hint}", [""] * len(data.clips))
        for clip, text in zip(held_out, texts, strict=True):
            column[index[id(clip)]] = text


def free_probes(engine: Engine, config: Config, probes: Probes, terms: Sequence[str]) -> Hypotheses:
    """The base's text of every everyday probe with each hint a new model is tried with (once per fold, as
    every fold's model transcribes them): what a new model is held to on everyday sound-alikes."""
    choice = base_model_path(config.model)
    audio = [c.audio for c in probes.clips]
    return {
        f"{BASE}|{hint}": probes.folds
        * transcribe_all(engine, ModelChoice(choice, BASE, cast(Hint, hint)), audio, terms)
        for hint in candidate_hints(config, terms)
    }


def _transcribe_probes(
    engine: Engine,
    probes: Probes,
    fold: int,
    model: Path,
    scale: float,
    terms: Sequence[str],
    probe_texts: Hypotheses,
    config: Config,
) -> None:
    """A fold model's text of every probe, in its fold's places of each column."""
    mine = probes.of_fold(fold)
    audio = [c.audio for c in probes.clips]
    for hint in candidate_hints(config, terms):
        texts = transcribe_all(engine, ModelChoice(str(model), NEW, cast(Hint, hint)), audio, terms)
        column = probe_texts.setdefault(f"{NEW}@{scale}|{hint}", [""] * len(probes.texts))
        column[mine.start : mine.stop] = texts


def candidate_hints(config: Config, terms: Sequence[str]) -> list[str]:
    """The hints a new model is tried with; with no vocabulary every hint is no hint, tried once."""
    if any(t.strip() for t in terms):
        return list(config.training.candidate_hints)
    return ["none"]


def scaled(progress: Progress, label: str, start: float, span: float) -> Progress:
    """A stage's own 0..1 progress as a slice of the whole job's."""
    return lambda _stage, fraction: progress(label, start + span * fraction)


def export_merged(
    base: Paths,
    adapter: Path,
    scale: float,
    out: Path,
    quantization: str,
    learned: Sequence[str],
) -> Path:
    """The adapter merged at a scale, exported for faster-whisper with the words it learned: served exactly
    as the bot would serve it, the base captioning whatever uses none of them
    (bot/core/transcription/learned_words.py)."""
    merged = merge_adapter(base.hf, adapter, scale, out.with_name(out.name + ".merged"))
    try:
        return export_ct2(merged, out, base_ct2_dir=base.ct2, quantization=quantization, learned=learned)
    finally:
        shutil.rmtree(merged, ignore_errors=True)


def learned_for(config: Config, clips: Sequence[Clip], data: GuildData, hypotheses: Hypotheses) -> list[str]:
    """The words of these corrections that the plain base never wrote on their recordings."""
    heard = dict(zip((id(c) for c in data.clips), hypotheses[f"{BASE}|none"], strict=True))
    everyday = everyday_words(base_model_path(config.model))
    return learned_words([c.text for c in clips], [heard[id(c)] for c in clips], everyday)


def language(config: Config) -> str | None:
    return None if config.model.language == "auto" else config.model.language


class Exports:
    """The served adapter merged at a scale and exported, made on first use (the guard may need several)."""

    def __init__(
        self, base: Paths, adapter: Path, work: Path, quantization: str, learned: Sequence[str]
    ) -> None:
        self.base, self.adapter, self.work = base, adapter, work
        self.quantization, self.learned = quantization, tuple(learned)
        self.made: dict[float, Path] = {}

    def at(self, scale: float) -> Callable[[], Path | None]:
        def build() -> Path:
            if scale not in self.made:
                out = self.work / f"model-{scale}"
                self.made[scale] = export_merged(
                    self.base, self.adapter, scale, out, self.quantization, self.learned
                )
            return self.made[scale]

        return build

    def discard(self) -> None:
        for folder in self.made.values():
            shutil.rmtree(folder, ignore_errors=True)
