"""What a Discord community expects beyond /caption: /help, per-channel settings, the Caption message command
and Caption buttons on links, through the real discord.py client against the fake Discord."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import pytest_asyncio

from bot.core.store import ChannelSetting
from tests.discord_harness import (
    Env,
    answer,
    bot_env,
    caption_reply,
    caption_result,
    post_voice_note,
    slash,
)
from tests.fake_discord import CallbackType, FakeDiscord, Perm, payloads

VOICE = "Please bring the blue folder to the meeting on Friday morning."
OLD_NOTE = "The garden party moved to Sunday because of the rain."  # its own audio: a media row of its own
ANNOUNCEMENT = "The library closes early on Thursday for the staff training."  # L4's, likewise
REQUESTED = "Our choir rehearses in the small hall after lunch."
TITLED = "The bakery on Elm Street sells warm bread every morning."  # L3's, likewise

COUNTED = ("media", "captions", "corrections", "training_pairs")


def counts(env: Env) -> dict[str, int]:
    return {table: env.query(f"SELECT COUNT(*) FROM {table}")[0][0] for table in COUNTED}


@pytest_asyncio.fixture(scope="module")
async def env(tmp_path_factory, discord_shards: int) -> AsyncIterator[Env]:
    def read_only_channel(fake: FakeDiscord) -> dict:
        """An announcements channel: @everyone reads, only Announcers (and the bot) post."""
        guild = next(iter(fake.guilds.values()))
        announcers = fake.add_role(guild.id, "Announcers", 0)
        overwrites = [
            {"id": str(guild.id), "type": 0, "allow": "0", "deny": str(Perm.SEND_MESSAGES)},
            {"id": str(announcers), "type": 0, "allow": str(Perm.SEND_MESSAGES), "deny": "0"},
            {"id": str(guild.role_id("Bot")), "type": 0, "allow": str(Perm.SEND_MESSAGES), "deny": "0"},
        ]
        spec = {"name": "announcements", "permission_overwrites": overwrites}
        channel = payloads.channel(fake.new_id(), guild.id, spec, len(guild.channels))
        guild.channels.append(channel)
        return {"announcers": announcers, "read_only": int(channel["id"])}

    async with bot_env(
        tmp_path_factory.mktemp("discord-community"),
        shards=discord_shards,
        prepare=read_only_channel,
        autocaption=False,  # a server that never turned autocaption on: it is opt-in
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


def channel_ids(env: Env) -> tuple[int, int]:
    general, notes = [int(c["id"]) for c in env.guild.channels if c["type"] == 0][:2]
    return general, notes


async def settings(env: Env, sub: str, user=None, **options) -> str:
    """Run a /settings subcommand and return the bot's answer text (asserting who may see it)."""
    reply = await answer(
        env, await slash(env, "settings", options, subcommand=sub, user=user or env.moderator)
    )
    return reply.content


async def captioned_only_in(env: Env, speech, *, silent: int, heard: int) -> None:
    """Post a voice note in each channel: the `heard` one gets its caption, the `silent` one nothing at all.

    The silent one is posted first; with one transcription at a time it would be answered first if at all.
    """
    quiet = await post_voice_note(env, speech, channel_id=silent)
    loud = await post_voice_note(env, speech, channel_id=heard)
    reply = await caption_reply(env, loud)
    assert "folder" in reply.content.lower() or "meeting" in reply.content.lower(), reply.content
    await asyncio.sleep(0.5)
    assert not [m for m in env.fake.messages if m.reference_message_id == int(quiet["id"])]
    assert env.fake.reactions_on(int(quiet["id"])) == set()


