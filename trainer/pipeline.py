"""One retrain, start to finish: it decides how a server is served, and trains a model only to compete.

The free options (the base model with no hint, the vocabulary as a glossary prompt, or as hotwords) are
what a new model must beat, on the server's own recordings, without losing general speech:

1. k-fold over recordings: a LoRA adapter trained without a recording transcribes it, merged at each scale,
   exported and served exactly as the bot would, with each hint. Every recording is judged by a model that
   never heard it, and the served model can then be trained on every pair (holding out a fifth cost much
   of the learning with tens of corrections: see the notes).
2. Recordings have roles: dev recordings choose the hint, the merge scale and (through early stopping in
   each fold) the epochs; test recordings alone decide whether the chosen new model beats the best free
   option. A candidate that inserts terms nobody said, or runs away, is not better.
3. Only a winner is trained on every pair and exported; the plan is then checked on real speech against the
   base exported the same way (trainer/guard.py). A plan that fails falls back to the best free option.

Nothing here touches the database: the worker reads the inputs before and records the outcome after, so a
crash anywhere in here leaves the database, the active model and the serving plan exactly as they were.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

from bot.core.captions.spelling import everyday_words
from bot.core.config import BUNDLED_MODEL, Config
from bot.core.store import ModelVersionRow, PairRow
from bot.core.store.paths import to_stored
from bot.core.training_report import describe_label
from bot.core.transcription.engine import Engine, ModelChoice, base_model_path
from bot.core.transcription.learned_words import learned_words
from bot.core.transcription.serving import BASE, HINTS, Hint, Route, ServingPlan
from trainer.dataset import Clip, GuildData, load_guild_data
from trainer.decision import (
    NEW,
    Candidate,
    bar,
    decide,
    fallback,
    new_candidates,
    score_candidates,
)
from trainer.evaluate import evaluation_engine, transcribe_all
from trainer.export import export_ct2
from trainer.general_speech import Option, choose_plan
from trainer.replay import replay_clips
from trainer.report import model_card, plot_curve
from trainer.train import fit_adapter, merge_adapter

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Outcome:
    version: int
    model_path: Path | None  # the served CTranslate2 folder of a kept model; None when none was trained
    promote: bool
    reason: str
    plan: ServingPlan
    result: dict[str, Any]  # what the job reports: the decision, every candidate's scores, timings


def base_weights(config: Config) -> tuple[Path | str, Path | None]:
    """The Hugging Face form of the base model to train, and the CTranslate2 base to copy settings from."""
    from trainer.ct2_import import ensure_hf_base

    base = config.model.base
    if base == BUNDLED_MODEL or Path(base, "model.bin").exists():
        ct2_dir = Path(base_model_path(config.model))
        return ensure_hf_base(ct2_dir, config.data_dir / "cache" / "hf-base"), ct2_dir
    from trainer.hub_base import hub_weights  # small, large-v3-turbo, a hub id: openai's own weights

    return hub_weights(base), None


def run_training(
    config: Config,
    guild_id: int,
    pairs: Sequence[PairRow],
    terms: Sequence[str],
    active: ModelVersionRow | None,
    version: int,
    progress: Progress,
) -> Outcome:
    started = time.monotonic()
    lap = _Stages()
    training = config.training
    progress("preparing data", 0.02)
    data = load_guild_data(
        pairs,
        min_pairs=training.min_pairs,
        folds=training.folds,
        seed=training.seed,
        min_words=training.min_decision_words,
    )
    lap("data")
    progress("preparing the base model", 0.04)
    base_hf, base_ct2 = base_weights(config)
    lap("base_model")
    guild_dir = config.data_dir / "models" / str(guild_id)
    final_dir = guild_dir / f"v{version}"
    work = guild_dir / f".v{version}.tmp"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    engine = evaluation_engine(config.model)
    try:
        hypotheses = _free_options(engine, config, data, terms, progress)
        lap("free_options")
        replay = replay_clips(config.data_dir, config.training.replay_sentences)  # none by default
        folds = _cross_validate(
            engine, config, data, replay, terms, Path(base_hf), base_ct2, work, hypotheses, progress
        )
        lap("folds")
        candidates = score_candidates(data, hypotheses, terms)
        frees = [c for c in candidates if not c.is_new]
        free = fallback(frees)  # what serves if no new model wins: chosen on every held-out recording
        new = min((c for c in candidates if c.is_new), key=Candidate.rank, default=None)
        epochs = [f["best_epoch"] for f in folds]
        wins, reason = decide(frees, new, epochs)
        # The new ways to serve that beat every free option on test, best on dev first: if the favourite
        # loses general speech, another merge scale of the same adapter (when configured) is checked next.
        ranked = sorted(new_candidates(candidates), key=Candidate.rank)
        winners = [c for c in ranked if decide(frees, c, epochs)[0]] if wins else []
        final: dict[str, Any] = {}
        if winners:
            progress("training the served model on every pair", 0.62)
            final = _train_served(config, data, replay, Path(base_hf), work, folds, progress)
            lap("final_model")
        exports = _Exports(
            Path(base_hf),
            work / "adapter",
            base_ct2,
            work,
            config.training.export_quantization,
            _learned(config, data.clips, data, hypotheses),
        )
        options = [Option(_plan(free, c, version, reason), exports.at(c.scale), c.label) for c in winners]
        options.append(Option(_plan(free, None, version, reason), label=free.label))
        progress("checking general speech", 0.85)
        plan, model_path, general = choose_plan(engine, config, options, terms, Path(base_hf), base_ct2)
        promote = model_path is not None
        if model_path is not None:
            served = general["checks"][-1]["candidate"]  # the option that kept general speech
            chosen = next(c for c in winners if c.label == served)
            reason, new = decide(frees, chosen, epochs)[1], chosen
            plan = replace(plan, reason=reason)
            model_path.rename(work / "model")
            exports.discard()
        elif wins:
            refused = "; ".join(
                f"{describe_label(c['candidate'])}: {c['describe']}"
                for c in general["checks"]
                if not c["passed"]
            )
            reason = f"{reason}, but it failed the general-speech check ({refused})"
            plan = replace(plan, reason=reason)
        lap("general_speech")
        result = _result(
            guild_id, version, data, candidates, bar(frees), new, folds, final, plan, promote, reason
        )
        result["general_speech"] = general
        result["learned_words"] = exports.learned if promote else []
        result["total_seconds"] = round(time.monotonic() - started, 1)
        result["stage_seconds"] = lap.seconds
        if promote:
            plot_curve(
                folds,
                final.get("curve", []),
                work / "curve.png",
                title=f"server {guild_id}, model v{version}",
            )
            result["curve_png"] = to_stored(
                config.data_dir, final_dir / "curve.png"
            )  # any machine's data_dir
            shutil.rmtree(work / "folds", ignore_errors=True)
            (work / "metrics.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
            (work / "README.md").write_text(model_card(config, result), encoding="utf-8")
            _publish(work, final_dir)
        else:
            shutil.rmtree(work, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        engine.close()
    progress("done", 1.0)
    return Outcome(version, final_dir / "model" if promote else None, promote, reason, plan, result)


def _free_options(engine: Engine, config: Config, data: GuildData, terms, progress) -> dict[str, list[str]]:
    """Every clip through the base as served, with each hint the server's vocabulary allows."""
    base = ModelChoice(base_model_path(config.model), BASE)
    hints = HINTS if any(t.strip() for t in terms) else ("none",)
    audio = [c.audio for c in data.clips]
    out = {}
    for index, hint in enumerate(hints):
        progress("scoring the free options", 0.05 + 0.1 * index / len(hints))
        out[f"{BASE}|{hint}"] = transcribe_all(engine, ModelChoice(base.path, BASE, hint), audio, terms)
    return out


