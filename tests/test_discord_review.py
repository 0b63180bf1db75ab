"""Moderators in charge of what the bot learns, through the real discord.py client against the fake Discord:
vocabulary proposals and their review, the corrections audit and who may correct, spelling rules."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.discord_harness import Env, answer, bot_env, caption_reply, post_voice_note, slash
from tests.fake_discord import FakeDiscord, SentMessage

SPOKEN = "Can someone restart the Zorblax service for Quindle?"
REFUSED = "only members with the Manage Server permission can {}."


@pytest_asyncio.fixture(scope="module")
async def env(tmp_path_factory) -> AsyncIterator[Env]:
    def other_guild(fake: FakeDiscord) -> dict:
        guild = fake.add_guild(name="Elsewhere", channels=["general"])
        return {"other": guild, "other_mod": fake.add_moderator(guild.id, "other-mod")}

    async with bot_env(tmp_path_factory.mktemp("discord-review"), prepare=other_guild) as env:
        yield env


async def correct(env: Env, caption: SentMessage, user, text: str) -> SentMessage:
    reply = await env.fake.dispatch_message(env.channel_id, user, text, message_reference=caption.message_id)
    return await env.fake.wait_for_message(lambda m: m.reference_message_id == int(reply["id"]), 30)


def buttons(message: SentMessage) -> list[str]:
    return [b["custom_id"] for row in message.components for b in row.get("components", [])]


async def test_proposals_wait_for_a_moderator_who_approves_or_rejects_them(env: Env, make_speech) -> None:
    store = env.bot.service.store
    other = env.extra["other"]
    suggestion = await slash(env, "vocab", {"terms": "Quindle"}, subcommand="suggest", guild_id=other.id)
    assert "Suggested Quindle" in (await answer(env, suggestion)).content
    member = env.user("fixer")
    caption = await caption_reply(env, await post_voice_note(env, make_speech(SPOKEN, suffix=".ogg")))
    confirmation = await correct(env, caption, member, SPOKEN)
    assert "Proposed for the vocabulary" in confirmation.content and "Zorblax" in confirmation.content
    assert await store.proposals(env.guild.id) == ["Zorblax", "Quindle"]
    assert await store.vocabulary(env.guild.id) == []  # no hint before a moderator approves it

    refused = await answer(env, await slash(env, "vocabmod", subcommand="review", user=member))
    assert refused.ephemeral and refused.content == REFUSED.format("review the vocabulary")
    review = await answer(env, await slash(env, "vocabmod", subcommand="review", user=env.moderator))
    assert "2 proposed terms" in review.content
    assert buttons(review) == [
        "vocab:approve:Zorblax", "vocab:reject:Zorblax", "vocab:approve:Quindle", "vocab:reject:Quindle"
    ]  # fmt: skip

    stale = await answer(env, await slash(env, "vocabmod", subcommand="review", user=env.moderator))
    press = await env.fake.dispatch_component_interaction(
        "vocab:approve:Zorblax", review.message_id, user=member
    )
    reply = await answer(env, press)
    assert reply.ephemeral and reply.content == REFUSED.format("review the vocabulary")
    assert await store.vocabulary(env.guild.id) == []

    for verb, expected in (("approve", "Zorblax approved"), ("reject", "Quindle rejected")):
        term = "Zorblax" if verb == "approve" else "Quindle"
        press = await env.fake.dispatch_component_interaction(
            f"vocab:{verb}:{term}", review.message_id, user=env.moderator
        )
        reply = await answer(env, press)
        assert reply.ephemeral and expected in reply.content
    assert await store.vocabulary(env.guild.id) == ["Zorblax"]
    assert await store.proposals(env.guild.id) == []

    await correct(env, caption, member, SPOKEN)  # the same correction again: Quindle stays rejected
    assert await store.proposals(env.guild.id) == []
    assert await store.vocabulary(env.guild.id) == ["Zorblax"]
    assert await store.proposals(other.id) == ["Quindle"]  # the other server's proposal is untouched
    assert await store.vocabulary(other.id) == []

    assert not buttons(await env.fake.wait_for_message(lambda m: m.message_id == review.message_id, 5))
    again = await env.fake.dispatch_component_interaction(  # a second moderator's older review message
        "vocab:reject:Quindle", stale.message_id, user=env.moderator
    )
    late = await answer(env, again)
    assert late.ephemeral and "no longer waiting for review" in late.content
