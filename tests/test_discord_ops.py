"""Health and metrics (issue 22, part 4): the bot's /healthz and /metrics while it captions on the fake Discord.

/metrics is parsed with prometheus_client's own text parser and its counters must match what the test made
happen; /healthz is 200 while the gateway is up and the database answers, and 503 naming the database when it
does not (the control). The trainer worker's endpoint is the same server with the trainer's registry
(tests/test_ops_server.py).
"""

from __future__ import annotations

import asyncio
import json
import socket
import urllib.error
import urllib.request
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from tests.discord_harness import bot_env, caption_reply, post_voice_note

NOTES = ("Our team meets every Monday morning in the small library.", "The new bridge opens next spring.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


async def get(port: int, path: str) -> tuple[int, str]:
    """GET in a thread: the endpoint may need the bot's event loop (the health checks run there)."""
    return await asyncio.to_thread(fetch, f"http://127.0.0.1:{port}{path}")


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a /metrics page by (name, labels), parsed by prometheus_client's parser."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(found: dict[Any, float], name: str, **labels: str) -> float:
    return found[(name, tuple(sorted(labels.items())))]


async def test_metrics_count_what_happened_and_healthz_follows_the_database(
    tmp_path, make_speech, discord_shards: int
) -> None:
    port = free_port()
    async with bot_env(tmp_path, shards=discord_shards, ops={"metrics_port": port}) as env:
        status, body = await get(port, "/healthz")
        assert status == 200, body
        assert json.loads(body) == {
            "healthy": True, "checks": {"gateway": True, "database": True, "queue": True}
        }  # fmt: skip

        _, before = await get(port, "/metrics")
        assert value(samples(before), "caption_requests_finished_total", kind="voice") == 0

        member = env.user("talker")
        for text in NOTES:
            await caption_reply(
                env, await post_voice_note(env, make_speech(text, suffix=".ogg"), user=member)
            )

        status, page = await get(port, "/metrics")
        assert status == 200
        found = samples(page)
        assert value(found, "caption_requests_started_total", kind="voice") == 2
        assert value(found, "caption_requests_finished_total", kind="voice") == 2
        assert value(found, "caption_requests_failed_total", kind="voice") == 0
        assert value(found, "caption_requests_finished_total", kind="link") == 0
        assert value(found, "caption_ack_seconds_count", kind="voice") == 2
        assert value(found, "caption_seconds_count", kind="voice") == 2
        assert value(found, "transcription_seconds_per_audio_second_count") == 2
        assert value(found, "transcribed_audio_seconds_total") > 2  # two spoken sentences
        assert value(found, "transcription_seconds_total") > 0
        for state in ("waiting", "running"):
            assert value(found, "caption_queue_depth", kind="voice", state=state) == 0
        assert value(found, "servers_by_model", model="base") == len(env.bot.guilds)
        assert value(found, "servers_by_model", model="tuned") == 0
        assert value(found, "retrain_outcomes_total", outcome="promoted") == 0
        assert value(found, "gateway_connected") == 1 and value(found, "database_reachable") == 1
        assert not any("guild" in labels_key for _, labels in found for labels_key, _ in labels)

        status, _ = await get(port, "/nothing-here")
        assert status == 404

        # the control: the database goes away (its connection closed under the bot) -> 503, naming it
        await env.bot.service.store.close()
        status, body = await get(port, "/healthz")
        assert status == 503, body
        assert json.loads(body) == {
            "healthy": False, "checks": {"gateway": True, "database": False, "queue": True}
        }  # fmt: skip
        _, page = await get(port, "/metrics")
        assert value(samples(page), "database_reachable") == 0
    # the endpoint closes with the bot
    status, _ = await asyncio.to_thread(lambda: _closed(port))
    assert status == 0


def _closed(port: int) -> tuple[int, str]:
    try:
        return fetch(f"http://127.0.0.1:{port}/healthz")
    except OSError:
        return 0, ""
