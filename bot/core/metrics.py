"""What the bot and the trainer count for Prometheus, each in its own registry (never the global default).

The names are the contract with dashboards and alerts (docs/operations.md, "Health and metrics"). Labels are
few and bounded: a caption's kind (voice, file, link), a queue state, a retrain outcome, a model kind (base or
tuned). Never a guild or a user id: at thousands of servers that would be thousands of series, so the model a
server is served is counted as servers per kind.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

KINDS = ("voice", "file", "link")
OUTCOMES = ("promoted", "refused", "failed")
# seconds from a request to its acknowledgement (a reaction and a reply, or a deferred interaction)
ACK_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# seconds from a request to its captions being posted (voice notes: seconds; long media: minutes)
CAPTION_BUCKETS = (0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0)
# transcription seconds per second of audio (below 1 is faster than real time)
FACTOR_BUCKETS = (0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 4.0)
JOB_BUCKETS = (10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0, 3600.0, 7200.0)


def retrain_outcome(status: str, result: dict[str, Any] | None) -> str:
    """promoted, refused (the retrain ran and the base or the active model stayed better) or failed."""
    if status != "succeeded":
        return "failed"
    return "promoted" if (result or {}).get("promoted") else "refused"


class BotMetrics:
    """The bot process's metrics; `registry` is what /metrics serves."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.started = Counter(
            "caption_requests_started", "Caption requests admitted to the queue", ["kind"], registry=r
        )
        self.finished = Counter(
            "caption_requests_finished", "Caption requests answered with their captions", ["kind"], registry=r
        )
        self.failed = Counter(
            "caption_requests_failed", "Caption requests answered with an error", ["kind"], registry=r
        )
        self.refused = Counter(
            "caption_requests_refused",
            "Caption requests refused at once (rate limit, busy)",
            ["kind"],
            registry=r,
        )
        self.queue_depth = Gauge(
            "caption_queue_depth", "Caption requests in the queue", ["kind", "state"], registry=r
        )
        self.ack_seconds = Histogram(
            "caption_ack_seconds", "Seconds until a caption request is acknowledged", ["kind"],
            buckets=ACK_BUCKETS, registry=r,
        )  # fmt: skip
        self.caption_seconds = Histogram(
            "caption_seconds", "Seconds until a caption request's captions are posted", ["kind"],
            buckets=CAPTION_BUCKETS, registry=r,
        )  # fmt: skip
        self.realtime_factor = Histogram(
            "transcription_seconds_per_audio_second", "Transcription time per second of audio, per caption",
            buckets=FACTOR_BUCKETS, registry=r,
        )  # fmt: skip
        self.audio_seconds = Counter("transcribed_audio_seconds", "Seconds of audio transcribed", registry=r)
        self.transcription_seconds = Counter(
            "transcription_seconds", "Seconds spent transcribing", registry=r
        )
        self.retrains = Counter(
            "retrain_outcomes", "Retrains the bot saw end, by outcome", ["outcome"], registry=r
        )
        self.servers = Gauge(
            "servers_by_model", "Servers the bot is in, by the model that serves them", ["model"], registry=r
        )
        self.gateway_up = Gauge("gateway_connected", "1 while every gateway shard is connected", registry=r)
        self.database_up = Gauge(
            "database_reachable", "1 when the last health check reached the database", registry=r
        )
        for kind in KINDS:  # every series exists from the start, so a rate is never "no data"
            for metric in (self.started, self.finished, self.failed, self.refused):
                metric.labels(kind)
            for state in ("waiting", "running"):
                self.queue_depth.labels(kind, state)
        for outcome in OUTCOMES:
            self.retrains.labels(outcome)
        for model in ("base", "tuned"):
            self.servers.labels(model)

    def transcribed(self, audio_seconds: float, seconds: float) -> None:
        self.audio_seconds.inc(max(0.0, audio_seconds))
        self.transcription_seconds.inc(max(0.0, seconds))
        if audio_seconds > 0:
            self.realtime_factor.observe(seconds / audio_seconds)


class TrainerMetrics:
    """The trainer worker's metrics."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.retrains = Counter("retrain_outcomes", "Retrain jobs run, by outcome", ["outcome"], registry=r)
        self.job_seconds = Histogram(
            "retrain_job_seconds", "Seconds a retrain job ran, by outcome", ["outcome"],
            buckets=JOB_BUCKETS, registry=r,
        )  # fmt: skip
        self.running = Gauge("retrain_jobs_running", "Retrain jobs this worker is running", registry=r)
        for outcome in OUTCOMES:
            self.retrains.labels(outcome)
            self.job_seconds.labels(outcome)

    def job_ended(self, status: str, result: dict[str, Any] | None, seconds: float) -> str:
        outcome = retrain_outcome(status, result)
        self.retrains.labels(outcome).inc()
        self.job_seconds.labels(outcome).observe(max(0.0, seconds))
        return outcome
