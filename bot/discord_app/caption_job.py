"""One caption request from admission to result, shared by /caption and posted media.

Admission (rate limits, then a place in the bounded queue) happens before anything slow, so a refusal is
immediate. The work then waits for a slot, fetches the media (a link through the service, an attachment
through discord.py's session), and runs the service, while one message shows the progress.

A request lives in the database from the moment its progress message exists (`remember`) until its user has
been given the result or the error (`settled`). A request cut off by a crash or a kill is therefore still
there at the next start, and the bot tells its user (restart_notices.py).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import discord

from bot.core.metrics import BotMetrics
from bot.discord_app.attachments import downloaded
from bot.discord_app.audio_budget import AudioBudget
from bot.discord_app.formatting import progress_text
from bot.discord_app.progress import Send, ThrottledProgress
from bot.discord_app.rate_limit import RequestLimits
from bot.discord_app.work_queue import Ticket, WorkQueue
from bot.service import CaptionResult, CaptionService

log = logging.getLogger("bot.discord.caption_job")


@dataclass(frozen=True)
class CaptionRequest:
    guild_id: int
    user_id: int
    channel_id: int | None
    source: str | discord.Attachment  # a link, or an attachment to fetch
    title: str | None = None
    language: str | None = None  # None: the server's setting, else the configured one
    task: str = "transcribe"  # or "translate" (English text)
    voice: bool = False  # a Discord voice message
    uploader_id: int | None = None  # whose recording it is, when not the requester's (/forget reaches it)
    lang: str = "en"  # the language its progress and caption are shown in (bot/discord_app/i18n)

    @property
    def kind(self) -> str:
        if isinstance(self.source, str):
            return "link"
        return "voice" if self.voice else "file"

    @property
    def label(self) -> str:
        """What the user would recognise the request by: the link or the file name (kept short)."""
        if isinstance(self.source, str):
            return self.source[:300]
        return "" if self.voice else self.source.filename[:100]


class CaptionJobs:
    def __init__(
        self,
        service: CaptionService,
        queue: WorkQueue,
        limits: RequestLimits,
        *,
        progress_interval: float,
        scratch_dir: Path,
        max_media_mb: float,
        budget: AudioBudget | None = None,
        metrics: BotMetrics | None = None,
    ) -> None:
        self.service = service
        self.queue = queue
        self.limits = limits
        self.progress_interval = progress_interval
        self.scratch_dir = scratch_dir
        self.max_media_mb = max_media_mb
        self.budget = budget
        self.metrics = metrics
        self.last_activity = time.monotonic()  # the last admission to an empty queue, progress or ending

    def admit(self, guild_id: int, user_id: int) -> Ticket:
        """Raise BusyError (rate limit, audio budget or a queue bound) or return the request's place.

        The audio budget is charged its admission share here, once the queue has taken the request.
        """
        self.limits.check(guild_id, user_id)
        if self.budget is not None:
            self.budget.check(guild_id)
        was_empty = self.queue.size == 0
        ticket = self.queue.reserve(guild_id, user_id)
        if was_empty:
            self.last_activity = time.monotonic()
        self.limits.record(guild_id, user_id)  # a request refused as busy does not count
        if self.budget is not None:
            ticket.charged = self.budget.admit(guild_id)
        return ticket

    def stuck(self, after: float) -> bool:
        """Requests are waiting or running and none has reported progress or ended for `after` seconds."""
        return self.queue.size > 0 and time.monotonic() - self.last_activity > after

    # --- metrics (no-ops without them): what serve() saw happen to a request --------------------------------

    def counted(self, request: CaptionRequest, what: str) -> None:
        """`what`: started, refused or failed."""
        if self.metrics is not None:
            getattr(self.metrics, what).labels(request.kind).inc()
        if what == "failed":
            self.last_activity = time.monotonic()

    def acknowledged(self, request: CaptionRequest, began: float) -> None:
        if self.metrics is not None:
            self.metrics.ack_seconds.labels(request.kind).observe(time.monotonic() - began)

    def answered(self, request: CaptionRequest, began: float, result: CaptionResult) -> None:
        self.last_activity = time.monotonic()
        if self.metrics is not None:
            self.metrics.finished.labels(request.kind).inc()
            self.metrics.caption_seconds.labels(request.kind).observe(time.monotonic() - began)
            self.metrics.transcribed(result.duration, result.transcribe_seconds)

    async def remember(self, request: CaptionRequest, message_id: int | None) -> int:
        """Record the request once its progress message exists; returns the id `settled` takes."""
        return await self.service.add_pending_caption(
            request.guild_id,
            channel_id=request.channel_id,
            user_id=request.user_id,
            message_id=message_id,
            kind=request.kind,
            label=request.label,
        )

    async def settled(self, guild_id: int, pending_id: int | None) -> None:
        """The user has the result or the error: the request is no longer pending.

        Not called when the task is cancelled (the bot stopping): the row stays and the next start tells
        the user. A failure here only costs a needless notice after the next restart, so it is logged.
        """
        if pending_id is None:
            return
        try:
            await self.service.remove_pending_caption(guild_id, pending_id)
        except Exception:  # a locked or closed database
            log.warning("could not clear pending caption request %s", pending_id, exc_info=True)

    async def run(self, ticket: Ticket, request: CaptionRequest, show: Send) -> CaptionResult:
        """Wait for a slot, caption, and keep `show` updated; the ticket is given back whatever happens."""
        progress = ThrottledProgress(show, self.progress_interval)
        lang = request.lang
        ticket.on_position = lambda place: progress.update(progress_text("waiting", place=place, lang=lang))
        progress.update(progress_text("waiting", place=ticket.position, lang=lang))
        depth = self.metrics.queue_depth if self.metrics is not None else None
        state = "waiting"
        if depth is not None:
            depth.labels(request.kind, state).inc()
        try:
            async with ticket:
                if depth is not None:
                    depth.labels(request.kind, "waiting").dec()
                    depth.labels(request.kind, "running").inc()
                state = "running"
                result = await self._caption(request, progress)
            if self.budget is not None:
                self.budget.settle(request.guild_id, result.duration, ticket.charged)
            return result
        finally:
            if depth is not None:
                depth.labels(request.kind, state).dec()
            ticket.close()
            await progress.close()

    async def _caption(self, request: CaptionRequest, progress: ThrottledProgress) -> CaptionResult:
        def report(stage: str, fraction: float | None) -> None:
            self.last_activity = time.monotonic()
            progress.update(progress_text(stage, fraction, lang=request.lang))

        async def caption(source: str | Path, origin: str | None = None) -> CaptionResult:
            return await self.service.caption(
                request.guild_id,
                source,
                requester_id=request.user_id,
                uploader_id=request.user_id if request.uploader_id is None else request.uploader_id,
                channel_id=request.channel_id,
                language=request.language,
                task=request.task,
                title=request.title,
                origin=origin,
                progress=report,
            )

        if isinstance(request.source, str):
            return await caption(request.source)
        report("downloading", None)
        async with downloaded(request.source, self.scratch_dir, self.max_media_mb) as path:
            return await caption(path, origin=request.source.url.split("?")[0])
