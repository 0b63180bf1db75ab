"""Corrections (reply with text, reply with an edited .vtt, the Correct button's form), /vocab and /forget."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest_asyncio

from tests.discord_harness import (
    Env,
    answer,
    bot_env,
    caption_reply,
    eventually,
    post_voice_note,
    slash,
    text_of,
)
from tests.fake_discord import CallbackType, SentMessage

FIRST = "Our team meets every Monday morning in the small library."
SECOND = "The new bridge over the river opens next spring."
THIRD = "Bring your own lunch to the picnic on Saturday."


@pytest_asyncio.fixture(scope="module")
async def env(tmp_path_factory, discord_shards: int) -> AsyncIterator[Env]:
    async with bot_env(
        tmp_path_factory.mktemp("discord-corrections"), shards=discord_shards, training={"min_pairs": 10}
    ) as env:
        yield env


async def captioned(env: Env, make_speech, text: str, user) -> tuple[dict, SentMessage]:
    posted = await post_voice_note(env, make_speech(text, suffix=".ogg"), user=user)
    return posted, await caption_reply(env, posted)


def caption_id_of(message: SentMessage) -> int:
    custom_id = message.components[0]["components"][0]["custom_id"]
    return int(custom_id.rsplit(":", 1)[1])


def corrections(env: Env, caption_id: int) -> list[tuple]:
    return env.query("SELECT kind, text, user_id FROM corrections WHERE caption_id = ?", caption_id)


def pairs(env: Env, caption_id: int) -> int:
    return env.query(
        "SELECT COUNT(*) FROM training_pairs p JOIN corrections c ON c.id = p.correction_id WHERE c.caption_id = ?",
        caption_id,
    )[0][0]


async def reply_to(env: Env, message: SentMessage, user, content: str = "", attachments=()) -> dict:
    return await env.fake.dispatch_message(
        env.channel_id, user, content, attachments=list(attachments), message_reference=message.message_id
    )


async def bot_reply_to(env: Env, posted: dict, timeout: float = 20.0) -> SentMessage:
    return await env.fake.wait_for_message(lambda m: m.reference_message_id == int(posted["id"]), timeout)


async def test_reply_with_corrected_text_stores_pairs_and_confirms(env: Env, make_speech) -> None:
    _, caption = await captioned(env, make_speech, FIRST, env.user("poster"))
    fixer = env.user("fixer")
    caption_id = caption_id_of(caption)
    corrected = "Our team meets every Monday morning in the Zorblax library."
    reply = await reply_to(env, caption, fixer, corrected)
    confirmation = await bot_reply_to(env, reply)
    assert "Saved" in confirmation.content and "of the 10 pairs needed" in confirmation.content
    assert "Zorblax" in confirmation.content  # proposed as vocabulary
    await eventually(lambda: env.fake.reactions_on(int(reply["id"])) == {"✅"}, what="the ✅ reaction")
    rows = corrections(env, caption_id)
    assert [(kind, user) for kind, _, user in rows] == [("reply", int(fixer["id"]))]
    assert "Zorblax" in rows[0][1]
    assert pairs(env, caption_id) >= 1
    assert "Zorblax" in await env.bot.service.store.proposals(env.guild.id)  # waits for a moderator


async def test_reply_with_an_edited_vtt_is_a_correction(env: Env, make_speech) -> None:
    _, caption = await captioned(env, make_speech, SECOND, env.user("poster2"))
    vtt = text_of(caption, ".vtt")
    assert "bridge" in vtt.lower()
    edited = vtt.replace("bridge", "Quindle bridge", 1).replace("Bridge", "Quindle bridge", 1)
    attachment = env.fake.add_attachment("captions.vtt", edited.encode(), "text/vtt")
    reply = await reply_to(env, caption, env.user("editor"), attachments=[attachment])
    confirmation = await bot_reply_to(env, reply)
    assert "Saved" in confirmation.content
    rows = corrections(env, caption_id_of(caption))
    assert [kind for kind, _, _ in rows] == ["file"] and "Quindle" in rows[0][1]

    broken = env.fake.add_attachment(
        "captions.vtt", b"WEBVTT\n\nnot a cue at all\n00:99 --> nope\n", "text/vtt"
    )
    bad = await reply_to(env, caption, env.user("editor2"), attachments=[broken])
    refusal = await bot_reply_to(env, bad)
    assert refusal.content.startswith("❌") and "captions file" in refusal.content
    await eventually(lambda: "❌" in env.fake.reactions_on(int(bad["id"])), what="the ❌ reaction")
    assert len(corrections(env, caption_id_of(caption))) == 1

    picture = env.fake.add_attachment("shot.png", b"\x89PNG\r\n\x1a\n" + bytes(8), "image/png")
    odd = await reply_to(env, caption, env.user("editor3"), attachments=[picture])
    assert ".vtt or .srt" in (await bot_reply_to(env, odd)).content


async def test_correct_button_opens_a_prefilled_form_and_stores_the_correction(env: Env, make_speech) -> None:
    _, caption = await captioned(env, make_speech, THIRD, env.user("poster3"))
    caption_id = caption_id_of(caption)
    user = env.user("former")
    click = await env.fake.dispatch_component_interaction(
        f"caption:correct:{caption_id}", caption.message_id, user=user
    )
    modal = await env.fake.wait_for_interaction_response(click.token)
    assert modal.callback_type == CallbackType.MODAL
    field = modal.payload["components"][0]["component"]
    assert "lunch" in field["value"].lower() and field["max_length"] == 4000

    submit = await env.fake.dispatch_modal_submit(
        None, {"part1": "Bring your own Mervathon lunch to the picnic on Saturday."}, user=user
    )
    confirmation = await answer(env, submit)
    assert confirmation.ephemeral and "Saved" in confirmation.content
    rows = corrections(env, caption_id)
    assert [(kind, user_id) for kind, _, user_id in rows] == [("modal", int(user["id"]))]
    assert "Mervathon" in rows[0][1] and pairs(env, caption_id) >= 1


async def test_vocab_add_list_remove(env: Env) -> None:
    """Moderators add and remove (/vocabmod); members list, and /vocabmod add refuses them."""
    user, mod = env.user("wordsmith"), env.moderator
    refused = await answer(
        env, await slash(env, "vocabmod", {"terms": "Glimraid"}, subcommand="add", user=user)
    )
    assert refused.ephemeral and "can change the vocabulary" in refused.content
    assert "Glimraid" not in await env.bot.service.store.vocabulary(env.guild.id)
    added = await answer(
        env, await slash(env, "vocabmod", {"terms": "Glimraid, Kubernetes"}, subcommand="add", user=mod)
    )
    assert "Added" in added.content and "Glimraid" in added.content and not added.ephemeral
    listed = await answer(env, await slash(env, "vocab", subcommand="list", user=user))
    assert listed.ephemeral and "Glimraid" in listed.content and "Kubernetes" in listed.content
    removed = await answer(
        env, await slash(env, "vocabmod", {"terms": "Kubernetes"}, subcommand="remove", user=mod)
    )
    assert "Removed" in removed.content
    terms = await env.bot.service.store.vocabulary(env.guild.id)
    assert "Glimraid" in terms and "Kubernetes" not in terms
    empty = await answer(env, await slash(env, "vocabmod", {"terms": " , "}, subcommand="add", user=mod))
    assert empty.ephemeral and "at least one term" in empty.content


async def test_forget_deletes_the_users_rows_and_audio(env: Env, make_speech) -> None:
    user = env.user("leaver")
    _, own = await captioned(env, make_speech, "I recorded this message for the whole group.", user)
    _, other = await captioned(
        env, make_speech, "Someone else recorded this one yesterday.", env.user("stayer")
    )
    reply = await reply_to(env, other, user, "Someone else recorded this one on Tuesday.")
    await bot_reply_to(env, reply)
    uid = int(user["id"])
    stored = env.query("SELECT audio_path FROM media WHERE uploader_id = ?", uid)
    audio = [env.config.data_dir / p for (p,) in stored]  # relative to data_dir (bot/core/store/paths.py)
    assert audio and all(p.exists() for p in audio)
    assert env.query("SELECT COUNT(*) FROM corrections WHERE user_id = ?", uid) == [(1,)]

    prompt_interaction = await slash(env, "forget", user=user)
    prompt = await answer(env, prompt_interaction, lambda m: bool(m.components))
    assert prompt.ephemeral and "1 correction" in prompt.content
    buttons = {b["label"]: b["custom_id"] for row in prompt.components for b in row["components"]}
    click = await env.fake.dispatch_component_interaction(
        buttons["Delete my data"], prompt.message_id, user=user
    )
    done = await env.fake.wait_for_message(
        lambda m: m is prompt and (m.content or "").startswith("🗑️"), timeout=10
    )
    assert "1 correction" in done.content and "1 stored audio file" in done.content and not done.components
    del click
    assert env.query("SELECT COUNT(*) FROM corrections WHERE user_id = ?", uid) == [(0,)]
    assert env.query("SELECT COUNT(*) FROM media WHERE uploader_id = ?", uid) == [(0,)]
    assert not any(p.exists() for p in audio)
    assert env.query("SELECT COUNT(*) FROM corrections WHERE caption_id = ?", caption_id_of(other)) == [(0,)]

    # the user's own caption is gone with its audio: corrections to it are refused clearly
    late = await reply_to(env, own, env.user("latecomer"), "I recorded this message for the whole team.")
    refusal = await bot_reply_to(env, late)
    assert "no longer exists" in refusal.content
    click = await env.fake.dispatch_component_interaction(
        f"caption:correct:{caption_id_of(own)}", own.message_id
    )
    gone = await answer(env, click, lambda m: m.ephemeral)
    assert "no longer exists" in gone.content


async def test_ordinary_replies_are_left_alone(env: Env) -> None:
    chat = await env.fake.dispatch_message(env.channel_id, None, "hello")
    reply = await env.fake.dispatch_message(
        env.channel_id, env.user("chatty"), "hi!", message_reference=int(chat["id"])
    )
    await asyncio.sleep(0.3)
    assert not [m for m in env.fake.messages if m.reference_message_id == int(reply["id"])]
