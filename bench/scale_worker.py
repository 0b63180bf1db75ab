"""A trainer worker for bench/scale.py: the real worker with the training replaced by a timed stand-in.

Everything around the training is the product's code: `trainer.worker.work` recovers dead workers' jobs,
claims jobs from the shared queue (Store.claim_job), beats the heartbeat while the job runs, records the
outcome with Store.complete_retrain and finishes the job. Only `trainer.pipeline.run_training` is swapped:

Why a stand-in: a real retrain takes about 5 minutes of both cores here (bench 5); 20 of them at three
worker counts would take hours, and 4 real retrains on 2 cores would measure the cores, not the queue. The
stand-in holds its job for JOB_SECONDS without using the CPU (as a retrain on its own machine would),
reports progress like the pipeline, and returns what a retrain that trained nothing returns: the base keeps
serving, nothing is promoted, no folder is written. Each run is appended to RUNS_FILE as one JSON line
(guild, version, pid, start, end), so the parent can count how often each job ran.

    python -m bench.scale_worker CONFIG RUNS_FILE JOB_SECONDS
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bot.core.config import Config, load_config
from bot.core.store import ModelVersionRow, PairRow
from bot.core.transcription.serving import default_plan

STAND_IN_REASON = "benchmark stand-in: nothing was trained, the base keeps serving"
PROGRESS_STEPS = 10


def stand_in_training(
    config: Config,
    guild_id: int,
    pairs: Sequence[PairRow],
    terms: Sequence[str],
    active: ModelVersionRow | None,
    version: int,
    progress,
    *,
    runs: Path,
    seconds: float,
):
    """Hold the job for `seconds` (in the worker's training thread, as the pipeline runs), then keep the base."""
    from trainer.pipeline import Outcome

    started = time.time()
    for step in range(PROGRESS_STEPS):
        progress("training (stand-in)", step / PROGRESS_STEPS)
        time.sleep(seconds / PROGRESS_STEPS)
    plan = default_plan(config.model.hint)  # hint is a checked setting
    result = {
        "guild_id": guild_id,
        "version": version,
        "promoted": False,
        "reason": STAND_IN_REASON,
        "serving": plan.as_dict(),
        "serving_text": plan.describe(),
        "pairs": len(pairs),
        "recordings": len({p.media_id for p in pairs}),
        "folds": 0,
        "test_words": 0,
        "before": None,
        "after": None,
        "train_steps": 0,
        "train_seconds": 0.0,
        "total_seconds": round(time.time() - started, 1),
        "stand_in_pid": os.getpid(),
    }
    line = {"guild": guild_id, "version": version, "pid": os.getpid(), "start": started, "end": time.time()}
    with runs.open("a", encoding="utf-8") as handle:  # one short O_APPEND write per run
        handle.write(json.dumps(line) + "\n")
    return Outcome(version, None, False, STAND_IN_REASON, plan, result)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python -m bench.scale_worker CONFIG RUNS_FILE JOB_SECONDS", file=sys.stderr)
        return 2
    import trainer.pipeline
    from trainer.cli import setup_logging
    from trainer.worker import work

    config = load_config(argv[0])
    setup_logging(config, to_stderr=False)
    trainer.pipeline.run_training = functools.partial(
        stand_in_training, runs=Path(argv[1]), seconds=float(argv[2])
    )
    done = asyncio.run(work(config, idle_exit=3600.0))
    print(f"worker {os.getpid()} ran {done} jobs", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
