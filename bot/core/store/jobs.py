"""The retrain queue: jobs queued by the bot, claimed by trainer workers, ended with a message the bot posts.

Why its own module: the jobs table is the queue both processes share, and its claim is the one query that
needs an engine fragment (`skip_locked`) to let workers on several machines claim at once. `finish_job_in`
is here so a retrain's end (bot/core/store/models.py) finishes its job in the same transaction.
"""

from __future__ import annotations

import json
import time
from typing import Any

from bot.core.errors import BusyError, NotFoundError
from bot.core.store.base import StoreBase, present
from bot.core.store.engine import Connection
from bot.core.store.rows import JobRow, JobStatus, from_row


class JobQueries(StoreBase):
    """The jobs table."""

    # --- jobs --------------------------------------------------------------------------------------------

    async def enqueue_job(
        self,
        guild_id: int,
        *,
        requested_by: int | None,
        channel_id: int | None = None,
        running_pid: int | None = None,
        cooldown_seconds: float = 0.0,
    ) -> int:
        """Queue a retrain, or with running_pid create it already claimed by that (foreground) process.

        The open-job check and the insert share one transaction of the guild, so two requests cannot both
        pass the check; the one_open_job_per_guild index stays as the last guard (a claim may turn the open
        job from queued to running meanwhile: the insert then does nothing, and the request is refused).
        """
        now = time.time()
        status = JobStatus.QUEUED if running_pid is None else JobStatus.RUNNING
        started = None if running_pid is None else now
        host = None if running_pid is None else self.worker_host
        async with self.transaction(guild_id) as db:
            await _refuse_if_open(db, guild_id)
            last = await db.scalar("SELECT MAX(created_at) FROM jobs WHERE guild_id = ?", (guild_id,))
            if last is not None and now < last + cooldown_seconds:
                ready = time.strftime("%H:%M UTC", time.gmtime(last + cooldown_seconds))
                wait = max(1, round((last + cooldown_seconds - now) / 60))
                raise BusyError(
                    f"this server can retrain once every {cooldown_seconds / 60:g} minutes; "
                    f"try again at {ready} (in about {wait} min)"
                )
            job_id = await db.insert(
                "INSERT INTO jobs (guild_id, status, requested_by, channel_id, stage, worker_pid, worker_host,"
                " started_at, heartbeat_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (
                    guild_id,
                    status,
                    requested_by,
                    channel_id,
                    status,
                    running_pid,
                    host,
                    started,
                    started,
                    now,
                ),
            )
            if job_id is None:
                await _refuse_if_open(db, guild_id)
            return present(job_id)

    async def open_job(self, guild_id: int) -> JobRow | None:
        row = await self._one(
            "SELECT * FROM jobs WHERE guild_id = ? AND status IN (?, ?)",
            (guild_id, JobStatus.QUEUED, JobStatus.RUNNING),
        )
        return from_row(JobRow, row) if row else None

    async def get_job(self, guild_id: int, job_id: int) -> JobRow:
        row = await self._one("SELECT * FROM jobs WHERE guild_id = ? AND id = ?", (guild_id, job_id))
        if row is None:
            raise NotFoundError(f"job {job_id} does not exist in this server")
        return from_row(JobRow, row)

    async def claim_job(self, worker_pid: int, guild_id: int | None = None) -> JobRow | None:
        """Atomically move the oldest queued job (of any guild, or of one) to running for this worker (its
        pid on this host). On PostgreSQL the row is claimed with FOR UPDATE SKIP LOCKED: workers on several
        machines claiming at once each get a different job, none waits for another's claim to commit, and
        no lock file is needed; on SQLite, BEGIN IMMEDIATE lets one claim run at a time."""
        guild = "" if guild_id is None else " AND guild_id = :g"
        now = time.time()
        async with self.transaction() as db:
            row = await db.one(
                "UPDATE jobs SET status = :running, worker_pid = :pid, worker_host = :host, started_at = :now,"
                " heartbeat_at = :now, stage = 'starting' WHERE id = (SELECT id FROM jobs WHERE status = :queued"
                f"{guild} ORDER BY id LIMIT 1{self._engine.skip_locked}) RETURNING *",
                {
                    "running": JobStatus.RUNNING,
                    "pid": worker_pid,
                    "host": self.worker_host,
                    "now": now,
                    "queued": JobStatus.QUEUED,
                    **({} if guild_id is None else {"g": guild_id}),
                },
            )
        return None if row is None else from_row(JobRow, row)

    async def heartbeat_job(self, guild_id: int, job_id: int, *, stage: str, progress: float) -> None:
        await self._execute(
            "UPDATE jobs SET heartbeat_at = ?, stage = ?, progress = ? WHERE guild_id = ? AND id = ?"
            " AND status = ?",
            (time.time(), stage, progress, guild_id, job_id, JobStatus.RUNNING),
        )

    async def finish_job(
        self,
        guild_id: int,
        job_id: int,
        *,
        succeeded: bool,
        message: str,
        result: dict[str, Any] | None = None,
    ) -> None:
        """End a queued or running job; a job already ended keeps its first ending (a worker taken for dead,
        whose job was failed by another, cannot turn it into a success afterwards)."""
        async with self.transaction(guild_id) as db:
            await finish_job_in(db, guild_id, job_id, succeeded=succeeded, message=message, result=result)

    async def running_jobs(self) -> list[JobRow]:
        """Every guild's running jobs: the worker checks at start whether their processes still live."""
        return [
            from_row(JobRow, r)
            for r in await self._all("SELECT * FROM jobs WHERE status = ? ORDER BY id", (JobStatus.RUNNING,))
        ]

    async def unreported_finished_jobs(self) -> list[JobRow]:
        """Finished jobs the bot has not announced yet (the bot reads every guild's to post results)."""
        rows = await self._all(
            "SELECT * FROM jobs WHERE status IN (?, ?) AND reported = 0 ORDER BY id",
            (JobStatus.SUCCEEDED, JobStatus.FAILED),
        )
        return [from_row(JobRow, r) for r in rows]

    async def set_job_message(self, guild_id: int, job_id: int, message_id: int) -> None:
        """The message that shows the job's progress (the /retrain answer), edited as the job moves."""
        await self._execute(
            "UPDATE jobs SET message_id = ? WHERE guild_id = ? AND id = ?", (message_id, guild_id, job_id)
        )

    async def shown_open_jobs(self) -> list[JobRow]:
        """Queued and running jobs that have a progress message (every guild's: the bot edits them)."""
        rows = await self._all(
            "SELECT * FROM jobs WHERE status IN (?, ?) AND message_id IS NOT NULL ORDER BY id",
            (JobStatus.QUEUED, JobStatus.RUNNING),
        )
        return [from_row(JobRow, r) for r in rows]

    async def mark_job_reported(self, guild_id: int, job_id: int) -> None:
        await self._execute("UPDATE jobs SET reported = 1 WHERE guild_id = ? AND id = ?", (guild_id, job_id))

    async def queued_jobs_exist(self) -> bool:
        return bool(
            await self._scalar("SELECT EXISTS (SELECT 1 FROM jobs WHERE status = ?)", (JobStatus.QUEUED,))
        )


