"""Consent before training: /privacy, the server's training switch, and a member's opt-out, through the real bot.

An opted-out member's voice notes and corrections make 0 training pairs (whoever corrects their recording),
and the pairs a retrain reads (trainer.worker.training_pairs, whose ids become the job's pair_ids) never
include them, also for pairs made before they opted out.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from bot.discord_app.formatting import TEACHES_HINT
from tests.discord_harness import Env, answer, bot_env, caption_reply, post_voice_note, slash
from tests.fake_discord import SentMessage
from trainer.worker import training_pairs

NOTE_A = "Our team meets every Monday morning in the small library."
NOTE_B = "The new bridge over the river opens next spring."
NOTE_C = "Bring your own lunch to the picnic on Saturday."
NOTE_D = "The museum closes early on public holidays."  # posted by one member only (a recording's posters all count)


@pytest_asyncio.fixture(scope="module")
async def env(tmp_path_factory, discord_shards: int) -> AsyncIterator[Env]:
    async with bot_env(tmp_path_factory.mktemp("discord-consent"), shards=discord_shards) as env:
        yield env


async def privacy(env: Env, user, **options: str) -> SentMessage:
    return await answer(env, await slash(env, "privacy", options or None, user=user), lambda m: m.ephemeral)


async def caption_of(env: Env, make_speech, text: str, user) -> SentMessage:
    return await caption_reply(env, await post_voice_note(env, make_speech(text, suffix=".ogg"), user=user))


def caption_id_of(message: SentMessage) -> int:
    return int(message.components[0]["components"][0]["custom_id"].rsplit(":", 1)[1])


async def correct(env: Env, caption: SentMessage, user, text: str) -> tuple[SentMessage, int]:
    """Reply with corrected text; the bot's confirmation and how many pairs the correction made."""
    reply = await env.fake.dispatch_message(env.channel_id, user, text, message_reference=caption.message_id)
    confirmation = await env.fake.wait_for_message(lambda m: m.reference_message_id == int(reply["id"]), 30)
    made = env.query(
        "SELECT COUNT(*) FROM training_pairs p JOIN corrections c ON c.id = p.correction_id"
        " WHERE c.caption_id = ?",
        caption_id_of(caption),
    )[0][0]
    return confirmation, made


async def pair_ids_a_retrain_reads(env: Env) -> set[int]:
    return {p.id for p in await training_pairs(env.config, env.bot.service.store, env.guild.id)}


def pair_ids_of(env: Env, caption: SentMessage) -> set[int]:
    rows = env.query(
        "SELECT p.id FROM training_pairs p JOIN corrections c ON c.id = p.correction_id WHERE c.caption_id = ?",
        caption_id_of(caption),
    )
    return {r[0] for r in rows}


async def test_an_opted_out_member_teaches_nothing_and_a_retrain_never_reads_them(
    env: Env, make_speech
) -> None:
    shy, keen, fixer = env.user("shy"), env.user("keen"), env.user("fixer")
    shown = await privacy(env, shy, my_training="out")
    assert "You opted out" in shown.content and "do not become training data" in shown.content

    theirs = await caption_of(env, make_speech, NOTE_A, shy)  # the opted-out member's voice note
    assert TEACHES_HINT not in theirs.content
    confirmation, made = await correct(
        env, theirs, fixer, "Our team meets every Monday in the Zorblax library."
    )
    assert made == 0 and "Saved 0 training pairs" in confirmation.content
    assert "does not train on it" in confirmation.content

    others = await caption_of(env, make_speech, NOTE_B, keen)  # their correction of someone else's note
    assert TEACHES_HINT in others.content  # control: the line shows where corrections do teach
    _, made = await correct(env, others, shy, "The new bridge over the Quindle river opens next spring.")
    assert made == 0

    control = await caption_of(env, make_speech, NOTE_C, keen)
    _, made = await correct(env, control, fixer, "Bring your own Glimraid lunch to the picnic on Saturday.")
    assert made >= 1  # control: consenting members make pairs, and the retrain reads them
    read = await pair_ids_a_retrain_reads(env)
    assert pair_ids_of(env, control) <= read
    assert not read & (pair_ids_of(env, theirs) | pair_ids_of(env, others))

    # Opting out later keeps the pairs already made out of every later retrain (the uploader governs them).
    later = await privacy(env, keen, my_training="out")
    assert "You opted out" in later.content
    assert not await pair_ids_a_retrain_reads(env) & pair_ids_of(env, control)
    back = await privacy(env, keen, my_training="default")
    assert "have not chosen" in back.content
    assert pair_ids_of(env, control) <= await pair_ids_a_retrain_reads(env)


async def test_the_server_switch_is_for_moderators_and_opt_in_needs_each_member(
    env: Env, make_speech
) -> None:
    member = env.user("member")
    refused = await answer(
        env,
        await slash(env, "settings", {"mode": "off"}, subcommand="training", user=member),
        lambda m: m.ephemeral,
    )
    assert "only members with the Manage Server permission" in refused.content
    assert await env.bot.service.store.training_mode(env.guild.id) == "opt_out"

    off = await answer(
        env, await slash(env, "settings", {"mode": "off"}, subcommand="training", user=env.moderator)
    )
    assert "does not train" in off.content
    assert "does not train" in (await privacy(env, member)).content  # every member sees it in /privacy
    assert await env.bot.service.count_pairs(env.guild.id) == 0
    assert not await pair_ids_a_retrain_reads(env)

    opt_in = await answer(
        env, await slash(env, "settings", {"mode": "opt_in"}, subcommand="training", user=env.moderator)
    )
    assert "only on the voice notes and corrections of members who opted in" in opt_in.content
    caption = await caption_of(env, make_speech, NOTE_A, member)
    assert TEACHES_HINT not in caption.content
    _, made = await correct(
        env, caption, member, "Our team meets every Monday morning in the Morblax library."
    )
    assert made == 0
    joined = await privacy(env, member, my_training="in")
    assert "can become training data" in joined.content
    caption = await caption_of(env, make_speech, NOTE_D, member)
    assert TEACHES_HINT in caption.content
    _, made = await correct(env, caption, member, "The Zorblax museum closes early on public holidays.")
    assert made >= 1
    await env.bot.service.set_training_mode(env.guild.id, "opt_out")