async def test_autocaption_per_channel_over_an_opt_in_server_default(env: Env, make_speech) -> None:
    general, notes = channel_ids(env)
    store = env.bot.service.store
    assert not await store.autocaption(env.guild.id)  # opt-in: a server starts with it off
    speech = make_speech(VOICE, suffix=".ogg")

    text = await settings(env, "autocaption", state="on", channel=notes)
    assert f"<#{notes}>" in text and "will be captioned" in text
    await captioned_only_in(env, speech, silent=general, heard=notes)

    # the server on, one channel kept off; the other channel follows the server again
    assert "in this server will be captioned" in await settings(env, "autocaption", state="on")
    assert f"<#{general}>" in await settings(env, "autocaption", state="off", channel=general)
    assert "follows the server" in await settings(env, "autocaption", state="default", channel=notes)
    await captioned_only_in(env, speech, silent=general, heard=notes)

    shown = await answer(env, await slash(env, "settings", subcommand="show", user=env.moderator))
    assert shown.ephemeral
    assert "Autocaption: on (server default)" in shown.content
    assert f"<#{general}>: autocaption off" in shown.content
    assert f"<#{notes}>" not in shown.content  # it follows the server: nothing of its own to list
    assert env.query(
        "SELECT channel_id, autocaption FROM channel_settings WHERE guild_id = ?", env.guild.id
    ) == [(general, 0)]


async def test_settings_refusals_are_one_private_line_and_write_nothing(env: Env) -> None:
    general, _ = channel_ids(env)
    before = env.query("SELECT * FROM channel_settings"), env.query("SELECT * FROM guild_settings")
    member = env.user("curious")
    for sub, options in (("autocaption", {"state": "on", "channel": general}), ("show", {})):
        reply = await answer(env, await slash(env, "settings", options, subcommand=sub, user=member))
        assert reply.ephemeral and reply.content.startswith("only members with the Manage Server"), (
            reply.content
        )
        assert "\n" not in reply.content
    reply = await answer(
        env, await slash(env, "settings", {"state": "default"}, subcommand="autocaption", user=env.moderator)
    )
    assert reply.ephemeral and "name a channel" in reply.content and "\n" not in reply.content
    assert (env.query("SELECT * FROM channel_settings"), env.query("SELECT * FROM guild_settings")) == before


# --- the Caption message command -----------------------------------------------------------------------------


async def menu(env: Env, message_id: int, user=None):
    return await env.fake.dispatch_context_menu("Caption", message_id, user=user or env.user("asker"))


async def test_caption_from_the_message_menu_replies_to_that_message(
    env: Env, make_speech, media_server
) -> None:
    general, _ = channel_ids(env)
    assert not await env.bot.service.store.channel_setting(env.guild.id, "autocaption", [general])
    author = env.user("author")
    posted = await post_voice_note(env, make_speech(OLD_NOTE, suffix=".ogg"), user=author, channel_id=general)
    await asyncio.sleep(0.3)  # autocaption is off here: nothing happens by itself
    assert not [m for m in env.fake.messages if m.reference_message_id == int(posted["id"])]

    asker = env.user("asker")
    asked = await menu(env, int(posted["id"]), user=asker)
    ack = await answer(env, asked)
    assert ack.ephemeral and "the captions will be a reply to it" in ack.content
    reply = await caption_reply(env, posted)
    assert "garden" in reply.content.lower() or "sunday" in reply.content.lower(), reply.content
    assert any(c["type"] == 1 for c in reply.components)  # the Correct button, as under every caption
    # the recording is the author's (their /forget reaches it); the asker only asked
    uploader = env.query("SELECT uploader_id FROM media ORDER BY id DESC LIMIT 1")[0][0]
    assert uploader == int(author["id"])

    # a link in an old message, on the allowlist
    url = media_server.publish(make_speech(VOICE), "menu-clip.wav")
    linked = await env.fake.dispatch_message(general, author, f"listen to this: {url}.")
    await menu(env, int(linked["id"]))
    assert "folder" in (await caption_reply(env, linked)).content.lower()