def _cross_validate(
    engine: Engine,
    config: Config,
    data: GuildData,
    replay: Sequence[Clip],
    terms: Sequence[str],
    base_hf: Path,
    base_ct2: Path | None,
    work: Path,
    hypotheses: dict[str, list[str]],
    progress: Progress,
) -> list[dict[str, Any]]:
    """Train one adapter per fold (on its pairs and the replayed sentences) and transcribe its held-out
    clips at each merge scale and hint."""
    training = config.training
    index = {id(c): i for i, c in enumerate(data.clips)}
    folds = []
    for f, fold in enumerate(data.folds):
        share, label = 0.15 + 0.45 * f / len(data.folds), f"fold {f + 1} of {len(data.folds)}"
        dev = [c for c in fold.held_out if data.role_of(c) == "dev"]
        fit = fit_adapter(
            base_hf,
            [*fold.train, *replay],
            dev,
            training,
            epochs=training.epochs,
            language=_language(config),
            progress=_scaled(progress, label, share, 0.45 / len(data.folds)),
        )
        folder = work / "folds" / str(f)
        adapter = fit.save_adapter(folder / "adapter")
        folds.append(
            {
                "best_epoch": fit.best_epoch,
                "curve": fit.curve,
                "steps": fit.steps,
                "seconds": round(fit.seconds, 1),
            }
        )
        del fit
        audio = [c.audio for c in fold.held_out]
        learned = _learned(config, fold.train, data, hypotheses)  # what this fold's model could learn
        for scale in training.merge_scales:
            model = _export(
                base_hf,
                adapter,
                scale,
                base_ct2,
                folder / f"model-{scale}",
                training.export_quantization,
                learned,
            )
            for hint in training.candidate_hints:
                texts = transcribe_all(engine, ModelChoice(str(model), NEW, cast(Hint, hint)), audio, terms)
                column = hypotheses.setdefault(f"{NEW}@{scale}|{hint}", [""] * len(data.clips))
                for clip, text in zip(fold.held_out, texts, strict=True):
                    column[index[id(clip)]] = text
            engine.unload(str(model))
            shutil.rmtree(model)
    return folds


