"""One retrain, start to finish: data, base weights, LoRA training, export, evaluation, the promotion decision.

Everything here is blocking and heavy; the worker runs it in a thread while it keeps the job's heartbeat
going. Nothing here touches the database: the worker reads the inputs before and records the outcome after,
so a crash anywhere in here leaves the database and the active model exactly as they were.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.config import BUNDLED_MODEL, Config
from bot.store import ModelVersionRow, PairRow
from bot.transcription import BASE_VERSION, ModelChoice, base_model_path
from trainer.dataset import GuildData, load_guild_data
from trainer.evaluate import Scores, evaluate_served
from trainer.export import export_ct2
from trainer.guard import guard_set
from trainer.report import model_card, plot_curve
from trainer.train import train_adapter

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Outcome:
    version: int
    model_path: Path  # the served CTranslate2 folder inside the version folder
    promote: bool
    reason: str
    result: dict[str, Any]  # what the job reports (pairs, scores before and after, timings)


def base_weights(config: Config) -> tuple[Path | str, Path | None]:
    """The Hugging Face form of the base model to train, and the CTranslate2 base to copy settings from."""
    from trainer.ct2_import import ensure_hf_base

    base = config.model.base
    if base == BUNDLED_MODEL or Path(base, "model.bin").exists():
        ct2_dir = Path(base_model_path(config.model))
        return ensure_hf_base(ct2_dir, config.data_dir / "cache" / "hf-base"), ct2_dir
    return (base if "/" in base else f"openai/whisper-{base}"), None


def served_choice(config: Config, active: ModelVersionRow | None) -> ModelChoice:
    if active is not None and Path(active.path, "model.bin").exists():
        return ModelChoice(active.path, f"v{active.version}", bool(active.metrics.get("use_hotwords", True)))
    return ModelChoice(base_model_path(config.model), BASE_VERSION)


def decide(
    before: Scores, after: Scores, guard_before: Scores, guard_after: Scores, margin: float
) -> tuple[bool, str]:
    """Promote only a model that is better on the guild's held-out audio and no worse on general speech."""
    if guard_after.wer > guard_before.wer + margin:
        return False, (
            f"general-speech WER would rise from {guard_before.wer:.3f} to {guard_after.wer:.3f} "
            f"(allowed: +{margin:.3f})"
        )
    hit_gain = (after.keyword_hit_rate or 0.0) - (before.keyword_hit_rate or 0.0)
    if after.wer < before.wer or (after.wer == before.wer and hit_gain > 0):
        return True, f"held-out WER {before.wer:.3f} -> {after.wer:.3f}"
    return False, f"not better on this server's held-out audio (WER {before.wer:.3f} -> {after.wer:.3f})"


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
    progress("preparing data", 0.02)
    data = load_guild_data(
        pairs,
        min_pairs=config.training.min_pairs,
        fraction=config.training.validation_fraction,
        seed=config.training.seed,
    )
    lap("data")
    progress("preparing the base model", 0.05)
    base_hf, base_ct2 = base_weights(config)
    lap("base_model")
    guild_dir = config.data_dir / "models" / str(guild_id)
    final_dir = guild_dir / f"v{version}"
    work = guild_dir / f".v{version}.tmp"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        trained = train_adapter(
            Path(base_hf),
            data.train,
            data.validation,
            config.training,
            work,
            language=None if config.model.language == "auto" else config.model.language,
            progress=lambda stage, f: progress(stage, 0.05 + 0.7 * f),
        )
        lap("train")
        progress("exporting", 0.78)
        export_ct2(
            trained.merged_dir,
            work / "model",
            base_ct2_dir=base_ct2,
            quantization=config.training.export_quantization,
        )
        shutil.rmtree(trained.merged_dir)  # the adapter and the served model are what we keep
        lap("export")
        scores, use_hotwords = _evaluate(
            config, data, terms, served_choice(config, active), ModelChoice(str(work / "model"), ""), progress
        )
        lap("evaluate")
        promote, reason = decide(*scores, config.training.forgetting_margin)
        plot_curve(trained.curve, work / "curve.png", title=f"server {guild_id}, model v{version}")
        lap("plot")
        result = _result(guild_id, version, data, trained, scores, promote, reason, started)
        result["use_hotwords"] = use_hotwords
        result["curve_png"] = str(final_dir / "curve.png")
        result["stage_seconds"] = lap.seconds  # data, base_model, train, export, evaluate, plot
        (work / "metrics.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
        (work / "README.md").write_text(model_card(config, result), encoding="utf-8")
        _publish(work, final_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    progress("done", 1.0)
    return Outcome(version, final_dir / "model", promote, reason, result)


class _Stages:
    """Wall seconds of each stage of a retrain, for the job result (bench/training_cost.py reads them)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._mark = time.monotonic()

    def __call__(self, name: str) -> None:
        now = time.monotonic()
        self.seconds[name] = round(now - self._mark, 2)
        self._mark = now


def _evaluate(
    config: Config, data: GuildData, terms, current: ModelChoice, candidate: ModelChoice, progress
) -> tuple[tuple[Scores, Scores, Scores, Scores], bool]:
    """The current model as it is served now, against the candidate served the better of two ways."""
    clips = [c.audio for c in data.validation]
    references = [c.text for c in data.validation]
    guard = guard_set(config.data_dir)
    progress("evaluating the current model", 0.82)
    before, _ = evaluate_served(config.model, current, clips, references, terms)
    guard_before, _ = evaluate_served(config.model, current, guard.clips, guard.references, ())
    progress("evaluating the new model", 0.9)
    plain = replace(candidate, hotwords=False)
    after, _ = evaluate_served(config.model, plain, clips, references, terms)
    if terms and config.model.hotwords != "never":
        hinted, _ = evaluate_served(config.model, candidate, clips, references, terms)
        if (hinted.wer, -(hinted.keyword_hit_rate or 0)) < (after.wer, -(after.keyword_hit_rate or 0)):
            after, plain = hinted, candidate
    guard_after, _ = evaluate_served(config.model, plain, guard.clips, guard.references, ())
    return (before, after, guard_before, guard_after), plain.hotwords


def _result(guild_id, version, data: GuildData, trained, scores, promote, reason, started) -> dict[str, Any]:
    before, after, guard_before, guard_after = scores
    return {
        "guild_id": guild_id,
        "version": version,
        "promoted": promote,
        "reason": reason,
        "pairs_train": len(data.train),
        "pairs_validation": len(data.validation),
        "skipped": data.skipped[:20],
        "skipped_count": len(data.skipped),
        "before": {**before.as_dict(), "guard_wer": guard_before.wer},
        "after": {**after.as_dict(), "guard_wer": guard_after.wer},
        "best_epoch": trained.best_epoch,
        "curve": trained.curve,
        "train_steps": trained.steps,
        "train_seconds": round(trained.seconds, 1),
        "total_seconds": round(time.monotonic() - started, 1),
        "trainable_parameters": trained.trainable_parameters,
    }


def _publish(work: Path, final_dir: Path) -> None:
    """One rename makes the version folder appear whole; a leftover folder of a crashed run is replaced."""
    if final_dir.exists():
        shutil.rmtree(final_dir)
    work.rename(final_dir)
