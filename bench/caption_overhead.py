"""Benchmark 1: what the product adds on top of plain faster-whisper when it captions a few minutes of speech.

The same Ogg Opus file (espeak-ng sentences, what a Discord voice note is) goes through:
- raw: plain faster-whisper on the file, with the product's settings (beam 5, VAD, word timestamps,
  language en, int8) and the same pipeline the product picks for that length (`BatchedInferencePipeline`,
  batch 8, from 2 minutes; `WhisperModel.transcribe` below), the segments and words consumed; for
  reference also plain sequential `WhisperModel.transcribe`, the path every caption took before;
- service: `CaptionService.caption` (the in-process path the bot uses: ffprobe + ffmpeg decode to WAV,
  SHA-256, SQLite rows, the same transcription in a worker thread, cue building);
- cli: `python -m bot caption FILE --format json` as a new process (interpreter, imports, model load).

Timing is paired: one process runs raw and service in rotation (models loaded and warmed up), so all
see the same machine load. Cold cost and peak memory come from separate processes: a plain script that
loads the model and transcribes once, the service opened and captioning once, and the CLI.

    .venv/bin/python -m bench.caption_overhead [--seconds 180] [--rounds 3] [--pairs 3]
"""

from __future__ import annotations

import sys
import time

# --- child processes (kept before the heavy imports so a raw child imports only faster-whisper) ----------


SETTINGS = {"language": "en", "beam_size": 5, "vad_filter": True, "word_timestamps": True}


def plain(model, source, pipeline: str, batch_size: int):
    """Plain faster-whisper: the sequential or the batched pipeline (its own defaults otherwise)."""
    if pipeline == "batched":
        from faster_whisper import BatchedInferencePipeline

        return BatchedInferencePipeline(model).transcribe(source, batch_size=batch_size, **SETTINGS)[0]
    return model.transcribe(source, **SETTINGS)[0]


def _raw_once(model_path: str, audio: str, pipeline: str, batch_size: str) -> None:
    """The plain tool as a user would script it: load, transcribe, print the words as JSON."""
    import json

    from faster_whisper import WhisperModel

    model = WhisperModel(model_path, device="cpu", compute_type="int8")
    segments = plain(model, audio, pipeline, int(batch_size))
    out = [
        {"start": s.start, "end": s.end, "text": s.text, "words": [[w.start, w.end, w.word] for w in s.words]}
        for s in segments
    ]
    print(json.dumps(out))


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "--raw-once":
    _raw_once(*sys.argv[2:6])
    sys.exit(0)

import argparse  # noqa: E402
import asyncio  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
from collections import defaultdict  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, NamedTuple  # noqa: E402

from bench.common import (  # noqa: E402
    DATA_DIR,
    PY,
    ROOT,
    Run,
    child_report,
    cpu_seconds,
    extra_table,
    headers,
    long_speech,
    parse_child,
    peak_rss_mib,
    run_measured,
    wav_seconds,
    word_errors_whisper_normalised,
)

WORK = DATA_DIR / "overhead"


def _config(data_dir: Path):
    from bot.core.config import config_from_dict

    return config_from_dict({"storage": {"data_dir": str(data_dir)}})


def _write_config_file(data_dir: Path) -> Path:
    path = data_dir.parent / f"{data_dir.name}.toml"
    path.write_text(f'[storage]\ndata_dir = "{data_dir}"\n', encoding="utf-8")
    return path


