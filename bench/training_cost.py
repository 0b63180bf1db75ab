"""Benchmark 4: what a retrain costs on this CPU, per optimiser step and for a whole `/retrain`.

Part 1, the training step: LoRA with the product's defaults (r 32, alpha 64 on q_proj+v_proj, AdamW 1e-3)
on tiny.en, one epoch over 24 short clips (espeak-ng sentences, about 4 s each), packed into 30 s windows
(the default) or one clip per window (batch 1 and batch 4); each in its own process for its peak RSS.
Part 2, whole retrains: `python -m trainer run --guild G --json` on 10, 50 and 200 stored pairs (one voice
note each), with the stage timings from the job result (data, base model, training, export, evaluation).
The big sizes run fewer epochs to stay under 10 minutes; per-epoch costs come from the training curve, and
the time the default 8 epochs would take is projected from them.

    .venv/bin/python -m bench.training_cost [--sizes 10,50,200] [--epochs 8,2,2]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import itertools
import json
import shutil
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, NamedTuple

from bench.common import (
    DATA_DIR,
    PY,
    Run,
    child_report,
    extra_table,
    general_sentences,
    headers,
    load,
    parse_child,
    run_measured,
    wav_seconds,
)
from bench.scenario import TERMS

WORK = DATA_DIR / "training_cost"
CLIPS = DATA_DIR / "speech" / "pairs"
MICRO_CLIPS = 24
MODES = {
    "packed": ("packed 30 s windows, batch 1 (default)", 30.0, 1),
    "single": ("one clip per window, batch 1", 0.0, 1),
    "single4": ("one clip per window, batch 4", 0.0, 4),
}


def pair_clips(count: int) -> list[tuple[Path, str]]:
    """`count` spoken sentences (made once), each a separate recording: what users' voice notes are."""
    from trainer.guard import speak

    CLIPS.mkdir(parents=True, exist_ok=True)
    out = []
    for index, text in enumerate(general_sentences(count, seed=7)):
        path = CLIPS / f"pair-{index:03d}.wav"
        if not path.exists():
            speak(text, path)
        out.append((path, text))
    return out


def hf_base(data_dir: Path) -> Path:
    """The Hugging Face form of the bundled tiny.en, where the trainer caches it for this data dir."""
    from bot.core.config import config_from_dict
    from trainer.pipeline import base_weights

    return Path(base_weights(config_from_dict({"storage": {"data_dir": str(data_dir)}}))[0])


# --- part 1: one epoch in a child process ------------------------------------------------------------


def _micro(mode: str, base_dir: str) -> None:
    import random

    import torch

    from bot.core.config import TrainingConfig
    from bot.core.media.audio import load_audio
    from trainer.dataset import Clip, WhisperInputs, collate, pack
    from trainer.train import _dev_loss, lora_model

    _, pack_seconds, batch_size = MODES[mode]
    config = TrainingConfig()
    torch.manual_seed(0)
    clips = [Clip(load_audio(p), t, i) for i, (p, t) in enumerate(pair_clips(MICRO_CLIPS))]
    inputs = WhisperInputs(Path(base_dir), "en")
    model, optimizer = lora_model(Path(base_dir), config)
    model.train()

    t = time.perf_counter()
    windows = inputs.dataset(pack(clips, pack_seconds, random.Random(0)))
    features_s = time.perf_counter() - t

    def step(rows) -> float:
        t = time.perf_counter()
        batch = collate(rows)
        loss = model(input_features=batch["input_features"], labels=batch["labels"]).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return time.perf_counter() - t

    batches = [
        [windows[i] for i in range(first, min(first + batch_size, len(windows)))]
        for first in range(0, len(windows), batch_size)
    ]
    warmup = step(batches[0])  # first step: allocations and lazy init, not counted
    steps = [step(b) for b in batches]
    payload = {
        "windows": len(windows),
        "steps": len(steps),
        "features_s": features_s,
        "warmup_step_s": warmup,
        "step_s": steps,
        "audio_s": sum(c.seconds for c in clips),
    }
    if mode == "packed":  # the per-epoch dev loss (early stopping), the same for every mode
        validation = inputs.dataset(clips[:8])
        t = time.perf_counter()
        _dev_loss(model, validation)
        payload["validation_s_per_clip"] = (time.perf_counter() - t) / 8
    child_report(payload)


# --- part 2: whole retrains --------------------------------------------------------------------------


