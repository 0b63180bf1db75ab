"""The /retrain message while its job runs: stage, percent and an estimate of the time left.

The trainer worker writes the job's stage and progress on every heartbeat; the bot's job watcher turns them
into this one line and edits the /retrain answer only when the line changes (Discord rate-limits edits).
The estimate assumes the rest goes as fast as what is done so far: a guide, shown only once 5% is done.
"""

from __future__ import annotations

import time

from bot.core.store import JobRow, JobStatus
from bot.discord_app.i18n import text

MIN_FRACTION_FOR_ESTIMATE = 0.05


def time_left(elapsed: float, fraction: float, lang: str = "en") -> str:
    """'about N min left' from the pace so far; empty before there is a pace to go by."""
    if fraction < MIN_FRACTION_FOR_ESTIMATE or fraction >= 1.0 or elapsed <= 0:
        return ""
    seconds = elapsed * (1.0 - fraction) / fraction
    if seconds < 60:
        return text("retrain.progress.under_a_minute", lang)
    return text("retrain.progress.minutes_left", lang, minutes=round(seconds / 60))


def progress_line(job: JobRow, now: float | None = None, lang: str = "en") -> str:
    """What the /retrain message says while the job is queued or running (the stage is the trainer's
    English)."""
    if job.status == JobStatus.QUEUED:
        return text("retrain.progress.queued", lang, job=job.id)
    started = job.started_at or job.created_at
    elapsed = (now or time.time()) - started
    percent = int(max(0.0, min(1.0, job.progress)) * 100)
    left = time_left(elapsed, job.progress, lang)
    stage = job.stage or text("retrain.progress.running", lang)
    return text("retrain.progress.line", lang, job=job.id, stage=stage, percent=percent, left=left)


def ended_line(job: JobRow, lang: str = "en") -> str:
    """The /retrain message once the job has ended (the results are posted as a new message below it)."""
    if job.status == JobStatus.SUCCEEDED:
        return text("retrain.progress.finished", lang, job=job.id)
    return text("retrain.progress.failed", lang, job=job.id)
