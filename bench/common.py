"""What every benchmark shares: the machine description, load, generated speech, child processes, results.

Each benchmark writes one JSON file under bench/results/ with a table (headers + rows) and a sentence of
interpretation built from its own numbers; run_all.py turns those files into BENCHMARKS.md.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parents[1]

DATA_DIR = ROOT / "data" / "bench"  # generated audio and scratch data (gitignored, made once)
RESULTS_DIR = ROOT / "bench" / "results"  # small JSON results (committed)
PY = sys.executable
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}


# --- the machine -----------------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, Any]:
    import psutil

    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": {
            p: _version(p)
            for p in ("faster-whisper", "ctranslate2", "torch", "transformers", "peft", "discord.py")
        },
    }


def load() -> list[float]:
    """The 1, 5 and 15 minute load averages: above ~0.5 on 2 cores, someone else was using the CPU."""
    return [round(x, 2) for x in os.getloadavg()]


# --- speech ----------------------------------------------------------------------------------------------

_SUBJECTS = [
    "The old farmer",
    "My neighbour",
    "A young teacher",
    "The tired driver",
    "Our manager",
    "The little girl",
    "His brother",
    "The local baker",
    "A quiet student",
    "The new doctor",
    "My grandmother",
    "The football coach",
    "A friendly nurse",
    "The village mayor",
    "Her cousin",
    "The hotel cook",
    "Our postman",
    "The museum guide",
    "A careful pilot",
    "The shop owner",
]
_PREDICATES = [
    "painted the kitchen door",
    "bought a basket of apples",
    "found a letter under the table",
    "repaired the broken bicycle",
    "cooked soup for the whole family",
    "wrote a long report about the harbour",
    "carried the heavy boxes upstairs",
    "planted roses along the fence",
    "read the newspaper aloud",
    "cleaned the windows of the school",
    "sold three chairs to a stranger",
    "watched the boats in the bay",
    "lost the keys to the garage",
    "baked a cake for the party",
    "walked the dog around the lake",
    "fixed the clock in the hall",
    "counted the sheep in the field",
    "opened a small bakery",
    "called the office twice",
    "visited the castle on the hill",
]
_WHEN = [
    "before breakfast",
    "on a rainy Tuesday",
    "near the railway station",
    "after the long meeting",
    "in the small village",
    "late in the evening",
    "during the summer holiday",
    "early on Sunday morning",
    "while the children slept",
    "at the end of the month",
    "under a clear blue sky",
    "just before the storm",
    "in the middle of winter",
    "after lunch",
    "without telling anyone",
    "for the first time",
    "with a little help",
    "last weekend",
    "on the way home",
    "at the market",
]


def general_sentences(count: int, seed: int = 0) -> list[str]:
    """Plain English sentences with a known text (a seeded mix of templates; no repeats up to 8000)."""
    rng = random.Random(seed)
    combos = [(s, p, w) for s in _SUBJECTS for p in _PREDICATES for w in _WHEN]
    rng.shuffle(combos)
    return [f"{s} {p} {w}." for s, p, w in combos[:count]]


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


def long_speech(name: str, seconds: float, *, seed: int = 0, opus: bool = False) -> tuple[Path, str]:
    """A recording of at least `seconds` of espeak-ng speech and its exact text, made once under data/bench.

    The sentences are spoken one after another in one espeak-ng call (its own pauses between sentences).
    With opus=True the file is Ogg Opus at 48 kHz, what a Discord voice note is.
    """
    from trainer.guard import speak

    folder = DATA_DIR / "speech"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{name}-{seconds:.0f}s-{seed}"
    wav = folder / f"{name}.wav"
    text_file = folder / f"{name}.txt"
    if not (wav.exists() and text_file.exists()):
        count = max(4, int(seconds / 3.9) + 1)  # about 3.9 s per sentence at espeak-ng's 155 words/minute
        while True:
            text = " ".join(general_sentences(count, seed))
            tmp = folder / f"{name}.tmp.wav"
            speak(text, tmp)
            if wav_seconds(tmp) >= seconds:
                break
            count = int(count * seconds / wav_seconds(tmp)) + 2
        tmp.replace(wav)
        text_file.write_text(text, encoding="utf-8")
    text = text_file.read_text(encoding="utf-8")
    if not opus:
        return wav, text
    ogg = folder / f"{name}.ogg"
    if not ogg.exists():
        tmp = folder / f"{name}.tmp.ogg"
        subprocess.run(
            [
                "ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-y",
                "-i",
                str(wav),
                "-ar",
                "48000",
                "-c:a",
                "libopus",
                "-b:a",
                "32k",
                str(tmp),
            ],
            check=True,
        )
        tmp.replace(ogg)
    return ogg, text


# --- processes and memory --------------------------------------------------------------------------------


def peak_rss_mib() -> float:
    """This process's peak resident memory so far (ru_maxrss is in KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_measured(args: Sequence[str], *, timeout: float = 600) -> dict[str, Any]:
    """Like run_child, but also the child's own peak RSS, read from wait4 (works for any program)."""
    started = time.perf_counter()
    proc = subprocess.Popen(list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=ENV)
    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []
    import threading

    def drain(stream, into):
        for chunk in iter(lambda: stream.read(65536), b""):
            into.append(chunk)

    threads = [
        threading.Thread(target=drain, args=(proc.stdout, out_chunks), daemon=True),
        threading.Thread(target=drain, args=(proc.stderr, err_chunks), daemon=True),
    ]
    for t in threads:
        t.start()
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            raise subprocess.TimeoutExpired(list(args), timeout)
        time.sleep(0.02)
    wall = time.perf_counter() - started
    for t in threads:
        t.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall": wall,
        "rc": proc.returncode,
        "stdout": b"".join(out_chunks).decode(errors="replace"),
        "stderr": b"".join(err_chunks).decode(errors="replace"),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "cpu": usage.ru_utime + usage.ru_stime,  # the child's CPU time, its own waited-for children included
    }


