"""The job worker: claims retrain jobs from the database and runs them, one at a time, with a heartbeat.

The bot starts it as a child process when it queues a job. On SQLite a file lock makes sure only one worker
runs; on PostgreSQL any number run, on any machines, and share the queue (claims skip each other's locked
rows, so there is no lock file). Before each claim a worker fails the jobs of workers that died (killed, out
of memory, their machine gone), so no job stays "running" forever: a worker on this host is dead when its pid
is, a worker elsewhere when its heartbeat is older than [training] heartbeat_timeout_seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import logging
import os
import shutil
import socket
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from bot.core.config import Config
from bot.core.errors import StoreError, UserError
from bot.core.retrain.result import result_json
from bot.core.store import JobRow, JobStatus, ModelVersionRow, PairRow, Store
from bot.core.store.engine import UNAVAILABLE, is_postgres_url
from bot.core.store.paths import OutsideDataDirError, located, to_stored
from bot.core.transcription.serving import Hint, ServingPlan, default_plan
from trainer import team
from trainer.ops import METRICS, start_ops

if TYPE_CHECKING:  # the pipeline imports torch: loaded only when a job runs
    from trainer.pipeline import Outcome

log = logging.getLogger("trainer.worker")
HEARTBEAT_SECONDS = 5.0
POLL_SECONDS = 2.0
DEAD_WORKER_REASON = (
    "the trainer stopped during this job (killed or out of memory); the active model is unchanged"
)
LOST_DATABASE_REASON = (
    "the database could not be reached when this retrain finished; nothing was promoted, retrain again"
)


@contextlib.contextmanager
def worker_lock(data_dir: Path) -> Iterator[bool]:
    """Yields True when this process is the only worker; the OS drops the lock if the process dies."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "trainer.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _worker_gone(job: JobRow, stale_before: float) -> bool:
    """A pid says something only on its own host (NULL host: this one, recorded before hosts were kept);
    elsewhere, and for a live pid whose heartbeat stopped (a hung worker), the heartbeat decides."""
    here = job.worker_host in (None, socket.gethostname())
    if here and not _alive(job.worker_pid):
        return True
    return (job.heartbeat_at or 0) < stale_before


def _is_me(job: JobRow) -> bool:
    return job.worker_pid == os.getpid() and job.worker_host in (None, socket.gethostname())


async def recover(config: Config, store: Store) -> list[JobRow]:
    """Fail jobs whose worker is gone (their half-built folders go in `remove_leftovers`)."""
    failed = []
    stale_before = time.time() - config.training.heartbeat_timeout_seconds
    for job in await store.running_jobs():
        if not _is_me(job) and _worker_gone(job, stale_before):
            await store.finish_job(job.guild_id, job.id, succeeded=False, message=DEAD_WORKER_REASON)
            failed.append(job)
    return failed


async def remove_leftovers(config: Config, store: Store) -> list[Path]:
    """Delete half-built version folders of guilds with no running job (run `recover` first). A folder is
    half-built because its worker died or because a job builds it now: a job that builds it was claimed
    before its folder was made, so a folder last changed before the running jobs were read, of a guild
    without one, is dead. That holds for workers anywhere (PostgreSQL) as well as under worker_lock."""
    read_at = time.time()
    busy = {str(job.guild_id) for job in await store.running_jobs()}
    models = config.data_dir / "models"
    removed = []
    for leftover in list(models.glob("*/.v*.tmp")) + list(models.glob("*/.*.tmp-*")):
        try:
            changed = leftover.stat().st_mtime
        except FileNotFoundError:  # another worker removed it meanwhile
            continue
        if leftover.parent.name not in busy and changed < read_at:
            shutil.rmtree(leftover, ignore_errors=True)
            removed.append(leftover)
    return removed


async def heartbeat_until_done(
    store: Store,
    job: JobRow,
    task: asyncio.Future[Any],
    state: dict[str, Any],
    interval: float = HEARTBEAT_SECONDS,
) -> None:
    """Report the stage every `interval` until training ends. A beat that cannot be written (the database
    busy past its timeout, e.g. during a big /forget) is logged and tried again next tick: the job is fine,
    and only a stale heartbeat for `heartbeat_timeout_seconds` means the worker is gone."""
    while not task.done():
        await asyncio.wait({task}, timeout=interval)
        try:
            await store.heartbeat_job(job.guild_id, job.id, stage=state["stage"], progress=state["progress"])
        except (StoreError, sqlite3.Error) as exc:
            log.warning("job %d: heartbeat not written (%s); trying again in %.0f s", job.id, exc, interval)


def disk_too_full(config: Config) -> str | None:
    """Why a retrain must not start for lack of disk space, or None. Checked before anything is written:
    training fills fold models and a version folder, and running out halfway helps nobody."""
    need = config.training.min_free_disk_gb
    config.data_dir.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(config.data_dir).free / 1e9
    if free >= need:
        return None
    return (
        f"only {free:.1f} GB free in {config.storage.data_dir.rstrip('/')}/; a retrain needs"
        f" [training] min_free_disk_gb = {need}; nothing was changed"
    )