async def _refuse_if_open(db: Connection, guild_id: int) -> None:
    """BusyError naming the state of the guild's open job, if it has one."""
    open_job = await db.one(
        "SELECT status FROM jobs WHERE guild_id = ? AND status IN (?, ?)",
        (guild_id, JobStatus.QUEUED, JobStatus.RUNNING),
    )
    if open_job is not None:
        raise BusyError(
            f"a retrain job is already {open_job['status']} for this server; wait for it to finish"
        )


async def finish_job_in(
    db: Connection,
    guild_id: int,
    job_id: int,
    *,
    succeeded: bool,
    message: str,
    result: dict[str, Any] | None,
) -> None:
    """The job's end, inside the caller's transaction (finish_job alone, or with its model)."""
    await db.run(
        "UPDATE jobs SET status = ?, message = ?, result_json = ?, finished_at = ?, progress = ?,"
        " stage = ? WHERE guild_id = ? AND id = ? AND status IN (?, ?)",
        (
            JobStatus.SUCCEEDED if succeeded else JobStatus.FAILED,
            message,
            json.dumps(result) if result is not None else None,
            time.time(),
            1.0 if succeeded else 0.0,
            "done" if succeeded else "failed",
            guild_id,
            job_id,
            JobStatus.QUEUED,
            JobStatus.RUNNING,
        ),
    )