def cpu_seconds() -> float:
    """CPU time of this process (all threads) and of its finished children (ffmpeg, ffprobe)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def child_report(payload: dict[str, Any]) -> None:
    """A child process prints one JSON line (last line of stdout) for its parent."""
    print("@@RESULT " + json.dumps(payload), flush=True)


def parse_child(stdout: str) -> dict[str, Any]:
    for line in reversed(stdout.splitlines()):
        if line.startswith("@@RESULT "):
            return json.loads(line[len("@@RESULT ") :])
    raise RuntimeError("the child printed no result:\n" + stdout[-2000:])


# --- results ---------------------------------------------------------------------------------------------


def headers(row: type[Any], **labels: str) -> list[str]:
    """A table's headers in its row type's field order, each given by field name, so they cannot drift apart."""
    fields = row._fields
    if set(labels) != set(fields):
        raise ValueError(f"headers for {row.__name__} must name exactly its fields {fields}")
    return [labels[name] for name in fields]


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table (also what the scripts print)."""

    def cell(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
        return "" if value is None else str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


class Run:
    """One benchmark run: records the load before and after, and writes bench/results/<name>.json."""

    def __init__(self, name: str, title: str) -> None:
        self.name = name
        self.title = title
        self.started = time.perf_counter()
        self.payload: dict[str, Any] = {
            "benchmark": name,
            "title": title,
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "load_before": load(),
        }

    def finish(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]],
        interpretation: str,
        *,
        method: str = "",
        notes: Sequence[str] = (),
        details: dict[str, Any] | None = None,
        extra_tables: Sequence[dict[str, Any]] = (),
    ) -> Path:
        self.payload.update(
            load_after=load(),
            seconds=round(time.perf_counter() - self.started, 1),
            method=method,
            headers=list(headers),
            rows=[list(r) for r in rows],
            extra_tables=list(extra_tables),
            interpretation=interpretation,
            notes=list(notes),
            details=details or {},
        )
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        path = RESULTS_DIR / f"{self.name}.json"
        path.write_text(json.dumps(self.payload, indent=1, default=str) + "\n", encoding="utf-8")
        print(f"\n{self.title}\n")
        print(table(headers, rows))
        for extra in extra_tables:
            print(f"\n{extra['title']}\n")
            print(table(extra["headers"], extra["rows"]))
        print(f"\n{interpretation}")
        print(
            f"\nload {self.payload['load_before']} -> {self.payload['load_after']}, "
            f"{self.payload['seconds']:.0f} s; results in {path.relative_to(ROOT)}"
        )
        return path


class WordErrors(NamedTuple):
    wer: float
    substitutions: int
    deletions: int
    insertions: int


def word_errors_whisper_normalised(reference: str, hypothesis: str) -> WordErrors:
    """WER and its parts after Whisper's English normaliser, the way the trainer scores models.

    The parts matter for long media: a pipeline that drops a stretch shows it as deletions. (The tests
    assert with ``tests.speech.wer_plain_words``, which normalises less.)
    """
    import jiwer

    from trainer.evaluate import normalize

    out = jiwer.process_words(normalize(reference), normalize(hypothesis))
    return WordErrors(round(out.wer, 4), out.substitutions, out.deletions, out.insertions)


def write_sections(path: Path, sections: dict[str, dict[str, Any]]) -> Path:
    """A config.toml of the given sections (every other setting keeps the product's default)."""
    lines = []
    for name, values in sections.items():
        lines.append(f"[{name}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in values.items()]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


async def record_loop_lag(lags: list[float], stop: asyncio.Event, tick: float = 0.02) -> None:
    """How late each `tick` sleep wakes until `stop` is set: the event loop's lag, appended to `lags`."""
    while not stop.is_set():
        t = time.monotonic()
        await asyncio.sleep(tick)
        lags.append(time.monotonic() - t - tick)


def extra_table(title: str, rows: Sequence[Sequence[Any]], row: type[Any], **labels: str) -> dict[str, Any]:
    """One more table for `Run.finish(extra_tables=...)`: its title, the row type's headers (`headers`) and
    rows."""
    return {"title": title, "headers": headers(row, **labels), "rows": rows}


def retrain_through_the_cli(config_file: Path, guild: int, seed: int) -> dict[str, Any]:
    """`trainer run --json` for one guild, as a moderator's /retrain runs it: the job row with the child's
    wall seconds, or exit with why. The result leaves out the curves and pair ids (nothing a bench reports)."""
    child = run_measured(
        [PY, "-m", "trainer", "--config", str(config_file), "run", "--guild", str(guild), "--json"],
        timeout=3600,
    )
    if not child["stdout"].strip():
        sys.exit(f"retrain with seed {seed} failed:\n{child['stderr'][-3000:]}")
    job = json.loads(child["stdout"].strip().splitlines()[-1])
    if job["status"] != "succeeded":
        sys.exit(f"retrain with seed {seed} failed: {job['message']}")
    job["result"] = {k: v for k, v in job["result"].items() if k not in ("curve", "fold_curves", "pair_ids")}
    job["wall"] = child["wall"]  # the whole child process, start-up included
    return job
