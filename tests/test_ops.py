"""Operations: the trainer's cleanup, promotion races, one-transaction results, orphan audio, permissions,
retrain limits. Real processes, real SQLite files, real folders."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.config import load_config

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "HF_HUB_OFFLINE": "1"}

HOLDER = """
import asyncio, os, sys
from pathlib import Path
from bot.config import load_config
from bot.store import Store
from trainer.worker import worker_lock

config = load_config(sys.argv[1])
guild = int(sys.argv[2])

async def claim():
    store = await Store.open(config.database_path)
    await store.enqueue_job(guild, requested_by=None, running_pid=os.getpid())
    await store.close()

asyncio.run(claim())
building = config.data_dir / "models" / str(guild) / ".v1.tmp"
building.mkdir(parents=True)
(building / "adapter.bin").write_bytes(b"weights")
with worker_lock(config.data_dir) as mine:
    print("locked" if mine else "not locked", flush=True)
    sys.stdin.readline()
print("unlocked", flush=True)
sys.stdin.readline()
"""


def trainer_cli(config_file: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "trainer", "--config", str(config_file), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env=ENV,
    )


def test_trainer_run_never_deletes_a_running_jobs_folder(config_file):
    """Process 1 builds guild 1's version folder; process 2 (`trainer run`) cleans only what is dead."""
    config = load_config(config_file)
    models = config.data_dir / "models"
    stale = models / "2" / ".v3.tmp"  # left by a worker that died
    stale.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(config_file), "1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=ENV,
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "locked"
        first = trainer_cli(config_file, "run", "--guild", "9")  # too few pairs: a quick, failed job
        assert first.returncode == 2, first.stderr
        assert (models / "1" / ".v1.tmp" / "adapter.bin").exists()
        assert stale.exists()  # the lock is held: no cleanup at all
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "unlocked"
        second = trainer_cli(config_file, "run", "--guild", "9")
        assert second.returncode == 2, second.stderr
        assert (models / "1" / ".v1.tmp" / "adapter.bin").exists()  # its job still runs
        assert not stale.exists()  # no job for guild 2: removed under the lock
    finally:
        holder.kill()
        holder.wait()
    db = sqlite3.connect(config.database_path)
    running = db.execute("SELECT guild_id FROM jobs WHERE status = 'running'").fetchall()
    db.close()
    assert running == [(1,)]
