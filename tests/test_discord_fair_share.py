"""One member or one server cannot fill the shared queue: caps in flight (the server's queue bound) and audio
minutes per hour.

Through the fake Discord with the real bot, yt-dlp against the loopback media host and real transcription.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.discord_harness import Env, answer, bot_env, caption_result, slash
from tests.fake_discord import FakeDiscord

SENTENCE = "Please bring the blue notebook to the meeting tomorrow."


@pytest_asyncio.fixture(scope="module")
async def env(tmp_path_factory, discord_shards: int) -> AsyncIterator[Env]:
    def other_guild(fake: FakeDiscord) -> dict:
        return {"other": fake.add_guild(name="Elsewhere")}

    async with bot_env(
        tmp_path_factory.mktemp("discord-fair-share"),
        shards=discord_shards,
        prepare=other_guild,
        discord={
            "max_concurrent_transcriptions": 1,
            "queue_size": 10,
            "user_requests_per_minute": 10,
            "guild_requests_per_minute": 100,
            "user_requests_in_flight": 2,
            "guild_requests_in_flight": 3,
            "guild_audio_minutes_per_hour": 0.1,  # 6 s: two spoken sentences spend it
            "audio_seconds_charged_at_admission": 0,  # only what was captioned (the admission share: helpers)
        },
    ) as env:
        yield env


@pytest.fixture(scope="module")
def url(make_speech, media_server) -> str:
    return media_server.publish(make_speech(SENTENCE), "fair-share.wav")


def _refusal(message) -> bool:
    return message.ephemeral


async def test_a_members_third_request_and_a_full_server_are_refused_naming_the_limit(
    env: Env, url: str
) -> None:
    other = env.extra["other"]
    member = env.user("ann")
    first = await slash(env, "caption", {"link": url}, user=member)
    second = await slash(env, "caption", {"link": url}, user=member)
    third = await slash(env, "caption", {"link": url}, user=member)
    refused = await answer(env, third, _refusal)
    assert "2 caption requests in progress" in refused.content
    assert "the most allowed at once (2)" in refused.content

    same_server = await slash(env, "caption", {"link": url}, user=env.user("bob"))  # the server's 3rd
    server_full = await slash(env, "caption", {"link": url}, user=env.user("cat"))
    full = await answer(env, server_full, _refusal)
    assert "this server's caption queue is full: 3 requests are waiting or in progress" in full.content
    assert "(3)" in full.content

    elsewhere = await slash(env, "caption", {"link": url}, guild_id=other.id, user=env.user("dan", other))
    for accepted in (first, second, same_server, elsewhere):
        done = await caption_result(env, accepted, timeout=180)
        assert any(name.endswith(".vtt") for name in done.file_names)


async def test_a_server_past_its_audio_minutes_is_refused_while_another_is_not(env: Env, url: str) -> None:
    """The first test captioned 3 sentences here (past 0.1 minutes) and 1 in the other server."""
    other = env.extra["other"]
    refused = await slash(env, "caption", {"link": url}, user=env.user("eve"))
    message = await answer(env, refused, _refusal)
    assert "the limit is 0.1 minutes an hour" in message.content
    assert "Try again in" in message.content

    elsewhere = await slash(env, "caption", {"link": url}, guild_id=other.id, user=env.user("fay", other))
    done = await caption_result(env, elsewhere, timeout=180)
    assert any(name.endswith(".vtt") for name in done.file_names)
