"""The /retrain message shows the job's progress live and the moderator is mentioned when it ends.

The trainer is played through the store (claim, heartbeats with stage and progress, finish), as the worker
does and as test_discord_training.py does; the real bot edits its own /retrain answer in the fake Discord.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest_asyncio

from tests.discord_harness import Env, answer, bot_env, eventually, slash
from tests.fake_discord import SentMessage


@pytest_asyncio.fixture(scope="module")
async def env(tmp_path_factory, discord_shards: int) -> AsyncIterator[Env]:
    root = tmp_path_factory.mktemp("discord-retrain-progress")
    async with bot_env(root, shards=discord_shards, bot_options={"spawn_trainer": False}) as env:
        yield env


async def shows(env: Env, message: SentMessage, *parts: str) -> str:
    """Wait until the /retrain message's content has every part; return it."""
    await env.fake.wait_for_message(
        lambda m: m is message and all(p in (m.content or "") for p in parts), timeout=10
    )
    return message.content or ""


async def test_the_retrain_message_follows_the_job_and_the_moderator_is_mentioned(
    env: Env, make_speech
) -> None:
    service, store = env.bot.service, env.bot.service.store
    for text in ("The Zorblax server restarts every night.", "Please add more Quindle nodes soon."):
        result = await service.caption(env.guild.id, make_speech(text), uploader_id=1)
        await service.correct(env.guild.id, result.caption_id, user_id=2, text=text)
    queued = await answer(env, await slash(env, "retrain", user=env.moderator))
    assert "Retrain queued" in (queued.content or "")
    job = await eventually(lambda: store.open_job(env.guild.id), what="the queued job")
    await eventually(
        lambda: env.query("SELECT message_id FROM jobs WHERE id = ?", job.id) == [(queued.message_id,)],
        what="the job remembering its /retrain message",
    )

    claimed = await store.claim_job(os.getpid(), env.guild.id)
    assert claimed is not None and claimed.id == job.id
    await store.heartbeat_job(env.guild.id, job.id, stage="training", progress=0.4)
    first = await shows(env, queued, "training", "40%")
    assert "left" in first  # an estimate once there is a pace to go by
    await store.heartbeat_job(env.guild.id, job.id, stage="evaluating the new model", progress=0.9)
    second = await shows(env, queued, "evaluating the new model", "90%")
    assert "training" not in second

    await store.finish_job(env.guild.id, job.id, succeeded=False, message="the new model was not better")
    await shows(env, queued, "failed")
    mod = f"<@{env.moderator['id']}>"
    ended = await env.fake.wait_for_message(
        lambda m: "Retrain failed" in (m.content or "") and mod in (m.content or ""), timeout=10
    )
    assert "not better" in (ended.content or "")
    assert [h for h in queued.history if h and "40%" in h] and [h for h in queued.history if h and "90%" in h]