class StageTimer:
    """Wraps the service's steps (module functions and the store's methods) to time each one."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, owner, name: str, label: str) -> None:
        original = getattr(owner, name)
        timer = self

        if inspect.iscoroutinefunction(original):

            async def timed_async(*args, **kwargs):
                t = time.perf_counter()
                try:
                    return await original(*args, **kwargs)
                finally:
                    timer.seconds[label] += time.perf_counter() - t

            setattr(owner, name, timed_async)
        else:

            def timed(*args, **kwargs):
                t = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    timer.seconds[label] += time.perf_counter() - t

            setattr(owner, name, timed)

    def take(self) -> dict[str, float]:
        out = {k: round(v, 4) for k, v in self.seconds.items()}
        self.seconds.clear()
        return out


def _instrument(service) -> StageTimer:
    import bot.service.captioning as service_module
    from bot.core.media import audio

    timer = StageTimer()
    timer.wrap(audio, "probe_duration", "ffprobe")
    timer.wrap(audio, "decode_to_wav", "decode (ffprobe + ffmpeg to WAV)")
    timer.wrap(audio, "sha256_file", "sha256")
    timer.wrap(audio, "load_audio", "read WAV")
    timer.wrap(service_module, "cues_from_segments", "cue building")
    timer.wrap(service.engine, "transcribe", "transcription (Engine.transcribe)")
    for name in ("add_media", "add_caption", "vocabulary", "active_model"):
        timer.wrap(service.store, name, "SQLite")
    return timer


def _paired(
    model_path: str, audio: str, note: str, pairs: int, data_dir: Path, pipeline: str, batch_size: int
) -> None:
    """Child: raw and service runs in rotation in one process, all warmed up first.

    Besides raw-on-the-file (faster-whisper decodes the Opus with PyAV) it runs raw on the very samples
    the product decoded with ffmpeg: the two decoders' samples differ slightly, and so can the transcript
    and the decoding work; the same-samples run separates that from the product's own overhead. Then a
    short voice note (where fixed costs weigh most) and the two ways of decoding the file on their own.
    """
    from faster_whisper import WhisperModel

    from bot.core.media import audio as audio_module
    from bot.service import CaptionService

    model = WhisperModel(model_path, device="cpu", compute_type="int8")

    def raw(source, kind: str = pipeline) -> tuple[float, float, str]:
        t, cpu = time.perf_counter(), cpu_seconds()
        segments = plain(model, source, kind, batch_size)
        texts = []
        for s in segments:
            texts.append(s.text.strip())
            _ = [(w.start, w.end, w.word) for w in s.words]
        return time.perf_counter() - t, cpu_seconds() - cpu, " ".join(texts)

    async def main() -> dict:
        shutil.rmtree(data_dir, ignore_errors=True)
        service = await CaptionService.open(_config(data_dir))
        timer = _instrument(service)
        try:
            samples = None

            async def product(source: str = audio) -> tuple[float, float, str]:
                nonlocal samples
                t, cpu = time.perf_counter(), cpu_seconds()
                result = await service.caption(0, source)
                seconds, cpu = time.perf_counter() - t, cpu_seconds() - cpu
                if samples is None and source == audio:
                    row = await service.store.get_media(0, result.media_id)
                    samples = audio_module.load_audio(service.config.data_dir / row.audio_path)
                return seconds, cpu, result.text

            variants = {
                "raw": lambda: raw(audio),
                "raw_samples": lambda: raw(samples),
            }
            if pipeline != "sequential":
                variants["raw_sequential"] = lambda: raw(audio, "sequential")
            # warm-up: first-run costs (VAD model, allocations) are paid by every variant before timing
            await product()
            for run_variant in variants.values():
                run_variant()
            timer.take()
            names = ["raw", "service", *list(variants)[1:]]
            runs = {n: [] for n in names}
            cpu_runs = {n: [] for n in names}
            stages = []
            texts = {}
            for i in range(pairs):
                for which in names[i % len(names) :] + names[: i % len(names)]:  # rotate the order
                    seconds, cpu, text = await product() if which == "service" else variants[which]()
                    runs[which].append(round(seconds, 3))
                    cpu_runs[which].append(round(cpu, 3))
                    texts[which] = text
                    if which == "service":
                        stages.append(timer.take())
            # a short voice note: the sequential path, where fixed costs weigh most
            for name in ("note_raw", "note_service"):
                runs[name], cpu_runs[name] = [], []
            raw(note, "sequential")
            await product(note)
            for i in range(2 * pairs):
                for which in ("note_raw", "note_service") if i % 2 == 0 else ("note_service", "note_raw"):
                    seconds, cpu, _ = (
                        await product(note) if which == "note_service" else raw(note, "sequential")
                    )
                    runs[which].append(round(seconds, 3))
                    cpu_runs[which].append(round(cpu, 3))
            timer.take()
            decode = _decode_costs(audio, data_dir / "decode.wav")
            return {"runs": runs, "cpu": cpu_runs, "stages": stages, "texts": texts, "decode": decode}
        finally:
            await service.close()

    child_report(asyncio.run(main()))


def _decode_costs(audio: str, wav: Path, repeats: int = 5) -> dict[str, float]:
    """Median seconds to decode the file: the product's way (ffprobe + ffmpeg to WAV + read) and PyAV's."""
    from faster_whisper import decode_audio

    from bot.core.config import MediaConfig
    from bot.core.media import audio as audio_module

    def product() -> None:
        audio_module.decode_to_wav(Path(audio), wav, MediaConfig())
        audio_module.load_audio(wav)

    out = {}
    for name, fn in (("product", product), ("pyav", lambda: decode_audio(audio))):
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        out[name] = round(statistics.median(times), 3)
    return out


def _service_once(audio: str, data_dir: Path) -> None:
    """Child: open the service and caption once (cold), for the in-process path's peak memory."""
    from bot.service import CaptionService

    async def main() -> dict:
        shutil.rmtree(data_dir, ignore_errors=True)
        service = await CaptionService.open(_config(data_dir))
        try:
            t = time.perf_counter()
            result = await service.caption(0, audio)
            return {"caption_seconds": time.perf_counter() - t, "words": len(result.text.split())}
        finally:
            await service.close()

    payload = asyncio.run(main())
    payload["peak_rss_mib"] = peak_rss_mib()
    child_report(payload)