async def store_pairs(config, guild: int, clips: list[tuple[Path, str]]) -> None:
    """The guild's corrected voice notes as the bot stores them: media, caption, correction, one pair each."""
    from bot.core.store import Store

    store = await Store.open(config.database_path)
    try:
        await store.add_terms(guild, TERMS, added_by=None)
        for path, text in clips:
            media_id = await store.add_media(
                guild,
                sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                source=str(path),
                title=path.name,
                duration=wav_seconds(path),
                audio_path=str(path),
                uploader_id=1,
            )
            caption_id = await store.add_caption(
                guild,
                media_id=media_id,
                model_version="base",
                language="en",
                cues=[],
                text=text,
                requester_id=1,
            )
            await store.add_correction(
                guild,
                caption_id=caption_id,
                user_id=2,
                kind="text",
                text=text,
                cues=[],
                pairs=[(0.0, wav_seconds(path), text)],
            )
    finally:
        await store.close()


def _per_epoch(curve: list[dict]) -> float | None:
    """Seconds per epoch after the first (epoch 1 also pays the initial validation pass)."""
    times = [c["seconds"] for c in curve]
    gaps = [b - a for a, b in itertools.pairwise(times[1:])]
    return statistics.median(gaps) if gaps else None


@dataclass
class Retrain:
    """One whole retrain (`python -m trainer run`) as a new process, and the trainer's job result."""

    pairs: int
    epochs: int
    wall: float
    cpu: float
    load_after: list[float]
    peak_rss_mib: float
    per_epoch_s: float | None
    result: dict[str, Any]  # the job result without its curve
    curve: list[dict[str, Any]]


@dataclass
class Measured:
    micro: dict[str, dict[str, Any]]  # mode -> what its one-epoch child reported, with its peak RSS
    retrains: list[Retrain]
    import_s: float
    speech_s: float


def measure(sizes: list[int], epochs: list[int]) -> Measured:
    from bot.core.config import config_from_dict
    from trainer.guard import guard_set

    shutil.rmtree(WORK, ignore_errors=True)
    data_dir = WORK / "data"
    t = time.perf_counter()
    clips = pair_clips(max(*sizes, MICRO_CLIPS))
    speech_s = time.perf_counter() - t
    t = time.perf_counter()
    base_dir = hf_base(data_dir)  # the one-time import of the CTranslate2 weights, cached per data dir
    import_s = time.perf_counter() - t
    guard_set(data_dir)
    print(f"{len(clips)} clips ready ({speech_s:.0f} s), base imported in {import_s:.1f} s", flush=True)

    micro = {}
    for mode in MODES:
        print(f"one epoch, {MODES[mode][0]} ...", flush=True)
        child = run_measured([PY, "-m", "bench.training_cost", "--child", mode, str(base_dir)])
        if child["rc"] != 0:
            sys.exit(f"{mode} failed:\n{child['stderr'][-3000:]}")
        micro[mode] = {**parse_child(child["stdout"]), "peak_rss_mib": child["peak_rss_mib"]}

    retrains = []
    for guild, (size, n_epochs) in enumerate(zip(sizes, epochs, strict=True), start=1):
        config_file = WORK / f"config-{size}.toml"
        config_file.write_text(
            f'[storage]\ndata_dir = "{data_dir}"\n\n[training]\nepochs = {n_epochs}\n', encoding="utf-8"
        )
        config = config_from_dict({"storage": {"data_dir": str(data_dir)}})
        asyncio.run(store_pairs(config, guild, clips[:size]))
        print(f"retrain with {size} pairs, {n_epochs} epochs ...", flush=True)
        child = run_measured(
            [PY, "-m", "trainer", "--config", str(config_file), "run", "--guild", str(guild), "--json"]
        )
        if child["rc"] not in (0, 2) or not child["stdout"].strip():
            sys.exit(f"retrain of {size} pairs failed:\n{child['stderr'][-3000:]}")
        job = json.loads(child["stdout"].strip().splitlines()[-1])
        if job["status"] != "succeeded":
            sys.exit(f"retrain of {size} pairs failed: {job['message']}")
        result = job["result"]
        retrains.append(
            Retrain(
                pairs=size,
                epochs=n_epochs,
                wall=round(child["wall"], 1),
                cpu=round(child["cpu"], 1),
                load_after=load(),
                peak_rss_mib=child["peak_rss_mib"],
                per_epoch_s=_per_epoch(result["curve"]),
                result={k: v for k, v in result.items() if k != "curve"},
                curve=result["curve"],
            )
        )
    return Measured(micro, retrains, import_s, speech_s)