def _scaled(progress: Progress, label: str, start: float, span: float) -> Progress:
    """A stage's own 0..1 progress as a slice of the whole job's."""
    return lambda _stage, fraction: progress(label, start + span * fraction)


def _export(
    base_hf: Path,
    adapter: Path,
    scale: float,
    base_ct2: Path | None,
    out: Path,
    quantization: str,
    learned: Sequence[str],
) -> Path:
    """The adapter merged at a scale, exported for faster-whisper with the words it learned: served exactly
    as the bot would serve it, the base captioning whatever uses none of them (bot/core/transcription/learned_words.py)."""
    merged = merge_adapter(base_hf, adapter, scale, out.with_name(out.name + ".merged"))
    try:
        return export_ct2(merged, out, base_ct2_dir=base_ct2, quantization=quantization, learned=learned)
    finally:
        shutil.rmtree(merged, ignore_errors=True)


def _learned(
    config: Config, clips: Sequence[Clip], data: GuildData, hypotheses: dict[str, list[str]]
) -> list[str]:
    """The words of these corrections that the plain base never wrote on their recordings."""
    heard = dict(zip((id(c) for c in data.clips), hypotheses[f"{BASE}|none"], strict=True))
    everyday = everyday_words(base_model_path(config.model))
    return learned_words([c.text for c in clips], [heard[id(c)] for c in clips], everyday)


def _train_served(
    config: Config,
    data: GuildData,
    replay: Sequence[Clip],
    base_hf: Path,
    work: Path,
    folds: list[dict[str, Any]],
    progress: Progress,
) -> dict[str, Any]:
    """The served model's adapter: every pair, for the longest of the folds' best epochs (merged later).

    Each fold learns from a part of the pairs and stops on a few dev recordings' loss; the served model
    learns from all of them, which needs no fewer epochs. (The mean served a model stopped at epoch 5 of a
    schedule of 8, its learning rate never decayed, when one fold's dev loss rose for three epochs.)"""
    epochs = max(1, max(f["best_epoch"] for f in folds))
    fit = fit_adapter(
        base_hf,
        [*data.clips, *replay],
        [],
        config.training,
        epochs=epochs,
        language=_language(config),
        progress=lambda stage, x: progress("training the served model", 0.62 + 0.18 * x),
    )
    fit.save_adapter(work / "adapter")
    return {"epochs": epochs, "curve": fit.curve, "steps": fit.steps, "seconds": round(fit.seconds, 1)}


