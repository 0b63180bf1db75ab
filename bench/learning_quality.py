"""Benchmark 5: what the loop learns from 8, 16 and 32 corrected voice notes, against hotwords alone.

For each size a fresh guild captions that many espeak-ng clips full of the community's invented terms
(bench/scenario.py) through `CaptionService.caption`, corrects each one with the right text through
`CaptionService.correct` (as a user's reply would), has the terms in its vocabulary, and retrains with
`python -m trainer run --json` (the product's defaults: 8 epochs, LoRA r 32, packed windows; min_pairs
lowered to 4 so 8 clips may train). Then 12 held-out clips (other sentences, same terms) are transcribed
the way the bot serves them, four ways: base, base + hotwords, fine-tuned, fine-tuned + hotwords. The
general-speech WER before and after (forgetting) is the trainer's own guard measurement.

    .venv/bin/python -m bench.learning_quality [--sizes 8,16,32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

from bench.common import DATA_DIR, PY, Run, headers, run_measured
from bench.scenario import (
    EXTRA_HELD_OUT_SENTENCES,
    EXTRA_TRAINING_SENTENCES,
    HELD_OUT_SENTENCES,
    TERMS,
    TRAINING_SENTENCES,
    caption_and_correct,
    spoken,
)

WORK = DATA_DIR / "learning"


def score_served(config, path: str, hotwords: bool, clips, references) -> dict:
    from bot.transcription import ModelChoice
    from trainer.evaluate import evaluate_served

    scores, hypotheses = evaluate_served(
        config.model, ModelChoice(path, "bench", hotwords), clips, references, TERMS
    )
    return {**scores.as_dict(), "hypotheses": hypotheses}


@dataclass
class Retrain:
    """One size: what the base model heard in the corrected clips, and the trainer's job result."""

    size: int
    heard: list[str]
    wall: float
    result: dict[str, Any]  # the job result without its curve
    curve: list[dict[str, Any]]


@dataclass
class Measured:
    conditions: dict[tuple[int | str, str], dict[str, Any]]  # (size or "base", model) -> scores
    trainings: list[Retrain]
    held_texts: list[str]
    held_seconds: float


def measure(sizes: list[int]) -> Measured:
    from bot.audio import load_audio
    from bot.config import load_config
    from bot.transcription import base_model_path

    sentences = TRAINING_SENTENCES + EXTRA_TRAINING_SENTENCES
    if max(sizes) > len(sentences):
        sys.exit(f"at most {len(sentences)} training sentences are defined in bench/scenario.py")
    shutil.rmtree(WORK, ignore_errors=True)
    data_dir = WORK / "data"
    config_file = WORK / "config.toml"
    WORK.mkdir(parents=True)
    config_file.write_text(
        f'[storage]\ndata_dir = "{data_dir}"\n\n[training]\nmin_pairs = 4\n', encoding="utf-8"
    )
    config = load_config(config_file)
    speech = DATA_DIR / "speech" / "scenario"
    train = spoken(sentences, speech, "train")
    held_texts = HELD_OUT_SENTENCES + EXTRA_HELD_OUT_SENTENCES
    held = spoken(held_texts, speech, "held")
    held_clips = [load_audio(p) for p in held.paths]

    base = base_model_path(config.model)
    print("held-out clips through the base model ...", flush=True)
    conditions: dict[tuple[int | str, str], dict[str, Any]] = {
        ("base", "base"): score_served(config, base, False, held_clips, held_texts),
        ("base", "base + hotwords"): score_served(config, base, True, held_clips, held_texts),
    }
    trainings = []
    for size in sizes:
        guild = size
        print(f"{size} corrections: caption, correct, retrain ...", flush=True)
        heard = asyncio.run(
            caption_and_correct(config, guild, train.paths[:size], train.texts[:size], terms=TERMS)
        )
        child = run_measured(
            [PY, "-m", "trainer", "--config", str(config_file), "run", "--guild", str(guild), "--json"]
        )
        if not child["stdout"].strip():
            sys.exit(f"retrain with {size} corrections failed:\n{child['stderr'][-3000:]}")
        job = json.loads(child["stdout"].strip().splitlines()[-1])
        if job["status"] != "succeeded":
            sys.exit(f"retrain with {size} corrections failed: {job['message']}")
        result = job["result"]
        model = data_dir / "models" / str(guild) / f"v{result['version']}" / "model"
        conditions[(size, "fine-tuned")] = score_served(config, str(model), False, held_clips, held_texts)
        conditions[(size, "fine-tuned + hotwords")] = score_served(
            config, str(model), True, held_clips, held_texts
        )
        trainings.append(
            Retrain(
                size=size,
                heard=heard,
                wall=round(child["wall"], 1),
                result={k: v for k, v in result.items() if k != "curve"},
                curve=result["curve"],
            )
        )
    held_seconds = sum(len(c) for c in held_clips) / 16000
    return Measured(conditions, trainings, held_texts, held_seconds)