class RetrainRow(NamedTuple):
    pairs: int
    train_validation: str
    epochs_run: int
    process_wall_s: float
    process_cpu_s: float
    data_s: float | None
    training_s: float | None
    steps_per_epoch: int
    s_per_epoch: float | str
    expected_s_per_epoch: float
    export_s: float | None
    evaluation_s: float | None
    projected_s: float | str
    peak_rss_mib: float


class EpochRow(NamedTuple):
    mode: str
    windows: int
    s_per_step: float
    fastest_step_s: float
    epoch_s: float
    windows_per_s: float
    clips_per_s: float
    features_s: float
    peak_rss_mib: float


@dataclass
class Summary:
    retrain_rows: list[RetrainRow]
    epoch_rows: list[EpochRow]
    expected_per_epoch_s: list[float]  # per retrain: steps x the packed step + held-out clips x validation
    default_epochs: int
    interpretation: str


def summarise(measured: Measured) -> Summary:
    from bot.core.config import TrainingConfig

    micro, retrains = measured.micro, measured.retrains
    default_epochs = TrainingConfig().epochs
    epoch_rows = []
    for mode, m in micro.items():
        total = sum(m["step_s"])
        epoch_rows.append(
            EpochRow(
                mode=MODES[mode][0],
                windows=m["windows"],
                s_per_step=round(statistics.median(m["step_s"]), 2),
                fastest_step_s=round(min(m["step_s"]), 2),
                epoch_s=round(total, 1),
                windows_per_s=round(m["windows"] / total, 2),
                clips_per_s=round(MICRO_CLIPS / total, 2),
                features_s=round(m["features_s"], 2),
                peak_rss_mib=m["peak_rss_mib"],
            )
        )
    packed_step = statistics.median(micro["packed"]["step_s"])
    validation_clip = micro["packed"].get("validation_s_per_clip", 0.0)
    retrain_rows = []
    expected_per_epoch = []
    for r in retrains:
        res = r.result
        stages = res.get("stage_seconds", {})
        per_epoch = r.per_epoch_s
        steps = res["train_steps"] / r.epochs
        dev_clips = res.get("pairs", 0) // max(
            1, res.get("folds", 2)
        )  # each fold's held-out half, half of it dev
        expected = steps * packed_step + dev_clips * validation_clip
        expected_per_epoch.append(expected)
        projected = (
            round(res["total_seconds"] + (default_epochs - r.epochs) * per_epoch)
            if per_epoch is not None
            else None
        )
        retrain_rows.append(
            RetrainRow(
                pairs=r.pairs,
                train_validation=f"{res.get('pairs')} in {res.get('folds')} folds",
                epochs_run=r.epochs,
                process_wall_s=r.wall,
                process_cpu_s=r.cpu,
                data_s=stages.get("data"),
                training_s=round(stages.get("folds", 0) + stages.get("final_model", 0), 1),
                steps_per_epoch=round(steps),
                s_per_epoch=round(per_epoch, 1) if per_epoch is not None else "",
                expected_s_per_epoch=round(expected, 1),
                export_s=None,  # inside the folds and the general-speech check now
                evaluation_s=round(
                    stages.get("free_options", 0)
                    + stages.get("everyday_probes", 0)
                    + stages.get("general_speech", 0),
                    1,
                ),
                projected_s=projected if projected is not None else "",
                peak_rss_mib=r.peak_rss_mib,
            )
        )
    packed, single = micro["packed"], micro["single"]
    big, small = retrains[-1], retrains[0]
    growth = ""
    if big.per_epoch_s and len(retrains) > 2 and retrains[1].per_epoch_s:
        mid = retrains[1]
        ratio, pairs_ratio = big.per_epoch_s / mid.per_epoch_s, big.pairs / mid.pairs
        big_expected, mid_expected = expected_per_epoch[-1], expected_per_epoch[1]
        shape = (
            "about linear"
            if 0.7 * pairs_ratio <= ratio <= 1.3 * pairs_ratio
            else "more than linear: contention from other work on the machine, see the load"
            if ratio > pairs_ratio
            else "less than linear"
        )
        growth = (
            f" Per epoch (steps, features and validation) it took {mid.per_epoch_s:.0f} s for {mid.pairs} "
            f"pairs and {big.per_epoch_s:.0f} s for {big.pairs}, {ratio:.1f}x for {pairs_ratio:.0f}x the "
            f"pairs ({shape}); the step and validation costs of part 1 predict "
            f"{big_expected / mid_expected:.1f}x ({mid_expected:.0f} s and {big_expected:.0f} s)."
        )
    big_stages = big.result.get("stage_seconds", {})
    top = max(big_stages, key=big_stages.get) if big_stages else "n/a"
    interpretation = (
        f"Packing makes an epoch over {MICRO_CLIPS} clips {sum(single['step_s']) / sum(packed['step_s']):.1f}x "
        f"cheaper ({packed['windows']} windows instead of {single['windows']}; a step costs about the same, "
        f"{statistics.median(packed['step_s']):.2f} s vs {statistics.median(single['step_s']):.2f} s (medians), "
        "because "
        f"every window is 30 s to the encoder).{growth} With {big.pairs} pairs the biggest stage was "
        f"{top} ({big_stages.get(top, 0):.0f} s of {big.result['total_seconds']:.0f} s); a {small.pairs}-"
        f"pair retrain ({small.epochs} epochs) took {small.result['total_seconds']:.0f} s end to end."
    )
    return Summary(retrain_rows, epoch_rows, expected_per_epoch, default_epochs, interpretation)


