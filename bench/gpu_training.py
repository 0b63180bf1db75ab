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
    from bot.core.media.audio import load_audio
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

    from bot.core.config import config_from_dict
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


HOWTO = """No GPU was lent for this work, so this section says how to measure training on one; `make bench`
does not run it (it would measure the CPU again) but lists every saved result here.

1. On the GPU machine: the repository, `make venv`, then the CUDA build of the pinned torch
   (`.venv/bin/pip install --force-reinstall torch==2.13.0 --index-url https://download.pytorch.org/whl/<cuda tag>`),
   and the hub reachable once for the larger bases (or their weights in the Hugging Face cache: docs/scale-out.md, "Larger bases").
2. Check the product on it: `HF_HUB_OFFLINE=1 .venv/bin/pytest -q tests/test_trainer.py -k "adapter or processes"`
   (the Accelerate loop against the plain one, and two launched processes).
3. One fit per base, about 48 pairs, 3 epochs (the first epoch pays for loading and warm-up and is reported apart):

   ```sh
   .venv/bin/python -m bench.gpu_training --device cpu  --base bundled     # the CPU row of the same machine
   .venv/bin/python -m bench.gpu_training --device cuda --base bundled
   .venv/bin/python -m bench.gpu_training --device cuda --base small
   .venv/bin/python -m bench.gpu_training --device cuda --base large-v3-turbo
   .venv/bin/accelerate launch --multi_gpu --num_processes 4 -m bench.gpu_training --device cuda --base large-v3-turbo
   ```

   Each writes bench/results/gpu_training-<cpu|cuda>-<base>.json; `python -m bench.run_all --report` adds it below.
4. A whole retrain, evaluation included: `python -m bench.training_cost` (its `[training] device` is "auto": it
   trains on the GPU, and evaluates with faster-whisper int8 on the CPU), then `python -m trainer run --json` on
   the same pairs with `[model] device = "cuda"` and `compute_type = "float16"` in the config, so evaluation runs
   on the GPU too; compare the jobs' `stage_seconds`.

Report: the GPU model and count, torch and CUDA versions, the precision used (bf16, or fp16 with a scaler),
seconds per pair and epoch, the first epoch, peak GPU memory, the train losses next to the CPU run's (bf16 rounds
differently; they should fall alike), and for several GPUs the speed-up over one (packing makes few windows per
epoch: with fewer windows than processes, extra GPUs only repeat windows, so measure with enough pairs)."""


def report_section() -> list[str]:
    """BENCHMARKS.md section 8: how to measure on a GPU, and the saved results of any run of this benchmark."""
    from bench.common import table

    lines = ["## 8. Training on a GPU: how to measure it", "", HOWTO, ""]
    runs = [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted(RESULTS_DIR.glob("gpu_training-*.json"))
    ]
    if runs:
        heads = ["base", "device", "processes", "precision", "pairs", "s per pair-epoch", "first epoch s"]
        heads += ["peak GPU MiB", "peak RSS MiB", "load"]
        keys = ["base", "device", "processes", "precision", "pairs", "s_per_pair_epoch", "first_epoch_s"]
        keys += ["peak_gpu_mib", "peak_rss_mib", "load_before"]
        lines += [table(heads, [[r.get(k) for k in keys] for r in runs]), ""]
    return lines


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
