"""The trainer worker's health and metrics endpoint (bot/core/ops_server.py), when a port is configured."""

from __future__ import annotations

import asyncio

from bot.core.config import Config
from bot.core.metrics import TrainerMetrics
from bot.core.ops_server import OpsServer
from bot.core.store import Store

METRICS = (
    TrainerMetrics()
)  # one worker per process; /metrics serves it when [ops] trainer_metrics_port is set


def start_ops(config: Config, store: Store) -> OpsServer | None:
    """The worker's /healthz (database reachable, event loop answering) and /metrics, when
    `[ops] trainer_metrics_port` is set."""
    if not config.ops.trainer_metrics_port:
        return None

    async def checks() -> dict[str, bool]:
        try:
            await store.ping()
        except Exception:
            return {"database": False}
        return {"database": True}

    ops = OpsServer(
        METRICS.registry,
        asyncio.get_running_loop(),
        host=config.ops.metrics_host,
        port=config.ops.trainer_metrics_port,
        checks=checks,
    )
    ops.start()
    return ops