# --- the benchmark -------------------------------------------------------------------------------------


@dataclass
class Measured:
    audio_seconds: float
    note_seconds: float
    reference: str  # the spoken text
    pipeline: str  # the one the product picks for this length: "batched" or "sequential"
    warm: dict[str, Any]  # what the paired child reported: runs, cpu, stages, texts, decode
    cold: dict[str, list[dict[str, Any]]]  # raw / service / cli -> its run_measured result in each round


def measure(args: argparse.Namespace) -> Measured:
    from bot.core.config import ModelConfig
    from bot.core.transcription.engine import BATCH_SIZE, BATCHED_MIN_SECONDS, base_model_path

    audio, reference = long_speech("overhead", args.seconds, seed=1, opus=True)
    duration = wav_seconds(audio.with_suffix(".wav"))
    note, _ = long_speech("note", 6, seed=4, opus=True)
    note_seconds = wav_seconds(note.with_suffix(".wav"))
    model = base_model_path(ModelConfig())
    pipeline = "batched" if ModelConfig().vad and duration >= BATCHED_MIN_SECONDS else "sequential"
    WORK.mkdir(parents=True, exist_ok=True)
    me = [PY, "-m", "bench.caption_overhead"]
    print(f"{duration:.0f} s of speech in {audio.relative_to(ROOT)}; model {model}", flush=True)

    cold: dict[str, list[dict[str, Any]]] = defaultdict(list)
    cli_config = _write_config_file(WORK / "cli-data")
    warm = None
    for round_index in range(args.rounds):
        if round_index == 0:
            print("paired warm runs (raw <-> service) ...", flush=True)
            child = run_measured(
                [
                    *me,
                    "--child",
                    "paired",
                    "--model",
                    model,
                    "--audio",
                    str(audio),
                    "--note",
                    str(note),
                    "--pairs",
                    str(args.pairs),
                    "--data-dir",
                    str(WORK / "paired-data"),
                    "--pipeline",
                    pipeline,
                    "--batch-size",
                    str(BATCH_SIZE),
                ]
            )
            if child["rc"] != 0:
                sys.exit(f"paired child failed:\n{child['stderr'][-3000:]}")
            warm = parse_child(child["stdout"])
        print(f"round {round_index + 1}/{args.rounds}: cold processes ...", flush=True)
        commands = {
            "raw": [*me, "--raw-once", model, str(audio), pipeline, str(BATCH_SIZE)],
            "service": [
                *me,
                "--child",
                "service-once",
                "--audio",
                str(audio),
                "--data-dir",
                str(WORK / "once-data"),
            ],
            "cli": [PY, "-m", "bot", "--config", str(cli_config), "caption", str(audio), "--format", "json"],
        }
        names = list(commands)
        for name in names[round_index % 3 :] + names[: round_index % 3]:  # rotate the order every round
            shutil.rmtree(WORK / "cli-data", ignore_errors=True)
            child = run_measured(commands[name])
            if child["rc"] != 0:
                sys.exit(f"{name} process failed:\n{child['stderr'][-3000:]}")
            cold[name].append(child)
    assert warm is not None
    return Measured(duration, note_seconds, reference, pipeline, warm, dict(cold))


