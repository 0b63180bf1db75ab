"""What a Discord community expects beyond /caption: /help, per-channel settings, the Caption message command
and Caption buttons on links, through the real discord.py client against the fake Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.discord_harness import Env, answer, bot_env, slash
from tests.fake_discord import CallbackType

COUNTED = ("media", "captions", "corrections", "training_pairs")


def counts(env: Env) -> dict[str, int]:
    return {table: env.query(f"SELECT COUNT(*) FROM {table}")[0][0] for table in COUNTED}


@pytest_asyncio.fixture(scope="module")
async def env(tmp_path_factory) -> AsyncIterator[Env]:
    async with bot_env(
        tmp_path_factory.mktemp("discord-community"),
        storage={"retention_days": 30},
        discord={"user_requests_per_minute": 1000, "guild_requests_per_minute": 1000},
    ) as env:
        yield env


async def test_help_is_private_and_says_how_to_correct_and_forget(env: Env) -> None:
    before = counts(env)
    reply = await answer(env, await slash(env, "help", user=env.user("newcomer")))
    assert reply.ephemeral and reply.callback_type == CallbackType.CHANNEL_MESSAGE  # at once, only for them
    text = reply.content
    assert len(text) <= 2000
    for what in ("Correct", "Reply to the caption", "/forget", "/retrain", "What is stored"):
        assert what in text, what
    assert "deleted after 30 days" in text  # the retention this server runs with, not a fixed promise
    assert counts(env) == before