def _plan(free: Candidate, new: Candidate | None, version: int, reason: str) -> ServingPlan:
    """Voice notes get the winner; long media keeps the base without hints (the only choice measured safe:
    hints drop stretches of long media, and held-out chunks are not the long media's served path)."""
    short = Route(f"v{version}", new.hint) if new is not None else Route(BASE, free.hint)
    return ServingPlan(short, Route(BASE, "none"), reason)


def _language(config: Config) -> str | None:
    return None if config.model.language == "auto" else config.model.language


def _result(
    guild_id, version, data: GuildData, candidates, free, new, folds, final, plan, promote, reason
) -> dict[str, Any]:
    dev_words = sum(len(c.text.split()) for c in data.clips if data.role_of(c) == "dev")
    return {
        "guild_id": guild_id,
        "version": version,
        "promoted": promote,
        "reason": reason,
        "serving": plan.as_dict(),
        "serving_text": plan.describe(),
        "pairs": len(data.clips),
        "pair_ids": [c.pair_id for c in data.clips],  # what the served model learned from (/forget names it)
        "recordings": len(data.roles),
        "folds": len(data.folds),
        "held_out_words": data.words,
        "dev_words": dev_words,
        "test_words": data.words - dev_words,
        "skipped": data.skipped[:20],
        "skipped_count": len(data.skipped),
        "before": {"label": free.label, **free.test.as_dict()},
        "after": {"label": new.label, **new.test.as_dict()} if new is not None else None,
        "candidates": {c.label: {"dev": c.dev.as_dict(), "test": c.test.as_dict()} for c in candidates},
        "merge_scale": new.scale if new is not None else None,
        "fold_best_epochs": [f["best_epoch"] for f in folds],
        "fold_curves": [f["curve"] for f in folds],
        "epochs": final.get("epochs"),
        "curve": final.get("curve", []),
        "train_steps": sum(f["steps"] for f in folds) + final.get("steps", 0),
        "train_seconds": round(sum(f["seconds"] for f in folds) + final.get("seconds", 0.0), 1),
    }


class _Exports:
    """The served adapter merged at a scale and exported, made on first use (the guard may need several)."""

    def __init__(
        self,
        base_hf: Path,
        adapter: Path,
        base_ct2: Path | None,
        work: Path,
        quantization: str,
        learned: list[str],
    ):
        self.base_hf, self.adapter, self.base_ct2, self.work = base_hf, adapter, base_ct2, work
        self.quantization, self.learned = quantization, learned
        self.made: dict[float, Path] = {}

    def at(self, scale: float) -> Callable[[], Path | None]:
        def build() -> Path:
            if scale not in self.made:
                out = self.work / f"model-{scale}"
                self.made[scale] = _export(
                    self.base_hf, self.adapter, scale, self.base_ct2, out, self.quantization, self.learned
                )
            return self.made[scale]

        return build

    def discard(self) -> None:
        for folder in self.made.values():
            shutil.rmtree(folder, ignore_errors=True)


class _Stages:
    """Wall seconds of each stage of a retrain, for the job result (bench/training_cost.py reads them)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._mark = time.monotonic()

    def __call__(self, name: str) -> None:
        now = time.monotonic()
        self.seconds[name] = round(now - self._mark, 2)
        self._mark = now


def _publish(work: Path, final_dir: Path) -> None:
    """One rename makes the version folder appear whole; a leftover folder of a crashed run is replaced."""
    if final_dir.exists():
        shutil.rmtree(final_dir)
    work.rename(final_dir)