class Series(NamedTuple):
    """One way of captioning, timed once per round (paired rounds for the warm ones)."""

    label: str
    walls: list[float]
    cpus: list[float]
    peak_rss_mib: float | None  # only for new processes, whose peak is their own


class OverheadRow(NamedTuple):
    path: str
    wall_s: float
    cpu_s: float
    real_time_factor: float
    peak_rss_mib: float | str
    wall_ratio: float
    cpu_ratio: float


class StageRow(NamedTuple):
    stage: str
    seconds: float
    share: str


@dataclass
class Summary:
    rows: list[OverheadRow]
    stage_rows: list[StageRow]
    interpretation: str
    wers: dict[str, float]  # raw / service / cli against the spoken text
    same_words: dict[str, bool]  # raw / raw_samples: the same normalised words as the service


def paired_ratio(values: list[float], bases: list[float]) -> float:
    """Median of the per-round ratios: round i of each variant ran back to back (paired)."""
    return statistics.median(a / b for a, b in zip(values, bases, strict=True))


def all_series(measured: Measured) -> dict[str, Series]:
    """Every way of captioning in table order: warm in one process first, then new processes."""
    from bot.core.transcription.engine import BATCH_SIZE

    warm, cold = measured.warm, measured.cold
    runs, cpu = warm["runs"], warm["cpu"]
    plain_name = (
        f"BatchedInferencePipeline, batch {BATCH_SIZE}" if measured.pipeline == "batched" else "WhisperModel"
    )
    note = f"voice note {measured.note_seconds:.0f} s"
    series: dict[str, Series] = {}
    if "raw_sequential" in runs:
        series["raw_sequential"] = Series(
            "raw WhisperModel.transcribe (sequential) on the file, warm: reference",
            runs["raw_sequential"],
            cpu["raw_sequential"],
            None,
        )
    series["raw"] = Series(f"raw {plain_name} on the file, warm", runs["raw"], cpu["raw"], None)
    series["raw_samples"] = Series(
        f"raw {plain_name} on the samples the product decoded, warm",
        runs["raw_samples"],
        cpu["raw_samples"],
        None,
    )
    series["service"] = Series("CaptionService.caption, warm", runs["service"], cpu["service"], None)
    series["note_raw"] = Series(
        f"{note}: raw WhisperModel.transcribe on the file, warm", runs["note_raw"], cpu["note_raw"], None
    )
    series["note_service"] = Series(
        f"{note}: CaptionService.caption, warm", runs["note_service"], cpu["note_service"], None
    )
    labels = {
        "raw": f"raw script ({plain_name}), new process (load + transcribe)",
        "service": "service, new process (open + caption once)",
        "cli": "CLI `bot caption --format json`, new process",
    }
    for name, label in labels.items():
        key = "cli" if name == "cli" else f"{name}_cold"
        series[key] = Series(
            label,
            [c["wall"] for c in cold[name]],
            [c["cpu"] for c in cold[name]],
            max(c["peak_rss_mib"] for c in cold[name]),
        )
    return series


