"""A trainer worker for bench/scale.py: the real worker with the training replaced by a timed stand-in.

Everything around the training is the product's code: `trainer.worker.work` recovers dead workers' jobs,
claims jobs from the shared queue (Store.claim_job), beats the heartbeat while the job runs, calls the real
`trainer.pipeline.run_training` (its work folder, timings and outcome), records the outcome with
Store.complete_retrain and finishes the job. Only the step inside it that trains and decides,
`trainer.pipeline.retrain`, is swapped:

Why a stand-in: a real retrain takes about 5 minutes of both cores here (bench 5); 20 of them at three
worker counts would take hours, and 4 real retrains on 2 cores would measure the cores, not the queue. The
stand-in holds its job for JOB_SECONDS without using the CPU (as a retrain on its own machine would),
reports progress like the pipeline, and returns what a retrain that trained nothing returns: the base keeps
serving, nothing is promoted, no folder is written. Each run is appended to
RUNS_FILE as one JSON line (guild, version, pid, start, end), so the parent can count how often each job ran.

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
from typing import TYPE_CHECKING

from bot.core.config import load_config
from bot.core.retrain.result import RetrainResult
from bot.core.store import PairRow
from bot.core.transcription.serving import default_plan

if TYPE_CHECKING:
    from trainer.pipeline import Job, Retrained

STAND_IN_REASON = "benchmark stand-in: nothing was trained, the base keeps serving"
PROGRESS_STEPS = 10


def stand_in_retrain(
    job: Job, pairs: Sequence[PairRow], terms: Sequence[str], *, runs: Path, seconds: float
) -> Retrained:
    """Hold the job for `seconds` (in the worker's training thread, as the pipeline runs), then keep the base."""
    from trainer.pipeline import Retrained

    started = time.time()
    for step in range(PROGRESS_STEPS):
        job.progress("training (stand-in)", step / PROGRESS_STEPS)
        time.sleep(seconds / PROGRESS_STEPS)
    plan = default_plan(job.config.model.hint)  # hint is a checked setting
    result = RetrainResult(
        guild_id=job.guild_id,
        version=job.version,
        promoted=False,
        reason=STAND_IN_REASON,
        serving=plan,
        serving_text=plan.describe(),
        pairs=len(pairs),
        recordings=len({p.media_id for p in pairs}),
        folds=0,
        test_words=0,
    )
    line = {
        "guild": job.guild_id,
        "version": job.version,
        "pid": os.getpid(),
        "start": started,
        "end": time.time(),
    }
    with runs.open("a", encoding="utf-8") as handle:  # one short O_APPEND write per run
        handle.write(json.dumps(line) + "\n")
    return Retrained(result, plan)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python -m bench.scale_worker CONFIG RUNS_FILE JOB_SECONDS", file=sys.stderr)
        return 2
    import trainer.pipeline
    from trainer.cli import setup_logging
    from trainer.worker import work

    config = load_config(argv[0])
    setup_logging(config, to_stderr=False)
    trainer.pipeline.retrain = functools.partial(stand_in_retrain, runs=Path(argv[1]), seconds=float(argv[2]))
    done = asyncio.run(work(config, idle_exit=3600.0))
    print(f"worker {os.getpid()} ran {done} jobs", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