def model_disk_over_quota(config: Config, guild_id: int) -> str | None:
    """Why a retrain must not start because this server's model folders already fill its share of the
    disk ([training] max_model_disk_mb), or None. Checked after pruning, so only versions that can still
    serve (the active one and those /rollback returns to) count; a shared data dir is not one server's."""
    quota = config.training.max_model_disk_mb
    folder = config.data_dir / "models" / str(guild_id)
    used = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6
    if used < quota:
        return None
    return (
        f"this server's models take {used:.0f} MB, and [training] max_model_disk_mb = {quota:g} allows"
        f" {quota:g} MB per server; nothing was changed"
    )


async def training_pairs(config: Config, store: Store, guild_id: int) -> list[PairRow]:
    """The guild's pairs with each audio path as this machine reaches it: the database keeps them relative
    to data_dir, which another machine (the bot's) may mount somewhere else."""
    return [
        replace(p, audio_path=str(located(config.data_dir, p.audio_path)) if p.audio_path else None)
        for p in await store.training_pairs(guild_id)
    ]


async def run_job(config: Config, store: Store, job: JobRow) -> JobRow:
    """Run one claimed job to its end; whatever happens, the job ends succeeded or failed with a reason."""
    from trainer.pipeline import run_training

    guild = job.guild_id
    if (no_room := disk_too_full(config)) is not None:
        await finish_when_back(store, job, no_room)
        return await store.get_job(guild, job.id)
    await prune_old_versions(store, guild, config.data_dir)  # what can never serve again goes first
    if (over := model_disk_over_quota(config, guild)) is not None:
        await finish_when_back(store, job, over)
        return await store.get_job(guild, job.id)
    pairs = await training_pairs(config, store, guild)
    terms = await store.vocabulary(guild)
    active = await store.active_model(guild)
    version = await store.next_model_version(guild)
    state: dict[str, Any] = {"stage": "starting", "progress": 0.0}

    def progress(stage: str, fraction: float) -> None:
        state.update(stage=stage, progress=fraction)

    loop = asyncio.get_running_loop()
    stored = await store.serving_plan(guild)
    current = ServingPlan.from_dict(stored) if stored else default_plan(cast(Hint, config.model.hint))
    task = loop.run_in_executor(
        None, run_training, config, guild, pairs, terms, active, version, progress, current
    )
    await heartbeat_until_done(store, job, task, state)
    try:
        outcome = task.result()
    except UserError as exc:
        await finish_when_back(store, job, str(exc))
    except MemoryError:
        await finish_when_back(store, job, "training ran out of memory; the active model is unchanged")
    except OSError as exc:
        log.exception("retrain job %s of guild %s failed", job.id, guild)
        reason = (
            "the disk is full"
            if exc.errno == errno.ENOSPC
            else f"a file could not be written ({exc.strerror})"
        )
        await finish_when_back(
            store, job, f"{reason}; nothing was promoted and the active model is unchanged"
        )
    except Exception as exc:
        log.exception("retrain job %s of guild %s failed", job.id, guild)
        await finish_when_back(
            store,
            job,
            # what is posted in the server's channel: no exception text (host paths, data); the log has it
            f"training failed with an internal error ({type(exc).__name__}); the trainer's log has the details "
            "and the active model is unchanged",
        )
    else:
        await complete(store, job, outcome, active, config.data_dir)
    return await store.get_job(guild, job.id)


async def complete(
    store: Store, job: JobRow, outcome: Outcome, active: ModelVersionRow | None, data_dir: Path
) -> None:
    """Record the outcome and end the job in one transaction (Store.complete_retrain), decided against the
    model active at the end. A version folder no row will name (the active model changed, or the record
    failed) is removed, so nothing half-recorded stays on disk. The row names the model relative to
    data_dir, so a bot that mounts data_dir elsewhere serves it too."""
    promoted: bool | None
    try:
        promoted = await store.complete_retrain(
            job.guild_id,
            job.id,
            version=outcome.version,
            path=to_stored(data_dir, outcome.model_path) if outcome.model_path is not None else None,
            plan=outcome.plan.as_dict(),
            promote=outcome.promote,
            metrics=result_json(outcome.result),
            reason=outcome.reason,
            started_from=active.id if active else None,
        )
    except StoreError as exc:
        log.exception("job %d: the outcome could not be recorded", job.id)
        lost = str(exc) == UNAVAILABLE
        reason = (
            LOST_DATABASE_REASON
            if lost
            else f"the result could not be recorded ({exc}); nothing was promoted"
        )
        await finish_when_back(store, job, reason)
        # the connection may have dropped after the commit went through: then the record stands
        promoted = True if (await store.get_job(job.guild_id, job.id)).status == JobStatus.SUCCEEDED else None
    named_by_a_row = promoted or (promoted is False and not outcome.promote)  # promoted, or rejected
    if not named_by_a_row and outcome.model_path is not None:
        shutil.rmtree(Path(outcome.model_path).parent, ignore_errors=True)
    if promoted is not None:  # a promotion moves the kept window; any ending may follow a /rollback
        await prune_old_versions(store, job.guild_id, data_dir)


