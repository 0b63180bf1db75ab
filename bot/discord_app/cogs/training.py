"""/retrain (moderators) and the watcher that shows each job's progress and posts its outcome in its channel.

The /retrain answer is edited live from the job's stage and progress (retrain_progress.py); when the job
ends it says so and the results are posted as a new message that mentions the moderator who asked.

The training itself runs in the trainer process; the bot only queues the job, starts a worker when jobs
wait and none of its own is running, and announces results (summary + training-curve picture).
"""

from __future__ import annotations

import asyncio
import io
import logging
from pathlib import Path

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.core.errors import UserError
from bot.core.metrics import retrain_outcome
from bot.core.retrain.result import RetrainResult
from bot.core.store import JobRow, JobStatus
from bot.discord_app.channels import bot_permissions
from bot.discord_app.client import CaptionBot
from bot.discord_app.formatting import announcement_text, retrain_queued_text
from bot.discord_app.i18n import guild_language, refusal, reply_language
from bot.discord_app.i18n import text as i18n_text  # `text` is the announcement here
from bot.discord_app.permissions import (
    require_bot_permissions,
    require_moderator,
    send_permission,
)
from bot.discord_app.replies import defer_public
from bot.discord_app.retrain_progress import ended_line, progress_line

log = logging.getLogger("bot.discord.training")
CURVE_NAME = "training-curve.png"


class Training(commands.Cog):
    def __init__(self, bot: CaptionBot) -> None:
        self.bot = bot
        self._shown: dict[int, str] = {}  # job id -> the line its message shows (edited only on change)
        self._counted: set[int] = set()  # ended jobs counted in the metrics (an announcement may be retried)

    async def cog_load(self) -> None:
        self.watch_jobs.change_interval(seconds=self.bot.job_poll_seconds)
        self.watch_jobs.start()

    async def cog_unload(self) -> None:
        self.watch_jobs.cancel()

    @app_commands.command(
        name="retrain", description="Train this server's model on its corrections (moderators)"
    )
    @app_commands.default_permissions(manage_guild=True)  # members do not see it; the runtime check stays
    async def retrain(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await require_moderator(interaction, self.bot.service, "start a retrain")
        require_bot_permissions(
            interaction.app_permissions, ["send_messages", "attach_files"], "post the retrain results"
        )
        await defer_public(interaction)
        service = self.bot.service
        pairs = await service.count_pairs(interaction.guild_id)
        needed = self.bot.config.training.min_pairs
        if pairs < needed:
            raise refusal(UserError, "error.too_few_pairs", count=pairs, needed=needed)
        job_id = await service.enqueue_job(
            interaction.guild_id,
            requested_by=interaction.user.id,
            channel_id=interaction.channel_id,
            cooldown_seconds=self.bot.config.training.retrain_cooldown_minutes * 60,
        )
        if self.bot.spawn_trainer:
            await self.bot.trainer.ensure_running()
        message = await interaction.followup.send(
            retrain_queued_text(job_id, pairs, reply_language(interaction)), wait=True
        )
        await service.set_job_message(interaction.guild_id, job_id, message.id)

    # --- the watcher ---------------------------------------------------------------------------------------

    @tasks.loop(seconds=5.0)
    async def watch_jobs(self) -> None:
        try:
            service = self.bot.service
            for job in await service.shown_open_jobs():
                await self._show_progress(job, progress_line(job, lang=self._language(job)))
            for job in await service.unreported_finished_jobs():
                if job.id not in self._counted:
                    self._counted.add(job.id)
                    self.bot.metrics.retrains.labels(retrain_outcome(job.status, job.result)).inc()
                if job.message_id is not None:
                    await self._show_progress(job, ended_line(job, self._language(job)))
                    self._shown.pop(job.id, None)
                await self._announce(job)
            if self.bot.spawn_trainer and not self.bot.trainer.alive and await service.queued_jobs_exist():
                await self.bot.trainer.ensure_running()
        except Exception:  # the watcher must outlive a bad round
            log.exception("the job watcher failed; it tries again next round")

    @watch_jobs.before_loop
    async def _before_watch(self) -> None:
        await self.bot.wait_until_ready()

    def _language(self, job: JobRow) -> str:
        """The /retrain message's later lines: the server's language (the watcher has no interaction)."""
        return guild_language(self.bot.get_guild(job.guild_id))

    async def _show_progress(self, job: JobRow, line: str) -> None:
        """Edit the job's /retrain message to `line` when it changed; a message that is gone stays gone."""
        if job.message_id is None or job.channel_id is None or self._shown.get(job.id) == line:
            return
        channel = self.bot.get_channel(job.channel_id)
        if not isinstance(channel, discord.abc.Messageable) or not hasattr(channel, "get_partial_message"):
            return  # not (yet) connected to it; tried again next round
        self._shown[job.id] = line
        try:
            await channel.get_partial_message(job.message_id).edit(content=line)
        except discord.HTTPException:  # deleted, or no access any more: the result is still posted
            log.info("could not edit the progress message of job %s", job.id, exc_info=True)

    async def _announce(self, job: JobRow) -> None:
        service = self.bot.service
        if job.channel_id is None:  # queued from the command line: nothing to post to
            await service.mark_job_reported(job.guild_id, job.id)
            return
        if self.bot.get_guild(job.guild_id) is None:
            return  # not (yet) connected to that server; try again later
        channel = self.bot.get_channel(job.channel_id)
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(job.channel_id)
            except (discord.NotFound, discord.Forbidden):
                log.info("the channel of job %s is gone; its result is not posted", job.id)
                await service.mark_job_reported(job.guild_id, job.id)
                return
        if not isinstance(channel, discord.abc.Messageable) or not hasattr(channel, "guild"):
            await service.mark_job_reported(job.guild_id, job.id)
            return
        perms = bot_permissions(channel)
        if not getattr(perms, send_permission(channel)):
            log.info("cannot post in channel %s; the result of job %s is not posted", job.channel_id, job.id)
            await service.mark_job_reported(job.guild_id, job.id)
            return
        lang = guild_language(self.bot.get_guild(job.guild_id))  # posted for everyone: the server's language
        text = announcement_text(job.status, job.result, job.message, job.requested_by, lang)
        files = []
        succeeded = job.status == JobStatus.SUCCEEDED
        curve = RetrainResult.from_json(job.result).curve_png if succeeded and job.result else None
        if curve and perms.attach_files:
            where = self.bot.service.data_path(curve)  # None: the row points outside the data folder
            data = None if where is None else await asyncio.to_thread(_read_if_exists, where)
            if data is not None:
                files.append(discord.File(io.BytesIO(data), filename=CURVE_NAME))
        elif curve:
            text += "\n" + i18n_text("retrain.no_attach", lang)
        mentions = discord.AllowedMentions(
            users=[discord.Object(job.requested_by)] if job.requested_by else False
        )
        try:
            await channel.send(text[:2000], files=files, allowed_mentions=mentions)
        except discord.Forbidden:  # not allowed after all: retrying would only fail again
            log.warning("not allowed to post the result of job %s in channel %s", job.id, job.channel_id)
        await service.mark_job_reported(job.guild_id, job.id)


def _read_if_exists(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


async def setup(bot: CaptionBot) -> None:
    await bot.add_cog(Training(bot))
