"""The 10,000-server estimate of bench/scale.py: what gateway, GPUs, CPUs and disks such a bot needs.

Arithmetic only, on two kinds of input that the table keeps apart: figures measured here (a retrain's cost
per pair from bench 5, the bot's CPU per caption and bytes per second of kept audio from the scale rounds,
the size of a version folder measured below) and assumptions about how people use the bot, each a command
line option with its default printed in the table, so a reader can redo the sum with their own numbers.

    python -m bench.scale_estimate --measure-models FOLDER   # the child that measures a version folder
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import time
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from bench.common import PY, child_report, parse_child, run_measured

DISCORD_MAX_GUILDS_PER_SHARD = 2500  # Discord refuses IDENTIFY beyond this
RECOMMENDED_GUILDS_PER_SHARD = 1000  # about what /gateway/bot recommends
IDENTIFY_SECONDS = 5  # with max_concurrency 1, one shard may identify every 5 s


@dataclass(frozen=True)
class Assumptions:
    """How 10,000 servers use the bot: guesses, not measurements (each is a --option)."""

    servers: int = 10_000
    captions_per_server_day: float = 20.0
    audio_seconds_per_caption: float = 30.0
    corrections_per_server_day: float = 2.0
    retrains_per_day: float = 500.0
    pairs_per_retrain: int = 100
    gpu_speedup: float = 20.0  # one GPU against these 2 CPU cores, for LoRA on tiny.en: NOT measured here
    servers_with_models: float = 0.2  # share of servers that have their own model versions
    peak_factor: float = 3.0  # busiest hour against the day's average

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        group = parser.add_argument_group("assumptions of the 10,000-server estimate")
        for f in fields(Assumptions):
            option = f"--assume-{f.name.replace('_', '-')}"
            group.add_argument(option, dest=f"assume_{f.name}", type=type(f.default), default=f.default)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Assumptions:
        return cls(**{f.name: getattr(args, f"assume_{f.name}") for f in fields(cls)})


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _measure_models_child(folder: Path) -> None:
    """A version folder's weights as the trainer writes them: the LoRA adapter (untrained: same size) and
    the base with it merged, exported to CTranslate2 int8 (the same tensors as any export of tiny.en)."""
    from bot.core.config import Config, TrainingConfig
    from bot.core.transcription.engine import base_model_path
    from trainer.ct2_import import ensure_hf_base
    from trainer.export import export_ct2
    from trainer.train import lora_model, merge_adapter

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    ct2 = Path(base_model_path(Config().model))
    base = ensure_hf_base(ct2, folder / "hf-base")
    model, _ = lora_model(base, TrainingConfig())
    model.save_pretrained(folder / "adapter")
    merged = merge_adapter(base, folder / "adapter", 1.0, folder / "merged")
    started = time.perf_counter()
    export_ct2(merged, folder / "model", base_ct2_dir=ct2, quantization="int8")
    child_report(
        {
            "adapter_bytes": folder_size(folder / "adapter"),
            "model_bytes": folder_size(folder / "model"),
            "bundled_base_bytes": folder_size(ct2),
            "export_s": round(time.perf_counter() - started, 1),
        }
    )


def measure_model_sizes(folder: Path) -> dict[str, Any]:
    child = run_measured([PY, "-m", "bench.scale_estimate", "--measure-models", str(folder)])
    if child["rc"] != 0:
        raise SystemExit(f"measuring the version folder failed:\n{child['stderr'][-2000:]}")
    sizes = parse_child(child["stdout"])
    shutil.rmtree(folder, ignore_errors=True)
    return sizes


def _gb(value: float) -> float:
    return round(value / 1e9, 1)


def estimate(
    a: Assumptions,
    *,
    retrain_s: float,
    retrain_pairs: int,
    caption_cpu_s: float,
    caption_audio_s: float,
    audio_bytes_per_s: float,
    models: dict[str, Any],
    database_bytes_per_caption: float | None,
    jobs_per_hour_per_worker: float,
) -> dict[str, Any]:
    """The table rows (quantity, figure, basis) and the raw figures."""
    from bot.core.config import StorageConfig
    from bot.core.store.models import KEPT_VERSIONS

    retention = StorageConfig().retention_days
    shards_min = math.ceil(a.servers / DISCORD_MAX_GUILDS_PER_SHARD)
    shards = math.ceil(a.servers / RECOMMENDED_GUILDS_PER_SHARD)
    per_pair_s = retrain_s / retrain_pairs
    cpu_hours = a.retrains_per_day * a.pairs_per_retrain * per_pair_s / 3600
    gpu_hours = cpu_hours / a.gpu_speedup
    gpus_peak = math.ceil(gpu_hours / 24 * a.peak_factor)
    captions = a.servers * a.captions_per_server_day
    audio_day = captions * a.audio_seconds_per_caption
    cpu_per_audio_s = caption_cpu_s / caption_audio_s
    core_hours = audio_day * cpu_per_audio_s / 3600
    cores_peak = math.ceil(core_hours / 24 * a.peak_factor)
    audio_bytes_day = audio_day * audio_bytes_per_s
    version_bytes = models["model_bytes"] + models["adapter_bytes"]
    model_bytes = a.servers * a.servers_with_models * KEPT_VERSIONS * version_bytes
    rows = [
        (
            "gateway shards",
            f"{shards} ({shards_min} at least)",
            f"{a.servers} servers / ~{RECOMMENDED_GUILDS_PER_SHARD} per shard as /gateway/bot recommends "
            f"(Discord's hard limit {DISCORD_MAX_GUILDS_PER_SHARD}); AutoShardedClient takes the count from "
            f"Discord; all connect in ~{shards * IDENTIFY_SECONDS} s (one IDENTIFY per {IDENTIFY_SECONDS} s)",
        ),
        (
            "retrain cost per pair (2 CPU cores)",
            f"{per_pair_s:.1f} s",
            f"measured: a {retrain_pairs}-pair retrain took {retrain_s:.0f} s (bench 5); taken as linear in "
            "pairs (training and held-out evaluation grow with pairs; the real-speech check is fixed)",
        ),
        (
            "training per day",
            f"{gpu_hours:.0f} GPU hours ({cpu_hours:.0f} h on 2 CPU cores)",
            f"assumed: {a.retrains_per_day:g} retrains/day of {a.pairs_per_retrain} pairs each, a GPU "
            f"{a.gpu_speedup:g}x faster than these 2 cores (an assumption, not measured here)",
        ),
        (
            "training GPUs at the busiest hour",
            str(gpus_peak),
            f"GPU hours / 24 x peak factor {a.peak_factor:g}; each a worker on the shared queue "
            f"({jobs_per_hour_per_worker:g} real retrains/hour per 2-core worker, derived above)",
        ),
        (
            "captions per day",
            f"{captions:,.0f} ({audio_day / 3600:,.0f} h of audio)",
            f"assumed: {a.captions_per_server_day:g} captions per server per day, "
            f"{a.audio_seconds_per_caption:g} s each",
        ),
        (
            "transcription CPU per day",
            f"{core_hours:,.0f} core hours; {cores_peak} cores at the busiest hour",
            f"measured: {cpu_per_audio_s:.3f} CPU s per second of audio (bot processes here, 3-5 s voice "
            "notes, all overheads: an upper bound for 30 s notes); x peak factor",
        ),
        (
            "audio kept",
            f"{_gb(audio_bytes_day * 30)} GB per month; {_gb(audio_bytes_day * retention)} GB steady",
            f"measured: {audio_bytes_per_s:,.0f} bytes per second of kept audio (16 kHz mono WAV); "
            f"retention_days = {retention} (the default) bounds it; the biggest item: keeping it as Opus "
            "at 32 kbit/s would make it about 8x smaller",
        ),
        (
            "model versions",
            f"{_gb(model_bytes)} GB steady",
            f"measured: a version's weights are {models['model_bytes'] / 1e6:.1f} MB (int8 CTranslate2 "
            f"export) + {models['adapter_bytes'] / 1e6:.1f} MB (LoRA adapter); {KEPT_VERSIONS} versions kept "
            f"with weights per server; assumed: {a.servers_with_models:.0%} of servers have their own model",
        ),
    ]
    if database_bytes_per_caption is not None:
        rows.append(
            (
                "database",
                f"{_gb(database_bytes_per_caption * captions * 30)} GB per month",
                f"measured: {database_bytes_per_caption / 1e3:.1f} kB per caption with its correction (what a "
                "round added to the database's files, indexes included, / its captions); captions are kept, "
                "only audio expires",
            )
        )
    return {
        "table": {
            "title": f"On paper: {a.servers:,} servers (measured figures above, assumptions stated)",
            "headers": ["quantity", "figure", "basis"],
            "rows": rows,
        },
        "assumptions": {f.name: getattr(a, f.name) for f in fields(a)},
        "figures": {
            "shards": shards,
            "shards_min": shards_min,
            "retrain_s_per_pair_cpu": per_pair_s,
            "gpu_hours_per_day": gpu_hours,
            "gpus_peak": gpus_peak,
            "transcription_core_hours_per_day": core_hours,
            "transcription_cores_peak": cores_peak,
            "audio_gb_per_month": audio_bytes_day * 30 / 1e9,
            "audio_gb_steady": audio_bytes_day * retention / 1e9,
            "model_gb_steady": model_bytes / 1e9,
            "version_bytes": version_bytes,
        },
    }


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--measure-models":
        _measure_models_child(Path(argv[1]))
        return 0
    print("usage: python -m bench.scale_estimate --measure-models FOLDER", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
