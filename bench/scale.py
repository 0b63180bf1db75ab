"""Benchmark 6: scale. 200 servers, M bot processes and N trainer workers on one shared queue.

Real: the bot processes (bench/scale_bot.py: the production CaptionBot with faster-whisper tiny.en, each on
its own fake Discord holding its share of the servers, like a gateway shard), the database they share with
the workers (a fresh database per round on a throwaway PostgreSQL cluster on loopback; --database sqlite
for a SQLite file, where several workers are a layout the product does not use), the workers
(bench/scale_worker.py: trainer.worker's recovery, claiming, heartbeats and outcome recording) and every
/caption, correction and /retrain, sent through the fake Discord as a user would. Stand-in: the training
inside a retrain, which holds its job for --job-seconds without using the CPU (see scale_worker.py).

Each round: every server captions a voice note and corrects it; at one moment 20 moderators send /retrain
at once; N workers drain the queue while the other servers keep captioning. Measured per round:
acknowledgement latencies, queue wait, jobs per hour, and the count of jobs lost or run twice. Derived:
the same queue with the real retrain cost measured by bench 5 (bench/results/learning_quality.json).
Then the 10,000-server estimate (bench/scale_estimate.py), from measured figures and stated assumptions.

    .venv/bin/python -m bench.scale [--database sqlite|postgresql|PATH|URL] [--workers 1,2,4] [--bots 2]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from bench.common import DATA_DIR, ENV, PY, RESULTS_DIR, ROOT, Run, extra_table, headers
from bench.responsiveness import percentile
from bench.scale_estimate import Assumptions, estimate, measure_model_sizes
from bench.training_cost import pair_clips

WORK = DATA_DIR / "scale"
GUILD_BASE = 700_000_000_000_000_000  # below today's snowflakes, so the fakes' own ids never collide
CLIPS = 40


# --- the database of a round -----------------------------------------------------------------------------


@contextlib.contextmanager
def server(choice: str) -> Iterator[Any]:
    """For --database postgresql: one throwaway PostgreSQL cluster on loopback for the whole run."""
    if choice != "postgresql":
        yield None
        return
    from tests.postgres_cluster import throwaway_cluster

    with throwaway_cluster() as url:
        yield url


def database(choice: str, cluster: Any, folder: Path, index: int) -> str:
    """The `[storage] database` value of one round: a fresh SQLite file, a fresh database on the cluster,
    or the path / URL given (then shared by the rounds; the guild ids differ per round)."""
    if choice == "sqlite":
        return str(folder / "captions.db")
    if choice == "postgresql":
        from tests.postgres_cluster import create_database

        return create_database(cluster, f"scale_round_{index}")
    return choice


def database_bytes(choice: str, cluster: Any, db: str) -> int | None:
    """What the database holds on disk: the SQLite file, or the cluster's table and index files (its
    write-ahead log aside). None for a path or URL given by the user."""
    if choice == "sqlite":
        return Path(db).stat().st_size if Path(db).exists() else None
    if choice == "postgresql":
        return sum(p.stat().st_size for p in (cluster.folder / "pgdata" / "base").rglob("*") if p.is_file())
    return None


def open_store(database_value: str):
    """The Store the bot and the workers open for this `[storage] database` value."""
    from bot.core.config import config_from_dict
    from bot.core.store import Store

    config = config_from_dict({"storage": {"data_dir": str(WORK), "database": database_value}})
    return Store.open(config.database)


async def prepare(database_value: str) -> None:
    """Create the schema once, before M + N processes open the database at the same moment (and, at the
    end, let SQLite fold its write-ahead log into the file, so the file's size is what the rows take)."""
    store = await open_store(database_value)
    await store.close()


# --- processes ---------------------------------------------------------------------------------------------


def write_worker_config(folder: Path, database_value: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(
        f"[storage]\ndata_dir = {json.dumps(str(folder))}\ndatabase = {json.dumps(database_value)}\n",
        encoding="utf-8",
    )
    return path


def start(args: list[str], log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen([PY, *args], cwd=ROOT, env=ENV, stdout=out, stderr=subprocess.STDOUT)


@dataclass
class Workers:
    """The round's trainer workers; each its own data dir (its own machine), all on one database."""

    folder: Path
    database: str
    job_seconds: float
    procs: list[subprocess.Popen] = field(default_factory=list)

    def add(self) -> subprocess.Popen:
        index = len(self.procs)
        home = self.folder / f"worker-{index}"
        config = write_worker_config(home, self.database)
        runs = self.folder / f"runs-{index}.jsonl"
        proc = start(
            ["-m", "bench.scale_worker", str(config), str(runs), str(self.job_seconds)], home / "console.log"
        )
        self.procs.append(proc)
        return proc

    def runs(self) -> list[dict[str, Any]]:
        lines = []
        for path in sorted(self.folder.glob("runs-*.jsonl")):
            lines += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        return lines

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def bot_specs(
    args: argparse.Namespace, folder: Path, database_value: str, index: int, servers: int, clips
) -> list[dict]:
    """Server i goes to bot i mod M; the first --retrains servers retrain, spread over the bots."""
    guilds = [GUILD_BASE + index * 1_000_000 + number for number in range(servers)]
    retraining = set(guilds[: args.retrains])
    timeout = args.retrains / min(args.workers_list) * (args.job_seconds + 5) + 300
    specs = []
    for bot in range(args.bots):
        home = folder / f"bot-{bot}"
        home.mkdir(parents=True, exist_ok=True)
        mine = guilds[bot :: args.bots]
        specs.append(
            {
                "index": bot,
                "database": database_value,
                "data_dir": str(home),
                "guilds": mine,
                "retrain_guilds": [g for g in mine if g in retraining],
                "clips": [[str(p), t] for p, t in clips],
                "first_clip": bot,
                "in_flight": args.in_flight,
                "timeout_s": timeout,
                "ready_file": str(home / "ready"),
                "go_file": str(folder / "go"),
                "out_file": str(home / "result.json"),
            }
        )
    return specs


# --- one round ---------------------------------------------------------------------------------------------


@dataclass
class Round:
    workers: int
    killed: bool
    database: str
    bots: list[dict[str, Any]]
    jobs: list[dict[str, Any]]
    runs: list[dict[str, Any]]
    go_at: float
    seconds: float
    killed_job: int | None = None
    audio_bytes: int = 0
    audio_seconds: float = 0.0
    database_bytes: int | None = None


def wait_ready(specs: list[dict], bots: list[subprocess.Popen], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not all(Path(s["ready_file"]).exists() for s in specs):
        dead = [b.args for b in bots if b.poll() is not None]
        if dead or time.monotonic() > deadline:
            raise SystemExit(
                f"a bot process {'died' if dead else 'was not ready in time'}; see its console.log"
            )
        time.sleep(0.1)


async def kill_one_mid_job(workers: Workers, database_value: str, timeout: float) -> int | None:
    """kill -9 the first worker once it runs a job. The others recover before every claim: one of them must
    fail the dead worker's job with a reason, so nothing is lost and nothing waits for a restart."""
    victim = workers.procs[0]
    store = await open_store(database_value)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            mine = [j for j in await store.running_jobs() if j.worker_pid == victim.pid]
            if mine:
                await asyncio.sleep(workers.job_seconds / 3)  # mid-job
                victim.kill()
                victim.wait()  # reaped, so its pid is gone (a zombie would still look alive)
                return mine[0].id
            await asyncio.sleep(0.1)
    finally:
        await store.close()
    return None


async def read_jobs(database_value: str, bots: list[dict]) -> list[dict[str, Any]]:
    store = await open_store(database_value)
    try:
        jobs = []
        for bot in bots:
            for request in bot["retrains"]:
                if "job_id" in request:
                    job = await store.get_job(request["guild"], request["job_id"])
                    jobs.append(asdict(job))
        return jobs
    finally:
        await store.close()


def folder_bytes(folder: Path, pattern: str) -> int:
    return sum(p.stat().st_size for p in folder.glob(pattern) if p.is_file())


def audio_seconds(folder: Path) -> float:
    import wave

    total = 0.0
    for path in folder.glob("bot-*/audio/*/*.wav"):
        with wave.open(str(path), "rb") as w:
            total += w.getnframes() / w.getframerate()
    return total


def start_bot_process(spec: dict[str, Any]) -> subprocess.Popen:
    spec_file = Path(spec["data_dir"]) / "spec.json"
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    return start(["-m", "bench.scale_bot", str(spec_file)], Path(spec["data_dir"]) / "console.log")


def drive(
    folder: Path, specs: list[dict], bots: list[subprocess.Popen], workers: Workers, db: str, kill: bool
) -> tuple[float, int | None, list[dict[str, Any]]]:
    """Wait for every bot to be ready, say go (and kill a worker if asked), collect what the bots saw."""
    wait_ready(specs, bots, timeout=600)
    print(f"  {len(bots)} bots ready; every retrain server sends /retrain now", flush=True)
    go_at = time.time()
    (folder / "go").write_text("go", encoding="utf-8")
    killed_job = asyncio.run(kill_one_mid_job(workers, db, timeout=120)) if kill else None
    for bot in bots:
        bot.wait(timeout=specs[0]["timeout_s"] + 120)
    if any(b.returncode for b in bots):
        raise SystemExit(f"a bot process failed; see {folder}/bot-*/console.log")
    results = [json.loads(Path(s["out_file"]).read_text(encoding="utf-8")) for s in specs]
    return go_at, killed_job, results


def run_round(
    args: argparse.Namespace, cluster: Any, workers_count: int, kill: bool, index: int, clips
) -> Round:
    folder = WORK / f"round-{index}-{workers_count}w{'-kill' if kill else ''}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.monotonic()
    db = database(args.database, cluster, folder, index)
    asyncio.run(prepare(db))
    empty_bytes = database_bytes(args.database, cluster, db)
    workers = Workers(folder, db, args.job_seconds)
    for _ in range(workers_count):
        workers.add()
    # The kill round is about the queue: only the servers that retrain take part.
    specs = bot_specs(args, folder, db, index, args.retrains if kill else args.servers, clips)
    bots = [start_bot_process(spec) for spec in specs]
    try:
        go_at, killed_job, results = drive(folder, specs, bots, workers, db, kill)
        jobs = asyncio.run(read_jobs(db, results))
    finally:
        for bot in bots:
            if bot.poll() is None:
                bot.kill()
                bot.wait()
        workers.stop()
    asyncio.run(prepare(db))  # the last connection: SQLite checkpoints its log into the file
    filled_bytes = database_bytes(args.database, cluster, db)
    return Round(
        workers=workers_count,
        killed=kill,
        database="PostgreSQL" if db.startswith("postgres") else "SQLite",
        bots=results,
        jobs=jobs,
        runs=workers.runs(),
        go_at=go_at,
        seconds=time.monotonic() - started,
        killed_job=killed_job,
        audio_bytes=folder_bytes(folder, "bot-*/audio/*/*.wav"),
        audio_seconds=audio_seconds(folder),
        database_bytes=(
            filled_bytes - empty_bytes if filled_bytes is not None and empty_bytes is not None else None
        ),
    )


@dataclass
class Measured:
    rounds: list[Round]
    real_retrain_s: float
    real_retrain_pairs: int
    models: dict[str, Any]


def real_retrain_cost() -> tuple[float, int]:
    """A whole retrain with the product's defaults, as bench 5 measured it (mean over its seeds)."""
    data = json.loads((RESULTS_DIR / "learning_quality.json").read_text(encoding="utf-8"))
    retrains = data["details"]["retrains"]
    seconds = statistics.mean(r["result"]["total_seconds"] for r in retrains)
    return seconds, int(retrains[0]["result"]["pairs"])


def measure(args: argparse.Namespace) -> Measured:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    clips = pair_clips(CLIPS)
    print("measuring the size of a version folder (adapter + int8 export) ...", flush=True)
    models = measure_model_sizes(WORK / "model-size")
    rounds = []
    plan = [(n, False) for n in args.workers_list] + ([(max(args.workers_list), True)] if args.kill else [])
    with server(args.database) as cluster:
        for index, (count, kill) in enumerate(plan):
            print(
                f"round {index + 1}/{len(plan)}: {count} worker(s){', one killed -9 mid-job' if kill else ''}"
            )
            rounds.append(run_round(args, cluster, count, kill, index, clips))
            print(f"  done in {rounds[-1].seconds:.0f} s", flush=True)
    seconds, pairs = real_retrain_cost()
    return Measured(rounds, seconds, pairs, models)


# --- summary -----------------------------------------------------------------------------------------------


def p(values: list[float], q: float) -> float | str:
    return round(percentile(values, q), 3) if values else ""


@dataclass
class RoundFigures:
    """One round's figures, from what the users saw (the fake's records) and the jobs table."""

    workers: int
    killed: bool
    captions: int
    refused: int
    failed: int
    corrections_saved: int
    caption_ack: list[float]
    caption_answer: list[float]
    correction: list[float]
    retrain_ack: list[float]
    announced: list[float]
    requested: int
    queued: int
    retrain_refused: list[str]
    queue_wait: list[float]
    run_s: list[float]
    jobs_per_hour: float
    succeeded: int
    failed_with_reason: int
    lost: int
    run_twice: int
    not_announced: int
    bot_cpu_per_caption: float


def figures(r: Round, job_seconds: float) -> RoundFigures:
    captions = [c for b in r.bots for c in b["captions"]]
    retrains = [x for b in r.bots for x in b["retrains"]]
    jobs = r.jobs
    started = [j for j in jobs if j["started_at"] is not None]
    ended = [j for j in jobs if j["status"] in ("succeeded", "failed")]
    runs = Counter((run["guild"], run["version"]) for run in r.runs)
    span = (max(j["finished_at"] for j in ended) - min(j["created_at"] for j in jobs)) if ended else 0.0
    answered = [c for c in captions if "caption_s" in c]
    return RoundFigures(
        workers=r.workers,
        killed=r.killed,
        captions=len(answered),
        refused=sum("refused" in c for c in captions),
        failed=sum("failed" in c or "correction_failed" in c for c in captions),
        corrections_saved=sum(bool(c.get("saved")) for c in captions),
        caption_ack=[c["ack_s"] for c in captions],
        caption_answer=[c["caption_s"] for c in answered],
        correction=[c["correction_s"] for c in captions if "correction_s" in c],
        retrain_ack=[x["ack_s"] for x in retrains],
        announced=[x["announced_s"] for x in retrains if "announced_s" in x],
        requested=len(retrains),
        queued=sum("job_id" in x for x in retrains),
        retrain_refused=[x["refused"] for x in retrains if "refused" in x],
        queue_wait=[j["started_at"] - j["created_at"] for j in started],
        run_s=[j["finished_at"] - j["started_at"] for j in ended if j["status"] == "succeeded"],
        jobs_per_hour=len(ended) / span * 3600 if span else 0.0,
        succeeded=sum(j["status"] == "succeeded" for j in jobs),
        failed_with_reason=sum(j["status"] == "failed" and bool(j["message"]) for j in jobs),
        lost=sum(j["status"] not in ("succeeded", "failed") for j in jobs)
        + sum("job_id" not in x and "refused" not in x for x in retrains),
        run_twice=sum(1 for count in runs.values() if count > 1),
        not_announced=sum(bool(x.get("not_announced")) for x in retrains),
        bot_cpu_per_caption=sum(b["cpu_s"] for b in r.bots) / max(1, len(answered)),
    )


class ScaleRow(NamedTuple):
    workers: str
    jobs: str
    jobs_per_hour: float
    queue_wait_p50: float | str
    queue_wait_p99: float | str
    job_s: float | str
    retrain_ack_p50: float | str
    retrain_ack_p99: float | str
    caption_ack_p50: float | str
    caption_ack_p99: float | str
    caption_answer_p50: float | str
    caption_answer_p99: float | str
    captions: str
    lost: int
    run_twice: int


class DerivedRow(NamedTuple):
    workers: str
    jobs_per_hour: float
    queue_wait_p50_min: float
    queue_wait_p99_min: float
    drained_min: float


@dataclass
class Summary:
    figures: list[RoundFigures]
    rows: list[ScaleRow]
    derived: list[DerivedRow]
    overhead_s: float
    interpretation: str
    estimate: dict[str, Any]


def scale_row(f: RoundFigures) -> ScaleRow:
    return ScaleRow(
        workers=f"{f.workers}{' (one killed -9)' if f.killed else ''}",
        jobs=(
            f"{f.succeeded} ok / {f.failed_with_reason} failed with a reason, of {f.requested}; "
            f"{len(f.announced)} results posted"
            + (f"; {len(f.retrain_refused)} /retrain refused" if f.retrain_refused else "")
        ),
        jobs_per_hour=round(f.jobs_per_hour),
        queue_wait_p50=p(f.queue_wait, 50),
        queue_wait_p99=p(f.queue_wait, 99),
        job_s=round(statistics.median(f.run_s), 2) if f.run_s else "",
        retrain_ack_p50=p(f.retrain_ack, 50),
        retrain_ack_p99=p(f.retrain_ack, 99),
        caption_ack_p50=p(f.caption_ack, 50),
        caption_ack_p99=p(f.caption_ack, 99),
        caption_answer_p50=p(f.caption_answer, 50),
        caption_answer_p99=p(f.caption_answer, 99),
        captions=(
            f"{f.captions} captioned, {f.corrections_saved} corrected, {f.refused} refused"
            + (f", {f.failed} failed" if f.failed else "")
        ),
        lost=f.lost,
        run_twice=f.run_twice,
    )


def derived_row(f: RoundFigures, job_seconds: float, overhead: float, real_s: float) -> DerivedRow:
    """The same queue if each job took the real retrain's time: the part of each wait spent behind other
    jobs scales by (real + o) / (stand-in + o); the first claim's delay (the idle poll) does not."""
    factor = (real_s + overhead) / (job_seconds + overhead)
    first = min(f.queue_wait)
    waits = [first + (w - first) * factor for w in f.queue_wait]
    jobs = f.succeeded + f.failed_with_reason
    return DerivedRow(
        workers=str(f.workers),
        jobs_per_hour=round(f.workers * 3600 / (real_s + overhead), 1),
        queue_wait_p50_min=round(percentile(waits, 50) / 60, 1),
        queue_wait_p99_min=round(percentile(waits, 99) / 60, 1),
        drained_min=round(jobs / (f.workers * 3600 / (real_s + overhead)) * 60, 1),
    )


def summarise(measured: Measured, args: argparse.Namespace) -> Summary:
    figs = [figures(r, args.job_seconds) for r in measured.rounds]
    plain = [f for f in figs if not f.killed]
    overhead = statistics.median([s for f in plain for s in f.run_s]) - args.job_seconds
    real = measured.real_retrain_s
    derived = [derived_row(f, args.job_seconds, overhead, real) for f in plain]
    first, last = plain[0], plain[-1]
    growth = last.jobs_per_hour / first.jobs_per_hour if first.jobs_per_hour else 0.0
    lost = sum(f.lost for f in figs)
    twice = sum(f.run_twice for f in figs)
    acks = [a for f in figs for a in [*f.caption_ack, *f.retrain_ack]]
    killed = [f for f in figs if f.killed]
    kill_text = (
        f" With one of {killed[0].workers} workers killed -9 mid-job, another worker failed its job with the "
        f"dead-worker reason before its next claim ({killed[0].failed_with_reason} failed with a reason, "
        f"{killed[0].lost} lost), and the other {killed[0].succeeded} ran once each."
        if killed
        else ""
    )
    interpretation = (
        f"{args.servers} servers on {args.bots} bot processes and {measured.rounds[0].database}: "
        f"{sum(f.captions for f in figs)} captions and {sum(f.corrections_saved for f in figs)} corrections "
        f"over {len(figs)} rounds, every acknowledgement within {max(acks):.2f} s (target 1 s, Discord's limit "
        f"3 s). {args.retrains} retrains queued at once were drained at {first.jobs_per_hour:.0f} jobs/hour "
        f"by 1 worker and {last.jobs_per_hour:.0f} by {last.workers} ({growth:.1f}x), with a "
        f"{args.job_seconds:g} s stand-in for the training; queue wait p50 went from "
        f"{percentile(first.queue_wait, 50):.1f} s to {percentile(last.queue_wait, 50):.1f} s. {lost} jobs "
        f"lost and {twice} run twice.{kill_text} Derived with the measured real retrain "
        f"({real:.0f} s for {measured.real_retrain_pairs} pairs on these 2 cores): "
        f"{derived[0].jobs_per_hour:g} retrains/hour per worker, {args.retrains} queued at once drained in "
        f"{derived[0].drained_min:.0f} min by 1 worker and {derived[-1].drained_min:.0f} min by "
        f"{plain[-1].workers}."
    )
    caption_cpu = statistics.median([f.bot_cpu_per_caption for f in figs])
    audio_s = sum(r.audio_seconds for r in measured.rounds)
    audio_bytes = sum(r.audio_bytes for r in measured.rounds)
    db_per_caption = [
        r.database_bytes / f.captions
        for r, f in zip(measured.rounds, figs, strict=True)
        if r.database_bytes and f.captions
    ]
    assumptions = Assumptions.from_args(args)
    plan = estimate(
        assumptions,
        retrain_s=real,
        retrain_pairs=measured.real_retrain_pairs,
        caption_cpu_s=caption_cpu,
        caption_audio_s=audio_s / max(1, sum(f.captions for f in figs)),
        audio_bytes_per_s=audio_bytes / audio_s if audio_s else 32000.0,
        models=measured.models,
        database_bytes_per_caption=statistics.median(db_per_caption) if db_per_caption else None,
        jobs_per_hour_per_worker=derived[0].jobs_per_hour,
    )
    return Summary(figs, [scale_row(f) for f in figs], derived, overhead, interpretation, plan)


JOB_FIELDS = (
    "id",
    "guild_id",
    "status",
    "message",
    "worker_pid",
    "worker_host",
    "created_at",
    "started_at",
    "finished_at",
)


def job_record(job: dict[str, Any]) -> dict[str, Any]:
    """What the results keep of a job row: who ran it and when (its result dict is the stand-in's)."""
    return {k: job.get(k) for k in JOB_FIELDS}


def problems(measured: Measured) -> list[str]:
    """What users were told instead of an answer, each distinct text once with its count."""
    seen: Counter[str] = Counter()
    for r in measured.rounds:
        for bot in r.bots:
            for request in [*bot["captions"], *bot["retrains"]]:
                for key in ("refused", "failed", "correction_failed", "correction_answer"):
                    if key in request:
                        seen[f"{key.replace('_', ' ')}: {str(request[key])[:160]}"] += 1
    return [f"Seen {count}x: {text}" for text, count in seen.items()] if seen else []


def report(run: Run, args: argparse.Namespace, measured: Measured, summary: Summary) -> None:
    first = measured.rounds[0]
    run.finish(
        headers(
            ScaleRow,
            workers="trainer workers",
            jobs="retrain jobs",
            jobs_per_hour="jobs/hour (measured, stand-in)",
            queue_wait_p50="queue wait p50 s",
            queue_wait_p99="queue wait p99 s",
            job_s="claim to finish s (median)",
            retrain_ack_p50="/retrain ack p50 s",
            retrain_ack_p99="/retrain ack p99 s",
            caption_ack_p50="/caption ack p50 s",
            caption_ack_p99="/caption ack p99 s",
            caption_answer_p50="caption answer p50 s",
            caption_answer_p99="caption answer p99 s",
            captions="servers' traffic",
            lost="jobs lost",
            run_twice="jobs run twice",
        ),
        summary.rows,
        summary.interpretation,
        method=(
            f"Per round: a fresh {first.database} database on loopback; {args.bots} bot processes "
            f"(bench/scale_bot.py: the production bot, tiny.en, the product's queue limits, "
            f"spawn_trainer off), each with its own fake Discord holding {args.servers // args.bots} of the "
            f"{args.servers} servers; N trainer worker processes (bench/scale_worker.py: trainer.worker.work "
            "unchanged, training replaced by a stand-in that holds the job "
            f"{args.job_seconds:g} s without CPU). Every server: `/caption file:` with a 3-5 s espeak-ng "
            f"voice note, then a reply with the corrected words ({args.in_flight} servers in flight per bot "
            f"process); after the first {args.retrains} servers are corrected, their moderators send "
            "/retrain at the same moment while the others keep captioning (the kill round: those "
            f"{args.retrains} servers only, "
            "one worker killed -9 once it runs a job). Acks are dispatch -> the fake "
            "receiving the deferral; queue wait is claimed - queued (jobs table); jobs/hour is jobs ended / "
            "(last end - first queued); lost = a /retrain acknowledged with no job, or a job not ended "
            "when its result should have been posted; run twice = a job the stand-in ran more than once "
            "(each run is logged by the worker that ran it)."
        ),
        notes=[
            "What is measured and what is derived: every figure of the first table is measured on this "
            "machine with real processes; only the training inside a job is a stand-in. The second table "
            "is derived: it puts the real retrain's measured duration (bench 5) in place of the stand-in, "
            f"adding the measured claim-to-finish overhead ({summary.overhead_s:.2f} s per job) and scaling "
            "the part of each measured wait spent behind other jobs by (real + overhead) / (stand-in + overhead) "
            "(the first claim's poll delay stays as measured); it assumes each worker has its "
            "own machine (4 real retrains on these 2 cores would share them).",
            "Workers poll the queue every 2 s when idle (trainer.worker.POLL_SECONDS) and beat every 5 s: "
            "the first claims wait up to one poll, the rest wait for a worker to finish a job.",
            "The bot processes transcribe on the same 2 cores as everything else (one transcription at a "
            "time per process), so caption answers queue behind each other; acknowledgements do not.",
            f"Bot CPU per caption (transcription + Discord + database, all bot processes): "
            f"{statistics.median([f.bot_cpu_per_caption for f in summary.figures]):.2f} s.",
            *problems(measured),
        ],
        details={
            "args": {k: v for k, v in vars(args).items()},
            "real_retrain_s": measured.real_retrain_s,
            "real_retrain_pairs": measured.real_retrain_pairs,
            "overhead_s": summary.overhead_s,
            "models": measured.models,
            "rounds": [
                {
                    "workers": r.workers,
                    "killed": r.killed,
                    "killed_job": r.killed_job,
                    "seconds": round(r.seconds, 1),
                    "database": r.database,
                    "database_bytes": r.database_bytes,
                    "audio_bytes": r.audio_bytes,
                    "audio_seconds": round(r.audio_seconds, 1),
                    "jobs": [job_record(j) for j in r.jobs],
                    "runs": r.runs,
                    "bots": [{k: v for k, v in b.items() if k != "captions"} for b in r.bots],
                    "retrain_announced_p50": p(f.announced, 50),
                    "correction_p50": p(f.correction, 50),
                    "correction_p99": p(f.correction, 99),
                }
                for r, f in zip(measured.rounds, summary.figures, strict=True)
            ],
            "estimate": summary.estimate,
        },
        extra_tables=[
            extra_table(
                (
                    f"Derived: the same queue with the real retrain ({measured.real_retrain_s:.0f} s, "
                    f"{measured.real_retrain_pairs} pairs, bench 5) in place of the stand-in"
                ),
                summary.derived,
                DerivedRow,
                workers="trainer workers",
                jobs_per_hour="retrains/hour",
                queue_wait_p50_min="queue wait p50 min",
                queue_wait_p99_min="queue wait p99 min",
                drained_min=f"{args.retrains} queued at once drained in min",
            ),
            summary.estimate["table"],
        ],
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database",
        default="postgresql",
        help="postgresql (a throwaway cluster, a fresh database per round), sqlite (a fresh file per round), "
        "or a SQLite path / postgresql:// URL of your own",
    )
    parser.add_argument("--servers", type=int, default=200)
    parser.add_argument("--bots", type=int, default=2, help="bot processes (M)")
    parser.add_argument("--workers", default="1,2,4", help="trainer worker counts, one round each (N)")
    parser.add_argument("--retrains", type=int, default=20, help="retrains queued at once")
    parser.add_argument("--job-seconds", type=float, default=6.0, help="the training stand-in's duration")
    parser.add_argument("--in-flight", type=int, default=6, help="servers captioning at once per bot process")
    parser.add_argument("--no-kill", dest="kill", action="store_false", help="skip the kill -9 round")
    Assumptions.add_arguments(parser)
    args = parser.parse_args()
    args.workers_list = [int(n) for n in args.workers.split(",")]
    if args.retrains > args.servers or args.bots < 1 or min(args.workers_list) < 1:
        parser.error("need 1 <= retrains <= servers, at least one bot process and one worker per round")
    return args


def main() -> None:
    args = parse_args()
    os.environ.update(ENV)
    run = Run(
        "scale",
        f"7. Scale: {args.servers} servers, {args.bots} bot processes, 1-{max(args.workers_list)} trainer workers on one queue",
    )
    measured = measure(args)
    report(run, args, measured, summarise(measured, args))


if __name__ == "__main__":
    main()