BASELINE = {  # what each series is compared with; new processes with the raw script
    "raw": "raw",
    "raw_samples": "raw",
    "service": "raw",
    "raw_sequential": "raw",
    "note_raw": "note_raw",
    "note_service": "note_raw",
}


def summarise(measured: Measured) -> Summary:
    from trainer.evaluate import normalize

    warm, cold = measured.warm, measured.cold
    duration, note_seconds = measured.audio_seconds, measured.note_seconds
    series = all_series(measured)
    med = statistics.median

    def wall_ratio(key: str, base: str) -> float:
        return paired_ratio(series[key].walls, series[base].walls)

    def cpu_ratio(key: str, base: str) -> float:
        return paired_ratio(series[key].cpus, series[base].cpus)

    rows = []
    for key, (label, walls, cpus, peak) in series.items():
        base = BASELINE.get(key, "raw_cold")
        length = note_seconds if key.startswith("note") else duration
        rows.append(
            OverheadRow(
                path=label,
                wall_s=round(med(walls), 2),
                cpu_s=round(med(cpus), 2),
                real_time_factor=round(med(walls) / length, 4),
                peak_rss_mib=peak if peak is not None else "",
                wall_ratio=round(wall_ratio(key, base), 3),
                cpu_ratio=round(cpu_ratio(key, base), 3),
            )
        )
    stage_med = {
        k: round(med(s.get(k, 0.0) for s in warm["stages"]), 3)
        for k in sorted({k for s in warm["stages"] for k in s})
    }
    service_wall = med(warm["runs"]["service"])
    transcription = stage_med.get("transcription (Engine.transcribe)", 0.0)
    outside = round(service_wall - transcription, 3)
    stage_rows = [StageRow(k, v, f"{100 * v / service_wall:.1f}%") for k, v in stage_med.items()]
    stage_rows.append(
        StageRow("everything outside Engine.transcribe", outside, f"{100 * outside / service_wall:.1f}%")
    )

    verdict = "met" if max(wall_ratio("service", "raw"), cpu_ratio("service", "raw")) <= 1.05 else "NOT met"
    interpretation = (
        f"On {duration:.0f} s of speech the in-process path costs {cpu_ratio('service', 'raw'):.3f}x the CPU "
        f"time and {wall_ratio('service', 'raw'):.3f}x the wall time of plain faster-whisper given the same "
        f"file (target 1.05: {verdict}). Its transcription step alone matches faster-whisper on the same "
        f"samples ({transcription:.2f} s vs {med(warm['runs']['raw_samples']):.2f} s); everything else "
        f"(ffprobe + ffmpeg decode, hash, SQLite, cues) takes {outside:.2f} s, "
        f"{100 * outside / service_wall:.1f}% of a caption, almost all of it the decode that plain "
        f"faster-whisper does too (with PyAV, inside transcribe). A CLI caption costs "
        f"{wall_ratio('cli', 'raw_cold'):.2f}x the wall time of a plain script that loads the model and "
        f"transcribes once. On a {note_seconds:.0f} s voice note the product takes "
        f"{wall_ratio('note_service', 'note_raw'):.2f}x the wall time "
        f"({cpu_ratio('note_service', 'note_raw'):.2f}x the CPU): the fixed cost of decoding through two "
        f"processes (ffprobe, then ffmpeg to a WAV file: {warm['decode']['product']:.2f} s for the long file) "
        f"where faster-whisper decodes in-process with PyAV ({warm['decode']['pyav']:.2f} s)."
    )
    if "raw_sequential" in series:
        interpretation += (
            f" At this length the product uses the batched pipeline: plain sequential WhisperModel.transcribe "
            f"takes {wall_ratio('raw_sequential', 'service'):.2f}x the product's wall time "
            f"({cpu_ratio('raw_sequential', 'service'):.2f}x its CPU time)."
        )
    raw_text = " ".join(s["text"].strip() for s in json.loads(cold["raw"][0]["stdout"]))
    cli_text = json.loads(cold["cli"][0]["stdout"])["text"]
    reference = measured.reference
    wers = {
        "raw": word_errors_whisper_normalised(reference, raw_text).wer,
        "service": word_errors_whisper_normalised(reference, warm["texts"]["service"]).wer,
        "cli": word_errors_whisper_normalised(reference, cli_text).wer,
    }
    same_words = {
        k: normalize(warm["texts"][k]) == normalize(warm["texts"]["service"]) for k in ("raw", "raw_samples")
    }
    return Summary(rows, stage_rows, interpretation, wers, same_words)