def report(run: Run, measured: Measured, summary: Summary) -> None:
    default_epochs = summary.default_epochs
    packed = measured.micro["packed"]
    run.finish(
        headers(
            RetrainRow,
            pairs="pairs",
            train_validation="train/validation",
            epochs_run="epochs run",
            process_wall_s="process wall s",
            process_cpu_s="process CPU s",
            data_s="data s",
            training_s="training s",
            steps_per_epoch="steps per epoch",
            s_per_epoch="s per epoch",
            expected_s_per_epoch="expected s per epoch",
            export_s="export s",
            evaluation_s="evaluation s",
            projected_s=f"projected s at {default_epochs} epochs",
            peak_rss_mib="peak RSS MiB",
        ),
        summary.retrain_rows,
        summary.interpretation,
        method=(
            f"tiny.en (bundled, imported to Hugging Face form once: {measured.import_s:.1f} s, cached), LoRA r 32 "
            "/ alpha 64 / q_proj+v_proj / dropout 0.05, AdamW lr 1e-3, fp32 on CPU. Part 1: 24 clips (about 4 s "
            "each) after one warm-up step, one process per mode. Part 2: each pair its own recording, stored as "
            "the bot stores a corrected voice note, vocabulary of 4 terms (so evaluation runs with and without "
            "hotwords); `python -m trainer run --json` as a new process. 'training s' includes the feature "
            "extraction, the per-epoch validation decoding and the merge; 's per epoch' is the median gap "
            "between epochs after the first (steps + features + validation), 'expected' is steps x the packed "
            "step of part 1 + held-out clips x the validation cost of part 1; the projection adds "
            f"({default_epochs} - epochs run) x that to the job total."
        ),
        notes=[
            f"Validation decoding (greedy, batches of 8) costs {packed.get('validation_s_per_clip', 0):.2f} s "
            "per held-out clip and epoch: with 20% of the pairs held out it is a large part of each epoch.",
            "The evaluation stage transcribes the held-out pairs with faster-whisper three times (the current "
            "model, the candidate with and without hotwords) and the general-speech guard twice (a fixed "
            "cost): it grows with the held-out pairs, not with the training pairs.",
        ],
        details={
            "micro": measured.micro,
            "retrains": [
                asdict(r) | {"expected_per_epoch_s": e}
                for r, e in zip(measured.retrains, summary.expected_per_epoch_s, strict=True)
            ],
            "base_import_s": measured.import_s,
            "speech_generation_s": measured.speech_s,
        },
        extra_tables=[
            extra_table(
                f"One epoch over {MICRO_CLIPS} clips (about {packed['audio_s']:.0f} s of speech)",
                summary.epoch_rows,
                EpochRow,
                mode="mode",
                windows="windows",
                s_per_step="s per step (median)",
                fastest_step_s="fastest step s",
                epoch_s="epoch s (steps)",
                windows_per_s="windows per s",
                clips_per_s="clips per s",
                features_s="features s",
                peak_rss_mib="peak RSS MiB",
            )
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,50,200", help="numbers of pairs for the whole retrains")
    parser.add_argument("--epochs", default="8,2,2", help="epochs for each size")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "BASE_DIR"))
    args = parser.parse_args()
    if args.child:
        return _micro(*args.child)
    sizes = [int(s) for s in args.sizes.split(",")]
    epochs = [int(e) for e in args.epochs.split(",")]

    run = Run("training_cost", "4. Training cost: LoRA on tiny.en, per step and per retrain")
    measured = measure(sizes, epochs)
    report(run, measured, summarise(measured))


if __name__ == "__main__":
    main()