class ConditionRow(NamedTuple):
    corrections: str
    model: str
    held_out_wer: float
    term_hits: str
    hit_rate: float
    general_wer: float


class RetrainRow(NamedTuple):
    corrections: int
    best_epoch: int
    training_s: float
    job_s: float
    promoted: str
    reason: str
    serves: str
    guard_before: float
    guard_after: float


@dataclass
class Summary:
    rows: list[ConditionRow]
    retrain_rows: list[RetrainRow]
    interpretation: str


def hits(scores: dict[str, Any]) -> str:
    return f"{scores['keyword_hits']}/{scores['keyword_total']}"


def summarise(measured: Measured) -> Summary:
    conditions, trainings = measured.conditions, measured.trainings
    guard_before = trainings[0].result["before"]["guard_wer"]
    rows = []
    for (size, name), s in conditions.items():
        training = next((t for t in trainings if t.size == size), None)
        if training is None:
            label, guard = "none", guard_before
        else:
            r = training.result
            label = f"{size} ({r['pairs_train']} train / {r['pairs_validation']} validation)"
            guard = r["after"]["guard_wer"]
        rows.append(
            ConditionRow(
                corrections=label,
                model=name,
                held_out_wer=round(s["wer"], 3),
                term_hits=hits(s),
                hit_rate=round(s["keyword_hit_rate"] or 0.0, 2),
                general_wer=round(guard, 3),
            )
        )
    retrain_rows = [
        RetrainRow(
            corrections=t.size,
            best_epoch=t.result["best_epoch"],
            training_s=t.result["train_seconds"],
            job_s=t.result["total_seconds"],
            promoted="yes" if t.result["promoted"] else "no",
            reason=t.result["reason"],
            serves="with" if t.result.get("use_hotwords") else "without",
            guard_before=round(t.result["before"]["guard_wer"], 3),
            guard_after=round(t.result["after"]["guard_wer"], 3),
        )
        for t in trainings
    ]
    base_plain = conditions[("base", "base")]
    base_hint = conditions[("base", "base + hotwords")]
    largest = trainings[-1]
    ft = conditions[(largest.size, "fine-tuned")]
    ft_hint = conditions[(largest.size, "fine-tuned + hotwords")]
    smallest = conditions[(trainings[0].size, "fine-tuned")]
    interpretation = (
        f"The base model spells {hits(base_plain)} of the terms in the held-out clips (WER "
        f"{base_plain['wer']:.3f}); hotwords alone reach {hits(base_hint)} (WER {base_hint['wer']:.3f}). "
        f"Fine-tuned on {trainings[0].size} corrections it gets {hits(smallest)} (WER "
        f"{smallest['wer']:.3f}); on {largest.size}, {hits(ft)} (WER {ft['wer']:.3f}), and "
        f"{hits(ft_hint)} with hotwords on top (WER {ft_hint['wer']:.3f}). General-speech WER moved from "
        f"{guard_before:.3f} to "
        + ", ".join(f"{t.result['after']['guard_wer']:.3f}" for t in trainings)
        + f" for {', '.join(str(t.size) for t in trainings)} corrections."
    )
    hinted_wers = [conditions[(t.size, "fine-tuned + hotwords")]["wer"] for t in trainings]
    plain_wers = [conditions[(t.size, "fine-tuned")]["wer"] for t in trainings]
    if min(hinted_wers) > max(plain_wers):
        interpretation += (
            f" Hotwords on top of a fine-tuned model made it worse here (WER {min(hinted_wers):.3f}-"
            f"{max(hinted_wers):.3f}: it repeats terms or drops words), which the trainer also measured: it "
            "serves "
            + ", ".join(
                f"the {t.size}-correction model {'with' if t.result.get('use_hotwords') else 'without'}"
                for t in trainings
            )
            + " hotwords."
        )
    refused = [t for t in trainings if not t.result["promoted"]]
    if refused:
        interpretation += (
            " Not promoted: "
            + "; ".join(f"{t.size} corrections ({t.result['reason']})" for t in refused)
            + "."
        )
    return Summary(rows, retrain_rows, interpretation)


