"""Gateway sharding: with Discord recommending 2 shards, the bot identifies both, each on its own connection,
and answers a server whichever shard carries it; Discord refusing too few shards is one clear line.

The fake Discord routes each guild's events only to the shard `(guild_id >> 22) % shard_count` (Discord's
formula), so an answer in a server on shard 1 proves that shard is connected and served. Every other Discord
scenario runs on 1 and on 2 shards through the `discord_shards` fixture (tests/conftest.py).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from bot.core.config import load_config
from bot.discord_app.client import CaptionBot, start_bot
from bot.discord_app.sharding import IdentifyPacer, shard_of
from tests.discord_harness import TEST_TOKEN, write_config
from tests.fake_discord import CallbackType, FakeDiscord, FakeGuild, MessageFlag

ROOT = Path(__file__).resolve().parents[1]


class Sharded:
    def __init__(self, fake: FakeDiscord, bot: CaptionBot, on_one: FakeGuild, on_zero: FakeGuild) -> None:
        self.fake, self.bot, self.on_one, self.on_zero = fake, bot, on_one, on_zero


@pytest_asyncio.fixture(scope="module")
async def sharded(tmp_path_factory) -> AsyncIterator[Sharded]:
    root = tmp_path_factory.mktemp("discord-sharding")
    async with FakeDiscord(token=TEST_TOKEN, shards=2, max_concurrency=1) as fake:
        on_one = fake.add_guild(name="On shard one")
        on_zero = fake.add_guild(name="On shard zero")
        config = load_config(write_config(root / "config.toml", root / "data", fake))  # shards = "auto"
        async with start_bot(config, guild_ready_timeout=0.05, progress_interval=0.1) as bot:
            await bot.service.store.set_autocaption(on_one.id, True)
            yield Sharded(fake, bot, on_one, on_zero)


async def help_answer(fake: FakeDiscord, guild: FakeGuild) -> str:
    interaction = await fake.dispatch_interaction("help", guild_id=guild.id)
    reply = await fake.wait_for_interaction_response(interaction.token, lambda m: bool(m.content), 10)
    assert reply.ephemeral and reply.callback_type == CallbackType.CHANNEL_MESSAGE
    return reply.content or ""


async def test_auto_asks_discord_and_both_shards_identify_on_their_own_connections(sharded: Sharded) -> None:
    fake, bot = sharded.fake, sharded.bot
    assert shard_of(sharded.on_one.id, 2) == 1 and shard_of(sharded.on_zero.id, 2) == 0
    assert ("GET", "/api/v10/gateway/bot") in fake.requests  # "auto": the count came from Discord
    assert sorted(p["shard"] for p in fake.identify_payloads) == [[0, 2], [1, 2]]
    assert len(fake.gateway_queries) == 2  # one websocket per shard
    ready = {tuple(p["shard"]): [int(g["id"]) for g in p["guilds"]] for p in fake.ready_payloads}
    assert ready == {(0, 2): [sharded.on_zero.id], (1, 2): [sharded.on_one.id]}
    assert bot.shard_count == 2
    assert {g.id: g.shard_id for g in bot.guilds} == {sharded.on_one.id: 1, sharded.on_zero.id: 0}


async def test_a_server_on_shard_1_gets_its_answers_and_captions(sharded: Sharded, make_speech) -> None:
    fake, guild = sharded.fake, sharded.on_one
    assert "Caption bot" in await help_answer(fake, guild)
    assert fake.dispatched_on[-1] == ("INTERACTION_CREATE", 1)

    note = fake.add_attachment(
        "voice-message.ogg",
        make_speech("Please send the report before Friday.").read_bytes(),
        "audio/ogg",
        duration_secs=3.0,
    )
    posted = await fake.dispatch_message(
        guild.text_channel_id, None, "", attachments=[note], flags=MessageFlag.VOICE_MESSAGE
    )
    reply = await fake.wait_for_message(
        lambda m: m.reference_message_id == int(posted["id"]) and "report" in (m.content or "").lower(), 60
    )
    assert reply.channel_id == guild.text_channel_id and any(n.endswith(".vtt") for n in reply.file_names)
    assert ("MESSAGE_CREATE", 1) in fake.dispatched_on

    assert "Caption bot" in await help_answer(fake, sharded.on_zero)  # and the server on shard 0
    assert fake.dispatched_on[-1] == ("INTERACTION_CREATE", 0)


async def test_a_dropped_shard_resumes_and_serves_again(sharded: Sharded) -> None:
    fake = sharded.fake
    resumes = fake.resumes
    await fake.disconnect_gateway(4000, shard_id=1)
    await fake.wait_until_connected(timeout=15)
    assert fake.resumes == resumes + 1 and len(fake.identify_payloads) == 2  # resumed, not re-identified
    assert "Caption bot" in await help_answer(fake, sharded.on_one)


async def test_identifies_wait_only_within_one_bucket() -> None:
    """Discord allows max_concurrency IDENTIFYs per 5 s, one per bucket shard_id % max_concurrency."""
    pacer = IdentifyPacer(max_concurrency=2, window=0.5)
    start = time.monotonic()
    when: dict[int, float] = {}

    async def identify(shard: int) -> None:
        await pacer.wait(shard)
        when[shard] = time.monotonic() - start

    await asyncio.gather(*(identify(shard) for shard in range(4)))
    assert when[0] < 0.25 and when[1] < 0.25  # two buckets: both at once
    assert when[2] >= 0.5 and when[3] >= 0.5  # the same buckets again: a window later


async def run_until_exit(config: Path) -> tuple[int, str]:
    """`python -m bot run` to its end: the exit status and the last line it printed."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "run",
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )  # fmt: skip
    _, err = await asyncio.wait_for(proc.communicate(), 90)
    assert proc.returncode is not None
    return proc.returncode, err.decode().strip().splitlines()[-1]


async def test_too_few_shards_is_one_clear_line(tmp_path: Path) -> None:
    """Discord closes with 4011 when a shard would carry too many servers; the bot says which setting."""
    async with FakeDiscord(token=TEST_TOKEN, guilds_per_shard=1) as fake:
        fake.add_guild(name="One")
        fake.add_guild(name="Two")
        config = write_config(tmp_path / "config.toml", tmp_path / "data", fake, discord={"shards": 1})
        code, last = await run_until_exit(config)
    assert (code, last) == (
        2,
        'error: Discord requires more gateway shards than [discord] shards = 1; set it to "auto" (or a '
        "larger number)",
    )


async def test_no_gateway_answer_for_auto_is_one_clear_line(tmp_path: Path) -> None:
    async with FakeDiscord(token=TEST_TOKEN) as fake:
        fake.add_guild(name="One")
        fake.fail_next("GET", "/gateway/bot", status=404, times=10)
        config = write_config(tmp_path / "config.toml", tmp_path / "data", fake)
        code, last = await run_until_exit(config)
        assert fake.identify_payloads == []
    assert code == 2 and last.startswith("error: Discord did not answer GET /gateway/bot"), last
    assert '[discord] shards = "auto" needs' in last
