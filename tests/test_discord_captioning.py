"""/caption and posted voice messages through the real discord.py client, against the fake Discord."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.discord_harness import (
    TEST_TOKEN,
    Env,
    answer,
    bot_env,
    caption_reply,
    caption_result,
    eventually,
    files_of,
    post_voice_note,
    slash,
    text_of,
)
from tests.fake_discord import CallbackType, FakeDiscord, MessageFlag, Perm
from tests.speech import wer_plain_words

SENTENCE = "Please send the quarterly report to the finance team before Friday afternoon."
VOICE = "The garden needs water every morning during the summer."


@pytest_asyncio.fixture(scope="module")
async def env(tmp_path_factory, discord_shards: int) -> AsyncIterator[Env]:
    root = tmp_path_factory.mktemp("discord-captioning")

    def locked_guild(fake: FakeDiscord) -> dict:
        """A server where the bot may talk but not attach files."""
        no_files = Perm.EVERYONE_DEFAULT & ~Perm.ATTACH_FILES
        guild = fake.add_guild(
            name="Locked",
            everyone_permissions=no_files,
            bot_permissions=Perm.BOT_DEFAULT & ~Perm.ATTACH_FILES,
        )
        return {"locked": guild}

    async with bot_env(
        root,
        shards=discord_shards,
        prepare=locked_guild,
        fake_options={"heartbeat_interval_ms": 250},
        discord={
            "max_concurrent_transcriptions": 1,
            "queue_size": 1,
            "user_requests_per_minute": 3,
            "guild_requests_per_minute": 100,
            "preview_chars": 60,
        },
    ) as env:
        yield env


@pytest.fixture(scope="module")
def sentence_url(make_speech, media_server) -> str:
    return media_server.publish(make_speech(SENTENCE), "report.wav")


def _count(env: Env, table: str) -> int:
    return env.query(f"SELECT COUNT(*) FROM {table}")[0][0]


async def test_caption_link_replies_with_vtt_and_progress_on_one_message(env: Env, sentence_url: str) -> None:
    user = env.user("alice")
    interaction = await slash(env, "caption", {"link": sentence_url}, user=user)
    message = await caption_result(env, interaction)

    defer = next(c for c in env.fake.callbacks if c.interaction_token == interaction.token)
    assert defer.callback_type == CallbackType.DEFERRED_CHANNEL_MESSAGE and not defer.ephemeral
    assert message is defer  # progress and result are the same message
    assert [m for m in env.fake.messages if m.interaction_token == interaction.token] == [message]
    progress = [h for h in message.history[1:-1] if h]
    assert progress, message.history
    assert any("Transcribing" in h or "Queued" in h or "Downloading" in h for h in progress), progress

    vtt = text_of(message, ".vtt")
    assert vtt.startswith("WEBVTT") and "-->" in vtt
    heard = " ".join(line for line in vtt.splitlines() if line and "-->" not in line and line != "WEBVTT")
    assert wer_plain_words(SENTENCE, heard) < 0.35, heard
    assert "report" in heard.lower() and "finance" in heard.lower()

    # a preview longer than preview_chars (60 here) is cut, and the full text comes as a .txt
    assert len(message.content) <= 2000 and "…" in message.content
    full = text_of(message, ".txt")
    assert wer_plain_words(SENTENCE, full) < 0.35
    custom_ids = [c["custom_id"] for row in message.components for c in row["components"]]
    assert len(custom_ids) == 1 and custom_ids[0].startswith("caption:correct:")
    caption_id = int(custom_ids[0].rsplit(":", 1)[1])
    stored = await env.bot.service.store.caption_for_message(env.guild.id, message.message_id)
    assert stored is not None and stored.id == caption_id


async def test_caption_link_in_srt_format(env: Env, sentence_url: str) -> None:
    interaction = await slash(env, "caption", {"link": sentence_url, "format": "srt"}, user=env.user("bob"))
    message = await caption_result(env, interaction)
    srt = text_of(message, ".srt")
    assert srt.startswith("1\n") and "-->" in srt and "," in srt.splitlines()[1]
    assert not files_of(message, ".vtt")


async def test_voice_message_is_captioned_in_a_reply(env: Env, make_speech) -> None:
    user = env.user("carol")
    posted = await post_voice_note(env, make_speech(VOICE, suffix=".ogg"), user=user)
    reply = await caption_reply(env, posted)
    assert reply.kind == "channel" and not reply.ephemeral
    heard = text_of(reply, ".vtt")
    text = " ".join(line for line in heard.splitlines()[1:] if line and "-->" not in line)
    assert wer_plain_words(VOICE, text) < 0.35, text
    assert "garden" in text.lower()
    assert "voice message" in reply.content
    voice_id = int(posted["id"])
    added = [r.emoji for r in env.fake.reactions if r.message_id == voice_id and r.added]
    assert "🎙️" in added  # shown while working, then removed
    await eventually(lambda: env.fake.reactions_on(voice_id) == set(), what="the 🎙️ reaction removed")
    rows = env.query(
        "SELECT m.uploader_id FROM captions c JOIN media m ON m.id = c.media_id WHERE c.message_id = ?",
        reply.message_id,
    )
    assert rows == [(int(user["id"]),)]


async def test_a_disallowed_link_gets_an_ephemeral_error_and_no_rows(env: Env) -> None:
    media_before, captions_before = _count(env, "media"), _count(env, "captions")
    interaction = await slash(env, "caption", {"link": "https://example.com/talk.mp4"}, user=env.user("dave"))
    error = await answer(env, interaction, lambda m: m.ephemeral)
    assert "not allowed" in error.content and "example.com" in error.content
    assert "Traceback" not in error.content
    await asyncio.sleep(0.2)
    public = [m for m in env.fake.messages if m.interaction_token == interaction.token and not m.ephemeral]
    assert all(m.deleted for m in public)  # the public "thinking…" message went away
    assert (_count(env, "media"), _count(env, "captions")) == (media_before, captions_before)


async def test_not_a_link_and_not_audio_are_refused_clearly(env: Env) -> None:
    user = env.user("erin")
    path = await slash(env, "caption", {"link": "/etc/passwd"}, user=user)
    assert "not a link" in (await answer(env, path, lambda m: m.ephemeral)).content

    picture = env.fake.add_attachment("cat.png", b"\x89PNG\r\n\x1a\n" + bytes(20), "image/png")
    upload = await slash(env, "caption", {"file": picture}, user=user)
    refusal = await answer(env, upload, lambda m: m.ephemeral)
    assert "cat.png is not an audio or video file" in refusal.content

    # posted to the bot (a mention) it gets a reply and a cross; posted to the channel it is left alone
    picture = env.fake.add_attachment("dog.png", b"\x89PNG\r\n\x1a\n" + bytes(20), "image/png")
    me = env.fake.bot_user
    asked = await env.fake.dispatch_message(
        env.channel_id, user, f"<@{me['id']}> caption this", attachments=[picture], mentions=[me]
    )
    reply = await env.fake.wait_for_message(lambda m: m.reference_message_id == int(asked["id"]))
    assert "dog.png is not audio or video" in reply.content
    await asyncio.sleep(0.3)
    assert env.fake.reactions_on(int(asked["id"])) == {"❌"}
    picture = env.fake.add_attachment("bird.png", b"\x89PNG\r\n\x1a\n" + bytes(20), "image/png")
    quiet = await env.fake.dispatch_message(env.channel_id, user, "look", attachments=[picture])
    await asyncio.sleep(0.3)
    assert not [m for m in env.fake.messages if m.reference_message_id == int(quiet["id"])]
    assert _count(env, "media") == len(env.query("SELECT id FROM media"))


async def test_rate_limit_refuses_with_when_to_retry(env: Env) -> None:
    user = env.user("frank")  # 3 requests a minute in this module's config
    for _ in range(3):
        done = await slash(env, "caption", {"link": "https://example.com/a.mp4"}, user=user)
        await answer(env, done, lambda m: m.ephemeral)
    refused = await slash(env, "caption", {"link": "https://example.com/a.mp4"}, user=user)
    message = await answer(env, refused, lambda m: m.ephemeral)
    assert "try again in" in message.content and "second" in message.content
    callback = next(c for c in env.fake.callbacks if c.interaction_token == refused.token)
    assert callback.callback_type == CallbackType.CHANNEL_MESSAGE  # refused at once, nothing deferred


async def test_busy_queue_heartbeats_and_quick_acks_while_transcribing(
    env: Env, make_speech, media_server
) -> None:
    long_text = " ".join([SENTENCE, VOICE] * 2)
    url = media_server.publish(make_speech(long_text), "long.wav")
    heartbeats_before = len(env.fake.heartbeats)
    first = await slash(env, "caption", {"link": url}, user=env.user("g1"))
    second = await slash(env, "caption", {"link": url}, user=env.user("g2"))  # waits in the queue (size 1)
    third = await slash(env, "caption", {"link": url}, user=env.user("g3"))  # refused: running 1 + waiting 1
    busy = await answer(env, third, lambda m: m.ephemeral)
    assert "busy" in busy.content and "try again" in busy.content

    started = time.monotonic()
    other = await slash(env, "vocab", subcommand="list", user=env.user("g4"))
    ack = await env.fake.wait_for_interaction_response(other.token, timeout=5)
    assert ack.created_at - started < 1.0

    first_done = await caption_result(env, first, timeout=120)
    second_done = await caption_result(env, second, timeout=120)
    assert any("Queued" in (h or "") and "1st in line" in (h or "") for h in second_done.history), (
        second_done.history
    )
    assert wer_plain_words(long_text, text_of(first_done, ".txt")) < 0.4
    assert len(env.fake.heartbeats) - heartbeats_before >= 4
    assert env.fake.max_heartbeat_gap() < 1.5


async def test_autocaption_off_stops_voice_captioning(env: Env, make_speech) -> None:
    guild = env.guild
    plain = env.user("henry")
    refused = await slash(env, "settings", {"state": "off"}, subcommand="autocaption", user=plain)
    assert (
        "only members with the Manage Server permission"
        in (await answer(env, refused, lambda m: m.ephemeral)).content
    )
    assert await env.bot.service.store.autocaption(guild.id)

    off = await slash(env, "settings", {"state": "off"}, subcommand="autocaption", user=env.moderator)
    assert "no longer be captioned" in (await answer(env, off)).content
    try:
        posted = await post_voice_note(env, make_speech(VOICE, suffix=".ogg"), user=plain)
        await asyncio.sleep(1.5)
        assert not [m for m in env.fake.messages if m.reference_message_id == int(posted["id"])]
        assert env.fake.reactions_on(int(posted["id"])) == set()
    finally:
        on = await slash(env, "settings", {"state": "on"}, subcommand="autocaption", user=env.moderator)
        await answer(env, on)
    assert await env.bot.service.store.autocaption(guild.id)


async def test_missing_bot_permissions_are_named(env: Env, make_speech, sentence_url: str) -> None:
    locked = env.extra["locked"]
    refused = await slash(env, "caption", {"link": sentence_url}, guild_id=locked.id)
    message = await answer(env, refused, lambda m: m.ephemeral)
    assert "missing the Attach Files permission" in message.content
    await env.bot.service.store.set_autocaption(locked.id, True)  # opt-in: its moderators turned it on
    await post_voice_note(env, make_speech(VOICE, suffix=".ogg"), channel_id=locked.text_channel_id)
    told = await env.fake.wait_for_message(
        lambda m: m.kind == "channel" and m.channel_id == locked.text_channel_id
    )
    assert "caption posted files" in told.content and "Attach Files" in told.content
    assert not env.query("SELECT id FROM media WHERE guild_id = ?", locked.id)


async def test_direct_messages(env: Env) -> None:
    user = env.user("ivy")
    dm = await env.bot.create_dm(await env.bot.fetch_user(int(user["id"])))
    note = env.fake.add_attachment("voice-message.ogg", b"OggS" + bytes(60), "audio/ogg", duration_secs=1.0)
    await env.fake.dispatch_message(dm.id, None, "", attachments=[note], flags=MessageFlag.VOICE_MESSAGE)
    await asyncio.sleep(0.3)
    assert not [m for m in env.fake.messages if m.channel_id == dm.id]

    interaction = await _dm_interaction(env, dm.id, user, "caption", {"link": "https://example.com/x.mp4"})
    reply = await answer(env, interaction, lambda m: m.ephemeral)
    assert "servers only" in reply.content


async def _dm_interaction(env: Env, channel_id: int, user, name: str, options):
    """Discord sends commands used in a DM without guild or member; the fake has no helper, so build one."""
    fake = env.fake
    command = fake._find_command(name, env.guild.id, 1)
    payload, state = fake._interaction_base(
        2,
        {
            "id": command["id"],
            "name": name,
            "type": 1,
            "options": [{"type": 3, "name": k, "value": v} for k, v in options.items()],
        },
        guild_id=None,
        channel_id=None,
        user=user,
        locale="en-US",
    )
    for key in ("guild_id", "guild", "member", "guild_locale"):
        payload.pop(key, None)
    payload["user"] = user
    payload["channel_id"] = str(channel_id)
    payload["channel"] = {"id": str(channel_id), "type": 1, "recipients": [user]}
    payload["context"] = 1
    state.guild_id, state.channel_id = None, channel_id
    return await fake._send_interaction(payload, state)


async def test_unexpected_failures_are_logged_and_the_token_never_shown(
    env: Env, sentence_url, caplog
) -> None:
    caplog.set_level(logging.INFO)
    logging.getLogger("bot.test").error("the token is %s", TEST_TOKEN)
    env.fake.fail_next(
        "PATCH", "/messages/@original", status=400, body={"message": "injected", "code": 50035}, times=1000
    )
    try:
        interaction = await slash(env, "caption", {"link": sentence_url}, user=env.user("jack"))
        sorry = await answer(env, interaction, lambda m: m.ephemeral, timeout=60)
    finally:
        env.fake._failures.clear()
    assert sorry.content == "Something went wrong on our side; it was logged."
    assert "Traceback" in caplog.text  # the details are in the log
    assert TEST_TOKEN not in caplog.text and "[redacted]" in caplog.text
    for message in env.fake.messages:
        assert TEST_TOKEN not in (message.content or "")


async def test_an_expired_interaction_gets_its_captions_in_the_channel(env: Env, sentence_url: str) -> None:
    user = env.user("kim")
    expired = {"message": "Unknown Webhook", "code": 10015}
    env.fake.fail_next("PATCH", "/messages/@original", status=404, body=expired, times=1000)
    try:
        interaction = await slash(env, "caption", {"link": sentence_url}, user=user)
        posted = await env.fake.wait_for_message(
            lambda m: m.kind == "channel" and f"<@{user['id']}>" in (m.content or ""), timeout=60
        )
    finally:
        env.fake._failures.clear()
    assert "report" in text_of(posted, ".vtt").lower()
    store = env.bot.service.store
    await eventually(
        lambda: store.caption_for_message(env.guild.id, posted.message_id), what="caption stored"
    )
    assert not [m for m in env.fake.messages if m.interaction_token == interaction.token and m.files]