def report(run: Run, args: argparse.Namespace, measured: Measured, summary: Summary) -> None:
    warm, cold = measured.warm, measured.cold
    run.finish(
        headers(
            OverheadRow,
            path="path",
            wall_s="wall s (median)",
            cpu_s="CPU s (median)",
            real_time_factor="real-time factor",
            peak_rss_mib="peak RSS MiB",
            wall_ratio="wall ratio",
            cpu_ratio="CPU ratio",
        ),
        summary.rows,
        summary.interpretation,
        method=(
            f"{measured.audio_seconds:.0f} s of espeak-ng speech as Ogg Opus 48 kHz; tiny.en int8, beam 5, VAD, "
            f"word timestamps, language en, the {measured.pipeline} pipeline for raw and product alike; warm: "
            f"{args.pairs} rotations of the raw variants and the service in one process after a warm-up of "
            f"each; cold: {args.rounds} rounds of separate processes, peak RSS from wait4."
        ),
        notes=[
            f"WER against the spoken text: raw {summary.wers['raw']}, service {summary.wers['service']}, "
            f"CLI {summary.wers['cli']}. The same words from raw(file) and service: "
            f"{summary.same_words['raw']}; from raw on the same samples and service: "
            f"{summary.same_words['raw_samples']} (PyAV and ffmpeg resample the 48 kHz Opus slightly "
            f"differently, which can change a word and the decoding work).",
            "Per-round paired ratios service/raw (wall): "
            + ", ".join(
                f"{a / b:.3f}" for a, b in zip(warm["runs"]["service"], warm["runs"]["raw"], strict=True)
            )
            + "; the spread is the measurement noise at the time.",
            "CPU time counts all threads of the process plus its ffmpeg/ffprobe children; it is the number to "
            "trust when the machine is shared (wall time then depends on what else runs).",
        ],
        details={
            "audio_seconds": measured.audio_seconds,
            "warm_runs": warm["runs"],
            "warm_cpu": warm["cpu"],
            "service_stages": warm["stages"],
            "cold_walls": {k: [round(c["wall"], 3) for c in v] for k, v in cold.items()},
            "cold_cpu": {k: [round(c["cpu"], 3) for c in v] for k, v in cold.items()},
            "cold_peak_rss_mib": {k: [c["peak_rss_mib"] for c in v] for k, v in cold.items()},
        },
        extra_tables=[
            extra_table(
                "Where the service's time goes (median of the warm runs)",
                summary.stage_rows,
                StageRow,
                stage="stage",
                seconds="seconds",
                share="share of the caption",
            )
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=180.0, help="length of the speech (default 180)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of cold processes (default 3)")
    parser.add_argument("--pairs", type=int, default=5, help="rounds of warm runs in one process")
    parser.add_argument("--note", help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=("paired", "service-once"))
    parser.add_argument("--model")
    parser.add_argument("--audio")
    parser.add_argument("--data-dir")
    parser.add_argument("--pipeline")
    parser.add_argument("--batch-size", type=int)
    args = parser.parse_args()
    if args.child == "paired":
        return _paired(
            args.model, args.audio, args.note, args.pairs, Path(args.data_dir), args.pipeline, args.batch_size
        )
    if args.child == "service-once":
        return _service_once(args.audio, Path(args.data_dir))

    run = Run("caption_overhead", "1. Captioning overhead: product vs plain faster-whisper")
    measured = measure(args)
    report(run, args, measured, summarise(measured))


if __name__ == "__main__":
    main()
