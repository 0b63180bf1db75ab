"""The /healthz and /metrics server both processes use (bot/core/ops_server.py), and the trainer's metrics.

The bot's endpoint while it captions is tested in tests/test_discord_ops.py. Here: the trainer worker's
registry after jobs end (outcome counts and durations, parsed by prometheus_client's parser), a failing check
gives 503, and an event loop too blocked to answer gives 503 while the endpoint itself still answers.
"""

from __future__ import annotations

import asyncio
import json
import time

from prometheus_client.parser import text_string_to_metric_families

from bot.core.metrics import TrainerMetrics, retrain_outcome
from bot.core.ops_server import OpsServer
from tests.test_discord_ops import fetch


def test_retrain_outcomes_are_promoted_refused_or_failed() -> None:
    assert retrain_outcome("succeeded", {"promoted": True}) == "promoted"
    assert retrain_outcome("succeeded", {"promoted": False, "reason": "worse"}) == "refused"
    assert retrain_outcome("failed", None) == "failed"


async def test_trainer_endpoint_counts_jobs_and_healthz_follows_its_checks() -> None:
    metrics = TrainerMetrics()
    metrics.job_ended("succeeded", {"promoted": True}, 120.0)
    metrics.job_ended("succeeded", {"promoted": False}, 90.0)
    metrics.job_ended("failed", None, 3.0)
    state = {"database": True}

    async def checks() -> dict[str, bool]:
        if state.pop("block", False):
            time.sleep(1.0)  # blocks the event loop, as a stuck synchronous call in the process would
        return dict(state)

    ops = OpsServer(metrics.registry, asyncio.get_running_loop(), host="127.0.0.1", port=0, checks=checks,
                    deadline=0.5)  # fmt: skip
    ops.start()
    try:
        base = f"http://127.0.0.1:{ops.port}"
        status, page = await asyncio.to_thread(fetch, base + "/metrics")
        assert status == 200
        found = {
            (s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(page)
            for s in family.samples
        }
        for outcome in ("promoted", "refused", "failed"):
            assert found[("retrain_outcomes_total", (("outcome", outcome),))] == 1
            assert found[("retrain_job_seconds_count", (("outcome", outcome),))] == 1
        assert found[("retrain_job_seconds_sum", (("outcome", "promoted"),))] == 120.0
        assert found[("retrain_jobs_running", ())] == 0

        status, body = await asyncio.to_thread(fetch, base + "/healthz")
        assert (status, json.loads(body)) == (200, {"healthy": True, "checks": {"database": True}})
        state["database"] = False
        status, body = await asyncio.to_thread(fetch, base + "/healthz")
        assert (status, json.loads(body)["checks"]) == (503, {"database": False})

        # a blocked event loop: the endpoint still answers, 503 within its deadline
        state.update(database=True, block=True)
        status, body = await asyncio.to_thread(fetch, base + "/healthz")
        assert (status, json.loads(body)) == (503, {"healthy": False, "checks": {"event_loop": False}})
    finally:
        ops.stop()
