"""Benchmark 2: long media (over 10 minutes of speech), sequential faster-whisper vs its batched pipeline.

The same 16 kHz samples (espeak-ng sentences read one after another) go through `WhisperModel.transcribe`
and `BatchedInferencePipeline.transcribe` at batch sizes 4, 8 and 16, all with the product's settings
(tiny.en int8, beam 5, VAD, word timestamps, language en, no hotwords), then through the product's
`Engine.transcribe`, which picks the pipeline by length. Each run is its own process (load, warm-up on 20 s,
one timed run), so its peak RSS is its own. WER is against the spoken text; the deletions column shows
dropped stretches. A 3-minute and a 1-minute recording show where batching starts to pay.

    .venv/bin/python -m bench.long_media [--seconds 630] [--short-seconds 180]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NamedTuple

from bench.common import (
    PY,
    Run,
    child_report,
    cpu_seconds,
    headers,
    long_speech,
    parse_child,
    run_measured,
    wav_seconds,
    word_errors_whisper_normalised,
)


def _child(wav: str, variant: str) -> None:
    """One transcription in a fresh process (so its peak RSS is its own): load, warm up, time one run."""
    from faster_whisper import BatchedInferencePipeline, WhisperModel

    from bot.core.config import ModelConfig
    from bot.core.media.audio import load_audio
    from bot.core.transcription.engine import Engine, base_model_path

    config = ModelConfig()
    audio = load_audio(Path(wav))
    settings = {"language": "en", "beam_size": 5, "vad_filter": True, "word_timestamps": True}
    pipeline = variant
    if variant == "product":
        engine = Engine(config)
        choice = engine.base_choice()
        engine.transcribe(audio[: 16000 * 20], choice)  # warm-up: model load, VAD model, allocations

        def go():
            nonlocal pipeline
            transcript = engine.transcribe(audio, choice)
            pipeline = transcript.pipeline
            return transcript.segments

    else:
        model = WhisperModel(base_model_path(config), device="cpu", compute_type="int8")
        model.transcribe(audio[: 16000 * 20], **settings)
        if variant.startswith("sequential"):
            stamps = {"without_timestamps": True} if variant == "sequential:off" else {}

            def go():
                return model.transcribe(audio, **settings, **stamps)[0]

        else:
            _, size, stamps = variant.split(":")

            def go():
                return BatchedInferencePipeline(model).transcribe(
                    audio, batch_size=int(size), without_timestamps=stamps == "off", **settings
                )[0]

    t, cpu = time.perf_counter(), cpu_seconds()
    segments = list(go())
    words = sum(len(s.words or ()) for s in segments)
    wall, cpu = time.perf_counter() - t, cpu_seconds() - cpu
    child_report(
        {
            "wall": wall,
            "cpu": cpu,
            "text": " ".join(s.text.strip() for s in segments),
            "words": words,
            "pipeline": pipeline,
        }
    )


VARIANTS = {
    "sequential": "sequential WhisperModel.transcribe",
    "sequential:off": "sequential, without_timestamps=True",
    "batched:4:off": "batched, batch 4",
    "batched:8:off": "batched, batch 8",
    "batched:16:off": "batched, batch 16",
    "batched:8:on": "batched, batch 8, without_timestamps=False",
    "product": "product Engine.transcribe",
}


@dataclass
class Transcription:
    """One row of the plan: a recording through one pipeline, in its own process."""

    recording: str
    seconds: float
    pipeline: str
    wall: float
    cpu: float
    rtf: float
    peak_rss_mib: float
    timed_words: int
    wer: float
    substitutions: int
    deletions: int
    insertions: int


@dataclass
class Measured:
    results: list[Transcription]
    pipelines_used: dict[str, str]  # recording -> the pipeline the product picked for it


def measure(args: argparse.Namespace) -> Measured:
    recordings = {
        "long": long_speech("long", args.seconds, seed=2),
        "medium": long_speech("overhead", args.short_seconds, seed=1),
        "short": long_speech("short", args.short_seconds / 3, seed=3),
    }
    plan = [("long", v) for v in VARIANTS]
    for recording in ("medium", "short"):
        plan += [(recording, "sequential"), (recording, "batched:8:off"), (recording, "product")]

    results = []
    pipelines_used: dict[str, str] = {}
    for recording, variant in plan:
        wav, text = recordings[recording]
        duration = wav_seconds(wav)
        print(f"{recording} ({duration:.0f} s): {VARIANTS[variant]} ...", flush=True)
        child = run_measured([PY, "-m", "bench.long_media", "--child", str(wav), variant])
        if child["rc"] != 0:
            sys.exit(f"{variant} failed:\n{child['stderr'][-3000:]}")
        out = parse_child(child["stdout"])
        if variant == "product":
            pipelines_used[recording] = out["pipeline"]
        results.append(
            Transcription(
                recording=recording,
                seconds=round(duration, 1),
                pipeline=VARIANTS[variant],
                wall=round(out["wall"], 2),
                cpu=round(out["cpu"], 2),
                rtf=round(out["wall"] / duration, 4),
                peak_rss_mib=child["peak_rss_mib"],
                timed_words=out["words"],
                **word_errors_whisper_normalised(text, out["text"])._asdict(),
            )
        )
    return Measured(results, pipelines_used)


class PipelineRow(NamedTuple):
    audio: str
    pipeline: str
    wall_s: float
    cpu_s: float
    real_time_factor: float
    speedup_wall: float
    speedup_cpu: float
    wer: float
    deleted_words: int
    peak_rss_mib: float


@dataclass
class Summary:
    rows: list[PipelineRow]
    interpretation: str


def summarise(measured: Measured) -> Summary:
    from bot.core.transcription.engine import BATCH_SIZE, BATCHED_MIN_SECONDS

    results, pipelines_used = measured.results, measured.pipelines_used

    def row(recording: str, prefix: str) -> Transcription:
        return next(r for r in results if r.recording == recording and r.pipeline.startswith(prefix))

    rows = []
    for r in results:
        sequential = row(r.recording, "sequential")
        product = f" ({pipelines_used[r.recording]})" if r.pipeline.startswith("product") else ""
        rows.append(
            PipelineRow(
                audio=f"{r.recording} {r.seconds:.0f} s",
                pipeline=r.pipeline + product,
                wall_s=r.wall,
                cpu_s=r.cpu,
                real_time_factor=r.rtf,
                speedup_wall=round(sequential.wall / r.wall, 2),
                speedup_cpu=round(sequential.cpu / r.cpu, 2),
                wer=r.wer,
                deleted_words=r.deletions,
                peak_rss_mib=r.peak_rss_mib,
            )
        )
    long_rows = [r for r in results if r.recording == "long" and r.pipeline.startswith("batched")]
    good = [r for r in long_rows if "without_timestamps" not in r.pipeline]
    best = min(good, key=lambda r: r.wall)
    with_ts = next(r for r in long_rows if "without_timestamps" in r.pipeline)
    seq_no_ts = row("long", "sequential, without")
    seq = row("long", "sequential")
    speedups = {
        rec: row(rec, "sequential").wall / row(rec, "batched, batch 8").wall for rec in ("medium", "short")
    }
    interpretation = (
        f"On {seq.seconds / 60:.1f} minutes of speech the batched pipeline ({best.pipeline}) "
        f"took {best.wall:.0f} s against {seq.wall:.0f} s sequentially "
        f"({seq.wall / best.wall:.2f}x faster, {seq.cpu / best.cpu:.2f}x less CPU) at WER {best.wer:.3f} vs "
        f"{seq.wer:.3f} ({best.deletions} vs {seq.deletions} words deleted), for more memory (peak RSS "
        f"{best.peak_rss_mib:.0f} vs {seq.peak_rss_mib:.0f} MiB); batch 8 was also "
        f"{speedups['medium']:.2f}x faster on {row('medium', 'seq').seconds:.0f} s and {speedups['short']:.2f}x "
        f"on {results[-1].seconds:.0f} s. The product now uses it (batch {BATCH_SIZE}) for media of "
        f"{BATCHED_MIN_SECONDS:.0f} s or more and says so in Transcript.pipeline (here: "
        f"{', '.join(f'{k} -> {v}' for k, v in pipelines_used.items())}). Asking the batched pipeline for "
        f"timestamps (without_timestamps=False) cost accuracy: WER {with_ts.wer:.3f}, "
        f"{with_ts.deletions} words deleted, so the product keeps the pipeline's default "
        f"(without_timestamps=True), the opposite of the sequential path, where without_timestamps=True "
        f"gave WER {seq_no_ts.wer:.3f} ({seq_no_ts.deletions} words deleted)."
    )
    return Summary(rows, interpretation)


def report(run: Run, measured: Measured, summary: Summary) -> None:
    run.finish(
        headers(
            PipelineRow,
            audio="audio",
            pipeline="pipeline",
            wall_s="wall s",
            cpu_s="CPU s",
            real_time_factor="real-time factor",
            speedup_wall="speed-up (wall)",
            speedup_cpu="speed-up (CPU)",
            wer="WER",
            deleted_words="deleted words",
            peak_rss_mib="peak RSS MiB",
        ),
        summary.rows,
        summary.interpretation,
        method=(
            "espeak-ng speech as 16 kHz WAV; tiny.en int8 on CPU; beam 5, VAD on, word timestamps, language "
            "en, no hotwords; one process per row: load the model, warm up on the first 20 s, one timed run; "
            "peak RSS of that process from wait4 (model, audio and decoding buffers)."
        ),
        notes=[
            "Hotwords are not used for long media (they made faster-whisper drop whole stretches, see "
            "shared/notes/whisper-offline.md); the product's default policy gives them to clips of 30 s or "
            "less only.",
            "One run per row; the product row repeats the batch-8 run, so the difference between the two "
            "shows the run-to-run noise on this machine at the time.",
        ],
        details={
            "results": [asdict(r) for r in measured.results],
            "pipelines_used": measured.pipelines_used,
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=630.0, help="length of the long recording")
    parser.add_argument("--short-seconds", type=float, default=180.0, help="the medium recording (and 1/3)")
    parser.add_argument("--child", nargs=2, metavar=("WAV", "VARIANT"))
    args = parser.parse_args()
    if args.child:
        return _child(*args.child)

    run = Run("long_media", "2. Long media: sequential vs batched faster-whisper")
    measured = measure(args)
    report(run, measured, summarise(measured))


if __name__ == "__main__":
    main()