async def test_the_message_menu_refuses_what_it_cannot_caption(env: Env) -> None:
    general, _ = channel_ids(env)
    notes = env.fake.add_attachment("notes.txt", b"hello " * 20, "text/plain")
    cases = [
        (await env.fake.dispatch_message(general, None, "just words, no media"), "no audio, video or link"),
        (await env.fake.dispatch_message(general, None, "see https://example.com/video"), "not allowed"),
        (await env.fake.dispatch_message(general, None, "", attachments=[notes]), "no audio, video or link"),
    ]
    before = counts(env)
    for message, expected in cases:
        reply = await answer(env, await menu(env, int(message["id"])))
        assert reply.ephemeral and expected in reply.content and "\n" not in reply.content, reply.content
        assert reply.callback_type == CallbackType.CHANNEL_MESSAGE  # refused at once
        assert not [m for m in env.fake.messages if m.reference_message_id == int(message["id"])]
    assert counts(env) == before


async def test_the_message_menu_needs_an_asker_who_may_post_there_and_a_channel_that_allows_it(
    env: Env, make_speech
) -> None:
    """L4: the captions are a reply the bot posts for the asker. A reader of a read-only channel is refused
    (ephemeral, nothing stored) while a member who may post there is served; a channel where a moderator
    turned captions on request off refuses everyone, and serves again once it follows the server. The
    recording stays its author's: the author's opt-out keeps it from ever training, whoever asked."""
    general, _ = channel_ids(env)
    store, guild = env.bot.service.store, env.guild.id
    read_only, announcers = env.extra["read_only"], env.extra["announcers"]
    for channel in (read_only, general):  # only the menu captions here, whatever earlier tests turned on
        await store.set_channel_setting(guild, ChannelSetting.AUTOCAPTION, channel, False)
    author = env.fake.add_member(guild, "announcer", roles=[announcers])
    opted = await answer(env, await slash(env, "privacy", {"my_training": "out"}, user=author))
    assert opted.ephemeral
    speech = make_speech(ANNOUNCEMENT, suffix=".ogg")
    posted = await post_voice_note(env, speech, user=author, channel_id=read_only)

    before = counts(env)
    refused = await answer(env, await menu(env, int(posted["id"]), user=env.user("reader")))
    assert refused.ephemeral and refused.callback_type == CallbackType.CHANNEL_MESSAGE, refused.content
    assert "can't send messages in this channel" in refused.content and "\n" not in refused.content
    await asyncio.sleep(0.3)
    assert not [m for m in env.fake.messages if m.reference_message_id == int(posted["id"])]
    assert counts(env) == before

    colleague = env.fake.add_member(guild, "colleague", roles=[announcers])  # control: may post there
    asked = await answer(env, await menu(env, int(posted["id"]), user=colleague))
    assert "the captions will be a reply to it" in asked.content
    await caption_reply(env, posted)
    media_id, uploader = env.query("SELECT id, uploader_id FROM media ORDER BY id DESC LIMIT 1")[0]
    assert uploader == int(author["id"])
    assert env.query("SELECT user_id FROM media_uploaders WHERE media_id = ?", media_id) == [(uploader,)]
    assert not await store.may_train_on(guild, media_id, int(colleague["id"]))  # the author opted out

    text = await settings(env, "requests", state="off", channel=general)
    assert f"<#{general}>" in text and "refused" in text
    poster = env.user("poster")
    note = await post_voice_note(env, make_speech(REQUESTED, suffix=".ogg"), user=poster, channel_id=general)
    before = counts(env)
    refused = await answer(env, await menu(env, int(note["id"])))
    assert refused.ephemeral and "turned off in this channel" in refused.content, refused.content
    await asyncio.sleep(0.3)
    assert counts(env) == before
    shown = await settings(env, "show")
    assert f"<#{general}>: autocaption off, captions on request off" in shown

    assert "follows the server" in await settings(env, "requests", state="default", channel=general)
    await answer(env, await menu(env, int(note["id"])))  # control: the same ask, now served
    await caption_reply(env, note)
    media_id = env.query("SELECT id FROM media ORDER BY id DESC LIMIT 1")[0][0]
    assert await store.may_train_on(guild, media_id, None)  # a poster who did not opt out trains


MASKED = "[Free Nitro](https://evil.example/login)"