def report(run: Run, measured: Measured, summary: Summary) -> None:
    base_plain = measured.conditions[("base", "base")]
    run.finish(
        headers(
            ConditionRow,
            corrections="corrections (train / validation)",
            model="model",
            held_out_wer="held-out WER",
            term_hits="term hits",
            hit_rate="hit rate",
            general_wer="general WER",
        ),
        summary.rows,
        summary.interpretation,
        method=(
            f"{len(measured.held_texts)} held-out espeak-ng clips ({measured.held_seconds:.0f} s, "
            f"{base_plain['keyword_total']} term occurrences) never used in training; each size is a "
            "separate guild with the 4 terms in its vocabulary; training with the product defaults (8 "
            "epochs, LoRA r 32 / alpha 64 on q_proj+v_proj, lr 1e-3, packed windows, int8 export); the "
            "validation split (20% of the recordings) is the trainer's own, so fewer clips than corrections "
            "train; models served through the bot's Engine (beam 5, VAD, hotwords only where its policy "
            "allows: clips of 30 s or less). 'general WER' is the trainer's forgetting guard (6 short "
            "sentences and their 1-minute concatenation), before = the base model."
        ),
        notes=[
            "One seed per size: with so few clips, a term or two either way is noise; read the direction.",
            "The general-speech guard is espeak-ng speech in the same synthetic voice as the corrections, so "
            "fine-tuning on that voice can lower it; it cannot show forgetting on human voices (on real "
            "recordings fine-tuned models lost a few points, see shared/notes/whisper-offline.md).",
            "WER is on the held-out clips (Whisper's English normaliser); a term hit counts each occurrence "
            "spelt exactly as the vocabulary has it.",
        ],
        details={
            "conditions": {f"{k[0]}|{k[1]}": v for k, v in measured.conditions.items()},
            "trainings": [asdict(t) for t in measured.trainings],
        },
        extra_tables=[
            {
                "title": "The retrains",
                "headers": headers(
                    RetrainRow,
                    corrections="corrections",
                    best_epoch="best epoch",
                    training_s="training s",
                    job_s="job s",
                    promoted="promoted",
                    reason="trainer's reason",
                    serves="serves",
                    guard_before="guard before",
                    guard_after="guard after",
                ),
                "rows": summary.retrain_rows,
            }
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="8,16,32", help="numbers of corrected clips")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    run = Run("learning_quality", "5. Learning quality: fine-tuning vs hotwords at 3 sizes of corrections")
    measured = measure(sizes)
    report(run, measured, summarise(measured))


if __name__ == "__main__":
    main()