async def finish_when_back(store: Store, job: JobRow, reason: str, *, poll: float = POLL_SECONDS) -> None:
    """Fail the job with `reason`, waiting for the database as long as it is unreachable: a worker that lost
    it mid-job says so once it is back (if no other worker has failed the job for a stale heartbeat first;
    the first ending stands)."""
    while True:
        try:
            await store.finish_job(job.guild_id, job.id, succeeded=False, message=reason)
            return
        except StoreError as exc:
            if str(exc) != UNAVAILABLE:
                raise
            log.warning("job %d: the database is unreachable; failing the job once it is back", job.id)
            await asyncio.sleep(poll)


WEIGHTS = ("model", "adapter")  # what a version folder holds that is large; metrics.json and README.md stay


async def prune_old_versions(store: Store, guild_id: int, data_dir: Path) -> list[Path]:
    """Delete the weights of rolled-back versions and of retired versions outside the kept window
    (Store.versions_to_prune), so retrain spam (also retrain, roll back, retrain…) cannot fill the disk;
    their metrics and model card stay for /model show and the record. Only a folder named after its own
    version is touched. Returns the folders removed."""
    removed = []
    for row in await store.versions_to_prune(guild_id):
        try:
            folder = located(data_dir, row.path).parent
        except OutsideDataDirError:  # M1: a row naming a place outside data_dir is never followed
            log.warning(
                "v%d of guild %d names a path outside the data folder; left alone", row.version, guild_id
            )
            continue
        if folder.name != f"v{row.version}":
            log.warning(
                "v%d of guild %d has an unexpected path %s; left alone", row.version, guild_id, row.path
            )
            continue
        for name in WEIGHTS:
            if (folder / name).is_dir():
                try:
                    shutil.rmtree(folder / name)
                except OSError as exc:  # the promotion stands; the next one tries again
                    log.warning("could not remove %s: %s", folder / name, exc)
                    continue
                removed.append(folder / name)
    if removed:
        log.info("guild %d: removed the weights of %d old version folders", guild_id, len(removed))
    return removed


async def work(config: Config, *, idle_exit: float = 30.0) -> int:
    """Serve queued jobs until none has come for idle_exit seconds. Returns the number of jobs run.

    Under `accelerate launch` with several processes, only the main one is the worker; the others train
    each of its fits with it (trainer/team.py)."""
    from trainer.device import launched_processes

    if launched_processes() > 1:
        return await _work_in_team(config, idle_exit)
    return await _work_alone(config, idle_exit)


async def _work_in_team(config: Config, idle_exit: float) -> int:
    from trainer.device import accelerator, resolve_device

    try:
        if not accelerator(resolve_device(config.training.device)).is_main_process:
            team.follow()  # blocks this process's only loop on purpose: it has nothing else to do
            return 0
        try:
            return await _work_alone(config, idle_exit)
        finally:
            team.dismiss()
    finally:
        team.leave()


async def _work_alone(config: Config, idle_exit: float) -> int:
    shared = is_postgres_url(config.database)  # PostgreSQL: workers share the queue, no lock file
    with contextlib.nullcontext(True) if shared else worker_lock(config.data_dir) as mine:
        if not mine:
            log.info("another trainer worker is running; leaving the jobs to it")
            return 0
        store = await Store.open(config.database)
        ops = start_ops(config, store)
        try:
            return await _serve(config, store, idle_exit)
        finally:
            if ops is not None:
                ops.stop()
            await store.close()


async def _next_job(config: Config, store: Store) -> JobRow | None:
    """Recovery before every claim: a dead worker's job never waits for some worker to restart."""
    await recover(config, store)
    await remove_leftovers(config, store)
    return await store.claim_job(os.getpid())


async def _serve(config: Config, store: Store, idle_exit: float) -> int:
    done = 0
    idle_since = time.monotonic()
    while True:
        try:
            job = await _next_job(config, store)
        except StoreError as exc:
            if str(exc) != UNAVAILABLE:
                raise
            log.warning("the database is unreachable; trying again in %.0f s", POLL_SECONDS)
            job = None
        if job is not None:
            began = time.monotonic()
            METRICS.running.inc()
            try:
                ended = await run_job(config, store, job)
            finally:
                METRICS.running.dec()
            METRICS.job_ended(ended.status, ended.result, time.monotonic() - began)
            done += 1
            idle_since = time.monotonic()
            if team.broke_off():  # a launch's fit failed midway (the job is failed): end the launch now
                return done
        elif time.monotonic() - idle_since > idle_exit:
            return done
        else:
            await asyncio.sleep(POLL_SECONDS)
