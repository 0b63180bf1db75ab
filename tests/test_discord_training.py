"""/retrain, the announcement of finished jobs, /model show and rollback, moderator checks.

The trainer process is not started here (spawn_trainer=False, the setting for a trainer run as its own
service); the test plays the trainer through the store, as the worker does. The slow test in
test_discord_retrain_e2e.py runs the real worker.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.discord_harness import Env, answer, bot_env, eventually, has_file, slash
from tests.fake_discord import FakeDiscord

PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)


def result_for(version: int, curve: str) -> dict:
    """What the trainer reports for a promoted model (trainer/pipeline.py `_result`)."""
    scores = {"keyword_hits": 1, "keyword_total": 4, "false_insertions": 2, "runaway_clips": 0, "words": 90}
    return {
        "guild_id": 0,
        "version": version,
        "promoted": True,
        "reason": "test WER 0.400 -> 0.100",
        "serving": {
            "short": {"model": f"v{version}", "hint": "glossary"},
            "long": {"model": "base", "hint": "none"},
        },
        "serving_text": f"voice notes: v{version} with glossary; long media: base",
        "pairs": 10,
        "recordings": 10,
        "folds": 2,
        "held_out_words": 180,
        "test_words": 90,
        "skipped_count": 0,
        "before": {**scores, "label": "base|glossary", "wer": 0.4, "keyword_hit_rate": 0.25},
        "after": {
            **scores,
            "label": "new@0.5|glossary",
            "wer": 0.1,
            "keyword_hits": 4,
            "false_insertions": 0,
        },
        "general_speech": {
            "checks": [{"plan": "x", "passed": True, "describe": "real speech WER 0.050 -> 0.052"}]
        },
        "train_steps": 16,
        "train_seconds": 12.0,
        "total_seconds": 30.0,
        "curve_png": curve,
    }


CONFIG_MOD_ROLE = 424242424242424242  # [discord] moderator_role: a role id, known before the bot starts


@pytest_asyncio.fixture(scope="module")
async def env(tmp_path_factory, discord_shards: int) -> AsyncIterator[Env]:
    def other_guild(fake: FakeDiscord) -> dict:
        guild = fake.add_guild(name="Other", channels=["general"])
        role = fake.add_role(guild.id, "Caption Mods", 0, role_id=CONFIG_MOD_ROLE)
        helper = fake.add_member(guild.id, "helper", roles=[role])
        return {"other": guild, "helper": helper, "other_mod": fake.add_moderator(guild.id, "other-mod")}

    root = tmp_path_factory.mktemp("discord-training")
    async with bot_env(
        root,
        shards=discord_shards,
        prepare=other_guild,
        discord={"moderator_role": str(CONFIG_MOD_ROLE)},  # the fallback for servers that set none
        bot_options={"spawn_trainer": False},
    ) as env:
        yield env


async def make_pairs(env: Env, make_speech, count: int) -> None:
    texts = ["The Zorblax server restarts every night.", "Please add more Quindle nodes soon."]
    for text in texts[:count]:
        result = await env.bot.service.caption(env.guild.id, make_speech(text), uploader_id=1)
        await env.bot.service.correct(env.guild.id, result.caption_id, user_id=2, text=text)


async def test_retrain_is_for_moderators_only(env: Env) -> None:
    refused = await answer(env, await slash(env, "retrain", user=env.user("someone")), lambda m: m.ephemeral)
    assert (
        f"only members with the Manage Server permission or the <@&{CONFIG_MOD_ROLE}> role" in refused.content
    )
    assert await env.bot.service.store.open_job(env.guild.id) is None


async def test_retrain_below_min_pairs_is_refused(env: Env) -> None:
    refused = await answer(env, await slash(env, "retrain", user=env.moderator), lambda m: m.ephemeral)
    assert "needs at least 2" in refused.content and "0 training pairs" in refused.content
    assert await env.bot.service.store.open_job(env.guild.id) is None
    # the configured moderator role counts as a moderator too (refused for pairs, not for rights)
    other = env.extra["other"]
    by_role = await slash(env, "retrain", guild_id=other.id, user=env.extra["helper"])
    assert "needs at least 2" in (await answer(env, by_role, lambda m: m.ephemeral)).content


async def test_moderator_queues_one_job_and_a_second_is_refused(env: Env, make_speech) -> None:
    await make_pairs(env, make_speech, 2)
    queued = await answer(env, await slash(env, "retrain", user=env.moderator))
    assert not queued.ephemeral and "Retrain queued" in queued.content
    job = await env.bot.service.store.open_job(env.guild.id)
    assert job is not None and job.status == "queued" and job.channel_id == env.channel_id
    assert job.requested_by == int(env.moderator["id"])
    again = await answer(env, await slash(env, "retrain", user=env.moderator), lambda m: m.ephemeral)
    assert "already queued" in again.content
    assert env.query("SELECT COUNT(*) FROM jobs WHERE guild_id = ?", env.guild.id) == [(1,)]
    assert not env.bot.trainer.alive  # this bot leaves the trainer to a separate service


async def test_finished_jobs_are_announced_once_with_the_curve(env: Env, tmp_path) -> None:
    store = env.bot.service.store
    other = env.extra["other"]
    curve = env.config.data_dir / "models" / str(other.id) / "v1" / "curve.png"  # where the trainer puts it
    curve.parent.mkdir(parents=True, exist_ok=True)
    curve.write_bytes(PNG)
    job_id = await store.enqueue_job(
        other.id, requested_by=int(env.extra["other_mod"]["id"]), channel_id=other.text_channel_id
    )
    claimed = await store.claim_job(os.getpid(), other.id)
    assert claimed is not None and claimed.id == job_id
    result = result_for(1, curve.relative_to(env.config.data_dir).as_posix())
    await store.complete_retrain(  # what the worker records: the model, the serving plan, the job's end
        other.id,
        job_id,
        version=1,
        path=str(tmp_path / "no-model"),
        promote=True,
        metrics=result,
        reason=result["reason"],
        started_from=None,
        plan=result["serving"],
    )

    post = await env.fake.wait_for_message(
        lambda m: m.channel_id == other.text_channel_id and "Retrain finished" in (m.content or ""),
        timeout=10,
    )
    assert has_file("training-curve.png")(post) and post.files[0][1] == PNG
    assert "0.400 -> 0.100" in post.content and "promoted" in post.content
    assert "Now serving voice notes: v1 with glossary" in post.content and "2 inserted" in post.content
    assert f"<@{env.extra['other_mod']['id']}>" in post.content
    await eventually(lambda: env.query("SELECT reported FROM jobs WHERE id = ?", job_id) == [(1,)])

    failed_id = await store.enqueue_job(other.id, requested_by=None, channel_id=other.text_channel_id)
    await store.claim_job(os.getpid(), other.id)
    await store.finish_job(
        other.id,
        failed_id,
        succeeded=False,
        message="training ran out of memory; the active model is unchanged",
    )
    failure = await env.fake.wait_for_message(lambda m: "Retrain failed" in (m.content or ""), timeout=10)
    assert "out of memory" in failure.content and not failure.files
    await eventually(lambda: env.query("SELECT reported FROM jobs WHERE id = ?", failed_id) == [(1,)])
    posts = [
        m
        for m in env.fake.messages
        if m.channel_id == other.text_channel_id and "Retrain" in (m.content or "")
    ]
    assert len(posts) == 2  # each job once


@pytest.mark.parametrize("where", ["/proc/self/environ", "../../outside.png", "models/link-out.png"])
async def test_a_curve_outside_the_data_folder_is_never_posted(env: Env, tmp_path, where: str) -> None:
    """M1: a job result (written by a trainer host) naming a file outside data_dir, directly, through `..`
    or through a symlink inside it: the announcement goes out without it."""
    store = env.bot.service.store
    other = env.extra["other"]
    outside = tmp_path / "outside.png"
    outside.write_bytes(PNG)
    link = env.config.data_dir / "models" / "link-out.png"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to(outside)
    if where.startswith(".."):
        where = os.path.relpath(outside, env.config.data_dir)
    job_id = await store.enqueue_job(other.id, requested_by=None, channel_id=other.text_channel_id)
    await store.claim_job(os.getpid(), other.id)
    await store.finish_job(other.id, job_id, succeeded=True, message="done", result=result_for(9, where))
    await eventually(lambda: env.query("SELECT reported FROM jobs WHERE id = ?", job_id) == [(1,)])
    posts = [
        m for m in env.fake.messages if m.channel_id == other.text_channel_id and "v9" in (m.content or "")
    ]
    assert posts and not any(m.files for m in posts)
    # control: the same file inside the data folder is posted (the check would see a file)
    assert env.bot.service.data_path("models/link-out.png") is None
    inside = env.config.data_dir / "models" / "inside.png"
    inside.write_bytes(PNG)
    assert env.bot.service.data_path("models/inside.png") == inside.resolve()


async def test_model_show_and_rollback(env: Env) -> None:
    other = env.extra["other"]
    shown = await answer(env, await slash(env, "model", subcommand="show", guild_id=other.id))
    assert "voice notes: v1 with glossary; long media: base" in shown.content
    assert "WER 0.400" in shown.content and "WER 0.100" in shown.content
    assert "History" in shown.content

    refused = await slash(env, "rollback", guild_id=other.id, user=env.user("x", other))
    assert "only members" in (await answer(env, refused, lambda m: m.ephemeral)).content
    rolled = await answer(env, await slash(env, "rollback", guild_id=other.id, user=env.extra["other_mod"]))
    assert "now uses the base model" in rolled.content and not rolled.ephemeral
    assert await env.bot.service.store.active_model(other.id) is None
    again = await slash(env, "rollback", guild_id=other.id, user=env.extra["other_mod"])
    assert "already uses the base model" in (await answer(env, again, lambda m: m.ephemeral)).content
    base = await answer(env, await slash(env, "model", subcommand="show", guild_id=other.id))
    assert (
        "voice notes: base with glossary; long media: base" in base.content and "v1: rejected" in base.content
    )
