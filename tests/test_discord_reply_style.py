"""A server's reply style (issue 22, part 5): plain text for short voice notes, the .vtt on a button, the file
for long media, through the real discord.py client against the fake Discord.

The control is the same voice note before a moderator chooses the style: it gets the .vtt attached, as every
server did before styles existed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.discord_harness import Env, answer, bot_env, caption_reply, post_voice_note, slash, text_of
from tests.fake_discord import SentMessage
from tests.speech import wer_plain_words

SHORT = "The garden needs water every morning during the summer."
LONG = (
    "Please send the quarterly report to the finance team before Friday afternoon, and remember that the "
    "garden needs water every morning during the summer."
)
MAX_SECONDS = 6.0  # the short note is under it, the long one over it


@pytest_asyncio.fixture(scope="module")
async def env(tmp_path_factory, discord_shards: int) -> AsyncIterator[Env]:
    async with bot_env(
        tmp_path_factory.mktemp("discord-reply-style"),
        shards=discord_shards,
        discord={"text_reply_max_seconds": MAX_SECONDS, "user_requests_per_minute": 20},
    ) as env:
        yield env


def buttons(message: SentMessage) -> dict[str, str]:
    return {b["label"]: b["custom_id"] for row in message.components for b in row["components"]}


async def captioned(env: Env, posted: dict) -> SentMessage:
    """The bot's reply to a posted note once it is a caption (file style or text style)."""
    return await env.fake.wait_for_message(
        lambda m: m.reference_message_id == int(posted["id"]) and "**Captions**" in (m.content or ""), 60.0
    )


async def test_a_text_server_gets_short_notes_as_words_the_vtt_on_a_button_and_long_media_as_a_file(
    env: Env, make_speech
) -> None:
    short = make_speech(SHORT, suffix=".ogg")
    before = await caption_reply(env, await post_voice_note(env, short, user=env.user("early")))
    assert before.file_names and before.file_names[0].endswith(".vtt")  # the default: the file, as before
    assert list(buttons(before)) == ["Correct"]

    refused = await answer(env, await slash(env, "settings", {"style": "text"}, subcommand="replies"))
    assert refused.ephemeral and "change the caption settings" in refused.content  # a member may not
    assert env.query("SELECT reply_style FROM guild_settings WHERE guild_id = ?", env.guild.id) == [(None,)]
    chosen = await answer(
        env, await slash(env, "settings", {"style": "text"}, subcommand="replies", user=env.moderator)
    )
    assert "plain text" in chosen.content and "0:06" in chosen.content, chosen.content
    assert env.query("SELECT reply_style FROM guild_settings WHERE guild_id = ?", env.guild.id) == [("text",)]

    poster = env.user("poster")
    posted = await post_voice_note(env, short, user=poster)
    reply = await captioned(env, posted)
    assert reply.files == [] and reply.file_names == []
    heard = reply.content.split("\n")[1]
    assert wer_plain_words(SHORT, heard) < 0.35, reply.content
    assert "garden" in heard.lower() and "voice message" in reply.content
    assert set(buttons(reply)) == {"Correct", "Get .vtt"}

    click = await env.fake.dispatch_component_interaction(
        buttons(reply)["Get .vtt"], reply.message_id, user=env.user("reader")
    )
    got = await answer(env, click)
    assert got.ephemeral and got.file_names and got.file_names[0].endswith(".vtt")
    vtt = text_of(got, ".vtt")
    assert vtt.startswith("WEBVTT") and "-->" in vtt and "garden" in vtt.lower()

    fixer = env.user("fixer")  # a reply to the plain caption is still a correction of it
    fix = await env.fake.dispatch_message(
        env.channel_id,
        fixer,
        "The garden needs water every morning during the summer.",
        message_reference=reply.message_id,
    )
    confirmation = await env.fake.wait_for_message(lambda m: m.reference_message_id == int(fix["id"]), 20.0)
    assert "Saved" in confirmation.content

    long_note = await caption_reply(env, await post_voice_note(env, make_speech(LONG, suffix=".ogg")))
    assert long_note.file_names[0].endswith(".vtt") and "report" in text_of(long_note, ".vtt").lower()
    assert "Get .vtt" not in buttons(long_note)


async def test_a_format_asked_for_is_a_file_and_a_gone_caption_says_so(env: Env, make_speech, media_server):
    await env.bot.service.set_reply_style(env.guild.id, "text")
    url = media_server.publish(make_speech(SHORT), "short.wav")
    asked = await slash(env, "caption", {"link": url, "format": "srt"}, user=env.user("asker"))
    result = await env.fake.wait_for_interaction_response(
        asked.token, lambda m: any(n.endswith(".srt") for n in m.file_names), 60.0
    )
    assert "Get .vtt" not in buttons(result)

    leaver = env.user("leaver")  # a plain caption whose poster then used /forget: the button says why
    gone = await captioned(env, await post_voice_note(env, make_speech(SHORT, suffix=".ogg"), user=leaver))
    assert not gone.file_names
    await env.bot.service.forget_user(env.guild.id, int(leaver["id"]))
    click = await env.fake.dispatch_component_interaction(buttons(gone)["Get .vtt"], gone.message_id)
    refusal = await answer(env, click)
    assert refusal.ephemeral and "no longer exists" in refusal.content and not refusal.file_names
