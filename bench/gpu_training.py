"""Benchmark 6: what one fit costs per pair on this machine's device, for any base: CPU, one GPU, or several.

The product's own fit (trainer/train.py: LoRA r 32 / alpha 64 on q_proj+v_proj, packed 30 s windows, batch
1) on N generated pairs (espeak-ng sentences, about 4 s each) for E epochs, no dev set, as the served model
of a retrain is trained. Reported: the device and precision, windows per epoch, seconds per epoch (median
after the first, which pays for loading and warm-up), seconds per pair and epoch, and peak memory (GPU memory
allocated on a GPU, resident memory on the CPU). Results go to bench/results/gpu_training-<device>-<base>.json.

    .venv/bin/python -m bench.gpu_training [--base bundled|small|large-v3-turbo] [--device auto|cpu|cuda]
        [--pairs 48] [--epochs 3]
    accelerate launch --num_processes 4 -m bench.gpu_training --base large-v3-turbo   # data-parallel
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from bench.common import DATA_DIR, RESULTS_DIR, general_sentences, load, machine, peak_rss_mib


def _clips(count: int) -> list[Any]:
    from bot.audio import load_audio
    from trainer.dataset import Clip
    from trainer.guard import speak

    folder = DATA_DIR / "gpu_training"
    folder.mkdir(parents=True, exist_ok=True)
    clips = []
    for i, text in enumerate(general_sentences(count, seed=6)):
        wav = folder / f"{i}.wav"
        if not wav.exists():
            speak(text, wav)
        clips.append(Clip(load_audio(wav), text, media_id=i, pair_id=i))
    return clips


def measure(base: str, device: str, pairs: int, epochs: int) -> dict[str, Any] | None:
    """One fit, timed; None in the processes of a launch other than the main one (they only train)."""
    import torch

    from bot.config import config_from_dict
    from trainer import team
    from trainer.device import accelerator, launched_processes, resolve_device
    from trainer.pipeline import base_weights
    from trainer.train import fit_adapter

    config = config_from_dict(
        {
            "storage": {"data_dir": str(DATA_DIR / "gpu_training" / "data")},
            "model": {"base": base},
            "training": {"device": device, "epochs": epochs},
        }
    )
    where = resolve_device(device)
    if launched_processes() > 1 and not accelerator(where).is_main_process:
        team.follow()
        return None
    base_hf, _ = base_weights(config)
    clips = _clips(pairs)
    started = time.monotonic()
    try:
        fit = fit_adapter(Path(base_hf), clips, [], config.training, epochs=epochs, language="en")
    finally:
        if launched_processes() > 1:
            team.dismiss()
    wall = time.monotonic() - started
    gaps = [b["seconds"] - a["seconds"] for a, b in zip(fit.curve[1:], fit.curve[2:], strict=False)]
    per_epoch = statistics.median(gaps) if gaps else fit.curve[-1]["seconds"]
    gpu = where == "cuda"
    precision = "fp32"
    if gpu:
        precision = "bf16 autocast" if torch.cuda.is_bf16_supported() else "fp16 autocast + GradScaler"
    return {
        "base": base,
        "device": torch.cuda.get_device_name() if gpu else "cpu",
        "processes": launched_processes(),
        "precision": precision,
        "pairs": pairs,
        "epochs": epochs,
        "steps": fit.steps,
        "s_per_epoch": round(per_epoch, 2),
        "s_per_pair_epoch": round(per_epoch / pairs, 3),
        "first_epoch_s": round(fit.curve[1]["seconds"], 2),
        "fit_wall_s": round(wall, 1),
        "train_loss": [c["train_loss"] for c in fit.curve[1:]],
        "peak_gpu_mib": round(torch.cuda.max_memory_allocated() / 2**20) if gpu else None,
        "peak_rss_mib": peak_rss_mib(),
        "trainable_parameters": fit.trainable_parameters,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--base", default="bundled", help='"bundled" (tiny.en), "small", "large-v3-turbo", ...'
    )
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    parser.add_argument("--pairs", type=int, default=48)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    before = load()
    result = measure(args.base, args.device, args.pairs, args.epochs)
    if result is None:
        return
    result.update(load_before=before, load_after=load(), machine=machine())
    name = f"gpu_training-{'cpu' if result['device'] == 'cpu' else 'cuda'}-{args.base}.json"
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / name).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "machine"}, indent=1))


if __name__ == "__main__":
    main()