def renders_a_link(text: str) -> bool:
    """An unescaped masked link or a URL Discord would autolink (see test_discord_fuzz.py for the fuzzing)."""
    return re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(|(?i:https?)://", text) is not None


async def test_a_masked_link_in_a_title_or_a_suggested_term_is_shown_as_text(
    env: Env, make_speech, media_server, tmp_path
) -> None:
    """L3: a page titled with a masked link (yt-dlp reads the title) and a term suggested as one: the bot
    posts both as text, never as a link (the raw text, stored as it came, is one: control)."""
    clip = media_server.publish(make_speech(TITLED, suffix=".ogg"), "titled-clip.ogg")
    page = tmp_path / "titled.html"
    page.write_text(
        f"<html><head><title>{MASKED} @everyone</title></head>"
        f'<body><video src="{clip.rsplit("/", 1)[1]}"></video></body></html>'
    )
    url = media_server.publish(page, "titled.html")
    asked = await slash(env, "caption", {"link": url}, user=env.user("linker"))
    posted = await caption_result(env, asked)
    assert "bread" in posted.content.lower() or "bakery" in posted.content.lower(), posted.content
    stored = env.query("SELECT title FROM media ORDER BY id DESC LIMIT 1")[0][0]
    assert MASKED in stored and renders_a_link(stored)  # control: what the remote page said
    assert "Free Nitro" in posted.content and not renders_a_link(posted.content), posted.content
    assert "@everyone" not in posted.content

    suggested = await answer(
        env, await slash(env, "vocab", {"terms": MASKED}, subcommand="suggest", user=env.user("suggester"))
    )
    assert MASKED in await env.bot.service.store.proposals(env.guild.id)  # stored as written (control)
    assert "Free Nitro" in suggested.content and not renders_a_link(suggested.content), suggested.content
    review = await answer(env, await slash(env, "vocabmod", subcommand="review", user=env.moderator))
    assert "Free Nitro" in review.content and not renders_a_link(review.content)


# --- Caption buttons on links --------------------------------------------------------------------------------


def link_prompt(env: Env, message_id: int):
    found = [m for m in env.fake.messages if m.reference_message_id == message_id and not m.deleted]
    return [m for m in found if "Captions for this link" in (m.content or "")]


async def test_links_get_a_caption_button_where_turned_on_and_nothing_is_fetched_before_a_press(
    env: Env, make_speech, media_server
) -> None:
    general, notes = channel_ids(env)
    url = media_server.publish(make_speech(VOICE), "button-clip.wav")
    already = len(media_server.requested)  # the server is the session's: an earlier run (shards) fetched too
    fetched = lambda: [p for p in media_server.requested[already:] if "button-clip" in p]  # noqa: E731

    off_here = await env.fake.dispatch_message(general, None, f"no buttons in general: {url}")
    text = await settings(env, "linkbutton", state="on", channel=notes)
    assert f"<#{notes}>" in text and "Caption button" in text
    elsewhere = await env.fake.dispatch_message(notes, None, "not on the allowlist: https://example.com/v")
    posted = await env.fake.dispatch_message(notes, env.user("sharer"), f"watch <{url}>")
    prompt = await env.fake.wait_for_message(
        lambda m: (
            m.reference_message_id == int(posted["id"]) and "Captions for this link" in (m.content or "")
        ),
        10,
    )
    buttons = [b for row in prompt.components for b in row.get("components", [])]
    assert [b["custom_id"] for b in buttons] == [f"caption:link:{posted['id']}"]
    assert not link_prompt(env, int(off_here["id"])) and not link_prompt(env, int(elsewhere["id"]))
    assert fetched() == []  # a prompt only: nothing downloaded yet

    press = await env.fake.dispatch_component_interaction(
        f"caption:link:{posted['id']}", prompt.message_id, user=env.user("presser")
    )
    assert "the captions will be a reply to it" in (await answer(env, press)).content
    reply = await caption_reply(env, posted)
    assert "folder" in reply.content.lower() or "meeting" in reply.content.lower(), reply.content
    assert fetched()
    await asyncio.sleep(0.3)
    assert not link_prompt(env, int(posted["id"]))  # the prompt went once the captions were there
