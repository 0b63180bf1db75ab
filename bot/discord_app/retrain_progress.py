"""The /retrain message while its job runs: stage, percent and an estimate of the time left.

The trainer worker writes the job's stage and progress on every heartbeat; the bot's job watcher turns them
into this one line and edits the /retrain answer only when the line changes (Discord rate-limits edits).
The estimate assumes the rest goes as fast as what is done so far: a guide, shown only once 5% is done.
"""

from __future__ import annotations

import time

from bot.core.store import JobRow, JobStatus

MIN_FRACTION_FOR_ESTIMATE = 0.05


def time_left(elapsed: float, fraction: float) -> str:
    """'about N min left' from the pace so far; empty before there is a pace to go by."""
    if fraction < MIN_FRACTION_FOR_ESTIMATE or fraction >= 1.0 or elapsed <= 0:
        return ""
    seconds = elapsed * (1.0 - fraction) / fraction
    if seconds < 60:
        return " · less than a minute left"
    return f" · about {round(seconds / 60)} min left"


def progress_line(job: JobRow, now: float | None = None) -> str:
    """What the /retrain message says while the job is queued or running."""
    if job.status == JobStatus.QUEUED:
        return f"🧠 Retrain (job {job.id}) queued: waiting for the trainer. I'll post the results here."
    started = job.started_at or job.created_at
    elapsed = (now or time.time()) - started
    percent = int(max(0.0, min(1.0, job.progress)) * 100)
    left = time_left(elapsed, job.progress)
    return (
        f"🧠 Retrain (job {job.id}): {job.stage or 'running'} · {percent}%{left}. I'll post the results "
        "here when it's done."
    )


def ended_line(job: JobRow) -> str:
    """The /retrain message once the job has ended (the results are posted as a new message below it)."""
    if job.status == JobStatus.SUCCEEDED:
        return f"🧠 Retrain (job {job.id}) finished · 100%. The results are in the message below."
    return f"⚠️ Retrain (job {job.id}) failed; the reason is in the message below."
