"""Retraining as the bot sees it: the job queue it fills and watches, and the model versions it shows.

The trainer process claims and runs the jobs (trainer/worker.py, on the store directly: it is no front end);
the bot only queues them, edits their progress messages, announces their results and rolls back.
"""

from __future__ import annotations

from bot.core.store import JobRow, ModelVersionRow
from bot.service.base import ServiceBase


class Retraining(ServiceBase):
    """The jobs the bot queues and reports, and the guild's model versions."""

    # --- jobs --------------------------------------------------------------------------------------------

    async def enqueue_job(
        self,
        guild_id: int,
        *,
        requested_by: int | None,
        channel_id: int | None = None,
        cooldown_seconds: float = 0.0,
    ) -> int:
        """Queue a retrain; BusyError while one is open or within the cooldown."""
        return await self.store.enqueue_job(
            guild_id, requested_by=requested_by, channel_id=channel_id, cooldown_seconds=cooldown_seconds
        )

    async def set_job_message(self, guild_id: int, job_id: int, message_id: int) -> None:
        """The message that shows the job's progress, edited as the job moves."""
        await self.store.set_job_message(guild_id, job_id, message_id)

    async def shown_open_jobs(self) -> list[JobRow]:
        """Every guild's queued and running jobs that have a progress message."""
        return await self.store.shown_open_jobs()

    async def unreported_finished_jobs(self) -> list[JobRow]:
        """Every guild's finished jobs whose result the bot has not posted yet."""
        return await self.store.unreported_finished_jobs()

    async def queued_jobs_exist(self) -> bool:
        return await self.store.queued_jobs_exist()

    async def mark_job_reported(self, guild_id: int, job_id: int) -> None:
        """The job's result was posted (or can never be): it is not announced again."""
        await self.store.mark_job_reported(guild_id, job_id)

    # --- model versions ----------------------------------------------------------------------------------

    async def active_model(self, guild_id: int) -> ModelVersionRow | None:
        """The guild's active fine-tune; None: the base model."""
        return await self.store.active_model(guild_id)

    async def model_history(self, guild_id: int) -> list[ModelVersionRow]:
        """Every version of the guild, newest first."""
        return await self.store.model_history(guild_id)

    async def rollback_model(self, guild_id: int) -> ModelVersionRow | None:
        """Back to the version promoted before the active one (None: the base model)."""
        return await self.store.rollback_model(guild_id)
