"""Corrections as a hostile member would send them: a 1 MB edited .vtt, term floods, a full vocabulary, spam.

The real bot on the fake Discord; the test measures how late the shared event loop runs while the bot works
(a ticker task on the same loop), since a late loop means late gateway heartbeats and unanswered commands.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from bot.service.moderation import proposed_terms
from tests.discord_harness import Env, answer, bot_env, slash
from tests.test_discord_corrections import bot_reply_to, caption_id_of, captioned, reply_to

SENTENCE = "Please water the plants in the office before lunch."
MAX_TERMS = 10
MAX_VOCABULARY = 40
MAX_PENDING = 25  # proposals waiting for review, bounded apart from the approved vocabulary
PER_MINUTE = 6


@pytest_asyncio.fixture(scope="module")
async def env(tmp_path_factory, discord_shards: int) -> AsyncIterator[Env]:
    async with bot_env(
        tmp_path_factory.mktemp("discord-abuse"),
        shards=discord_shards,
        correction={
            "max_proposed_terms": MAX_TERMS,
            "max_vocabulary": MAX_VOCABULARY,
            "max_pending_proposals": MAX_PENDING,
        },
        discord={"user_corrections_per_minute": PER_MINUTE},
    ) as env:
        yield env


class LoopLag:
    """How late a 50 ms ticker on the event loop wakes up: the loop's worst stall while it runs."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        while True:
            before = time.monotonic()
            await asyncio.sleep(0.05)
            self.worst = max(self.worst, time.monotonic() - before - 0.05)

    def __enter__(self) -> LoopLag:
        self._task = asyncio.get_running_loop().create_task(self._tick())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


def made_up_words(count: int, start: int = 0) -> list[str]:
    """Invented words that look like jargon (a capital inside), so every one is a vocabulary candidate."""
    return [f"Zq{n:05x}" for n in range(start, start + count)]


def vtt_of(words: list[str], per_cue: int, seconds: float) -> str:
    lines = ["WEBVTT", ""]
    for index in range(0, len(words), per_cue):
        lines += [
            f"00:00:00.000 --> 00:00:0{min(seconds, 9.0):.3f}",
            " ".join(words[index : index + per_cue]),
            "",
        ]
    return "\n".join(lines)


def vocabulary_size(env: Env) -> int:
    return env.query("SELECT COUNT(*) FROM vocabulary WHERE guild_id = ?", env.guild.id)[0][0]


def terms_in(env: Env, status: str) -> int:
    return env.query(
        "SELECT COUNT(*) FROM vocabulary WHERE guild_id = ? AND status = ?", env.guild.id, status
    )[0][0]


def database_bytes(env: Env) -> int:
    path = env.config.database_path
    return sum(os.path.getsize(p) for p in (path, f"{path}-wal") if os.path.exists(p))


async def test_a_one_megabyte_vtt_reply_is_refused_quickly_without_stalling_the_bot(
    env: Env, make_speech
) -> None:
    _, caption = await captioned(env, make_speech, SENTENCE, env.user("poster"))
    words = made_up_words(110_000)
    content = vtt_of(words, 100, 2.0).encode()
    assert 900_000 < len(content) < 1_000_000  # just under the file size limit: it is parsed
    terms_before, bytes_before = vocabulary_size(env), database_bytes(env)
    attachment = env.fake.add_attachment("captions.vtt", content, "text/vtt")
    with LoopLag() as lag:
        started = time.monotonic()
        reply = await reply_to(env, caption, env.user("flooder"), attachments=[attachment])
        refusal = await bot_reply_to(env, reply)
        took = time.monotonic() - started
    print(f"1 MB vtt: answered in {took:.2f} s, event loop at most {lag.worst:.3f} s late")
    assert refusal.content.startswith("❌") and "characters" in refusal.content and "limit" in refusal.content
    assert took < 2.0 and lag.worst < 1.0
    assert vocabulary_size(env) == terms_before
    assert env.query("SELECT COUNT(*) FROM corrections WHERE caption_id = ?", caption_id_of(caption)) == [
        (0,)
    ]
    assert database_bytes(env) - bytes_before < 256 * 1024


def test_proposing_terms_is_linear_and_capped() -> None:
    corrected = " ".join(made_up_words(110_000))
    started = time.monotonic()
    found = proposed_terms("", corrected, limit=None)
    took = time.monotonic() - started
    print(f"110,000 candidate words proposed in {took:.2f} s")
    assert len(found) == 110_000 and took < 5.0  # the list version took 57 s
    assert proposed_terms("", corrected, limit=MAX_TERMS) == made_up_words(MAX_TERMS)


async def test_a_correction_adds_at_most_the_capped_number_of_terms(env: Env, make_speech) -> None:
    _, caption = await captioned(env, make_speech, SENTENCE, env.user("poster2"))
    before = vocabulary_size(env)
    content = vtt_of(made_up_words(30, start=200_000), 30, 2.0).encode()
    attachment = env.fake.add_attachment("captions.vtt", content, "text/vtt")
    reply = await reply_to(env, caption, env.user("inventor"), attachments=[attachment])
    confirmation = await bot_reply_to(env, reply)
    assert "Saved" in confirmation.content
    assert vocabulary_size(env) - before == MAX_TERMS


def rows_naming(env: Env, user_id: int) -> dict[str, int]:
    """Every row of every table that holds this user id in any column: what /forget must leave at zero."""
    found: dict[str, int] = {}
    for (table,) in env.query("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for column in [c[1] for c in env.query(f"PRAGMA table_info({table})")]:
            count = env.query(f'SELECT COUNT(*) FROM {table} WHERE "{column}" = ?', user_id)[0][0]
            if count:
                found[f"{table}.{column}"] = count
    return found


async def test_forget_leaves_no_row_or_file_of_the_user_and_says_what_stays(env: Env, make_speech) -> None:
    leaver, stayer = env.user("leaver"), env.user("stayer")
    uid = int(leaver["id"])
    _, own = await captioned(env, make_speech, "I recorded this note for the garden club.", leaver)
    # the same file posted by two members: one recording, two uploaders
    _, theirs = await captioned(
        env, make_speech, "The bakery on the corner sells fresh bread at dawn.", stayer
    )
    _, mine_too = await captioned(
        env, make_speech, "The bakery on the corner sells fresh bread at dawn.", leaver
    )
    own_audio, shared_audio = (
        env.query(
            "SELECT m.audio_path FROM captions c JOIN media m ON m.id = c.media_id WHERE c.id = ?", cid
        )[0][0]
        for cid in (caption_id_of(own), caption_id_of(theirs))
    )
    assert env.query("SELECT COUNT(*) FROM media_uploaders WHERE media_id ="
                     " (SELECT media_id FROM captions WHERE id = ?)", caption_id_of(theirs)) == [(2,)]  # fmt: skip
    for caption, user, text in [
        (theirs, leaver, "The bakery on the corner sells fresh Plimbort bread at dawn."),
        (theirs, stayer, "The bakery on the corner sells fresh bread at sunrise."),
        (own, stayer, "I recorded this note for the gardening club."),
    ]:
        assert "Saved" in (await bot_reply_to(env, await reply_to(env, caption, user, text))).content
    added = await answer(
        env, await slash(env, "vocab", {"terms": "Quorvelix"}, subcommand="suggest", user=leaver)
    )
    assert "Suggested" in added.content
    store = env.bot.service.store
    await env.bot.service.moderation.review_term(
        env.guild.id, "Quorvelix", approve=True
    )  # a moderator approved it
    legacy = await store.next_model_version(env.guild.id)
    await store.record_model(  # a version from before the trainer recorded its pairs
        env.guild.id, version=legacy, path="/models/old", promote=False, metrics={}, reason="old", job_id=None
    )
    all_pairs = [p for (p,) in env.query("SELECT id FROM training_pairs WHERE guild_id = ?", env.guild.id)]
    version = await store.next_model_version(env.guild.id)
    await store.record_model(  # as the trainer records a version trained on every pair
        env.guild.id, version=version, path="/models/vX", promote=False, metrics={"pair_ids": all_pairs},
        reason="test", job_id=None,
    )  # fmt: skip
    theirs_pairs = env.query(
        "SELECT COUNT(*) FROM training_pairs p JOIN corrections c ON c.id = p.correction_id"
        " WHERE c.user_id = ? OR c.caption_id IN (?, ?)", uid, caption_id_of(own), caption_id_of(mine_too),
    )[0][0]  # fmt: skip
    assert rows_naming(env, uid)

    prompt = await answer(env, await slash(env, "forget", user=leaver), lambda m: bool(m.components))
    buttons = {b["label"]: b["custom_id"] for row in prompt.components for b in row["components"]}
    await env.fake.dispatch_component_interaction(buttons["Delete my data"], prompt.message_id, user=leaver)
    done = await env.fake.wait_for_message(lambda m: m is prompt and "Done" in (m.content or ""), timeout=10)
    print(done.content)

    assert rows_naming(env, uid) == {}
    data_dir = env.config.data_dir  # the database names audio relative to it
    assert not (data_dir / own_audio).exists() and (data_dir / shared_audio).exists()
    assert (
        "deleted 1 correction, 2 captions you asked for, 1 recording only you had posted (1 stored audio file)"
        " and 1 vocabulary term your corrections proposed" in done.content
    )
    assert "Removed you from 1 recording others posted too" in done.content
    assert f"v{version} ({theirs_pairs} pairs)" in done.content and "never caption again" in done.content
    assert f"may hold it too: v{legacy}." in done.content
    terms = await store.vocabulary(env.guild.id)
    assert "Quorvelix" in terms and "Plimbort" not in terms
    assert env.query("SELECT COUNT(*) FROM corrections WHERE user_id = ?", int(stayer["id"])) == [(1,)]
    assert env.query("SELECT forgotten_pairs FROM model_versions WHERE version = ? AND guild_id = ?",
                     version, env.guild.id) == [(theirs_pairs,)]  # fmt: skip
    path = env.config.database_path
    stored = b"".join(Path(p).read_bytes() for p in (path, f"{path}-wal") if Path(p).exists())
    assert b"Plimbort" not in stored  # secure_delete: the deleted correction's words are not in free pages


async def _promote(env: Env, version: int, pair_ids: list[int]) -> Path:
    """A promoted version as the worker records it (its pairs, its plan), with a folder faster-whisper would
    load (only its model.bin is looked for before serving)."""
    from bot.core.transcription.serving import Route, ServingPlan

    store, guild = env.bot.service.store, env.guild.id
    folder = env.config.data_dir / "models" / str(guild) / f"v{version}" / "model"
    folder.mkdir(parents=True)
    (folder / "model.bin").write_bytes(b"weights")
    plan = ServingPlan(Route(f"v{version}"), Route(f"v{version}"), "better").as_dict()
    job = await store.enqueue_job(guild, requested_by=None, running_pid=os.getpid())
    active = await store.active_model(guild)
    await store.complete_retrain(
        guild, job, version=version, path=f"models/{guild}/v{version}/model", promote=True,
        metrics={"pair_ids": pair_ids, "serving": plan, "promoted": True}, reason="better",
        started_from=active.id if active else None, plan=plan,
    )  # fmt: skip
    return folder


async def test_forget_withdraws_the_versions_trained_on_the_members_data(env: Env, make_speech) -> None:
    """L5: a member's /forget withdraws every version trained on their pairs: the active one stops serving
    (the base captions), /model show says so, /rollback passes over a withdrawn version to the newest clean
    one, and a withdrawn version's weights go at the next pruning. A version without their pairs serves on."""
    from trainer.worker import prune_old_versions

    service, store, guild = env.bot.service, env.bot.service.store, env.guild.id
    member = env.user("trainer-of-v")
    _, caption = await captioned(env, make_speech, "The library opens at nine on Saturdays.", member)
    text = "The Brindlewick library opens at nine on Saturdays."
    assert "Saved" in (await bot_reply_to(env, await reply_to(env, caption, member, text))).content
    theirs = [p for (p,) in env.query(
        "SELECT p.id FROM training_pairs p JOIN corrections c ON c.id = p.correction_id WHERE c.user_id = ?",
        int(member["id"]),
    )]  # fmt: skip
    assert theirs
    first = await store.next_model_version(guild)
    clean = await _promote(env, first, [])  # learned nothing of theirs
    await _promote(env, first + 1, theirs)
    newest = await _promote(env, first + 2, theirs)
    assert (await service.model_for(guild, 3.0)).path == str(newest)  # control: the newest serves

    prompt = await answer(env, await slash(env, "forget", user=member), lambda m: bool(m.components))
    assert "withdrawn" in prompt.content
    buttons = {b["label"]: b["custom_id"] for row in prompt.components for b in row["components"]}
    await env.fake.dispatch_component_interaction(buttons["Delete my data"], prompt.message_id, user=member)
    done = await env.fake.wait_for_message(lambda m: m is prompt and "Done" in (m.content or ""), timeout=10)
    assert f"Withdrawn: model versions trained on your data never caption again: v{first + 1}" in done.content
    assert f"v{first + 2} (" in done.content and f"v{first} (" not in done.content

    base = env.bot.service.engine.base_choice().path
    assert (await service.model_for(guild, 3.0)).path == base  # the withdrawn active version never serves
    shown = await answer(env, await slash(env, "model", subcommand="show", user=env.user("viewer")))
    assert f"v{first + 2} is withdrawn" in shown.content and "(withdrawn by /forget)" in shown.content
    rolled = await answer(env, await slash(env, "rollback", user=env.moderator))
    assert f"now uses model v{first} again" in rolled.content, rolled.content  # past the withdrawn v{first+1}
    assert (await service.model_for(guild, 3.0)).path == str(clean)
    removed = await prune_old_versions(store, guild, env.config.data_dir)
    assert {p.parent.name for p in removed} == {f"v{first + 1}", f"v{first + 2}"}
    assert (clean / "model.bin").exists()
    assert await store.rollback_model(guild) is None  # the base again for the next tests (v1 is no model)


async def test_a_full_vocabulary_is_said_and_never_exceeded(env: Env, make_speech) -> None:
    """The approved vocabulary has its limit, the waiting proposals theirs (M4): neither fills the other."""
    user = env.moderator
    room = MAX_VOCABULARY - terms_in(env, "approved")
    words = made_up_words(room + 1, start=300_000)
    refused = await answer(
        env, await slash(env, "vocabmod", {"terms": ", ".join(words)}, subcommand="add", user=user)
    )
    assert refused.ephemeral and f"of the {MAX_VOCABULARY} terms allowed" in refused.content
    assert terms_in(env, "approved") == MAX_VOCABULARY - room
    added = await answer(
        env, await slash(env, "vocabmod", {"terms": ", ".join(words[:room])}, subcommand="add", user=user)
    )
    assert "Added" in added.content and terms_in(env, "approved") == MAX_VOCABULARY

    _, caption = await captioned(env, make_speech, SENTENCE, env.user("poster3"))
    waiting = terms_in(env, "proposed")
    assert waiting < MAX_PENDING  # a full vocabulary leaves the proposals' own room
    reply = await reply_to(env, caption, env.user("late"), "Please water the Glorbex plants in the office.")
    assert "Saved" in (await bot_reply_to(env, reply)).content
    assert terms_in(env, "proposed") == waiting + 1  # Glorbex waits for review
    flood = made_up_words(MAX_PENDING, start=400_000)  # then proposals fill their own bound
    await env.bot.service.store.add_terms(env.guild.id, flood, added_by=1, limit=MAX_PENDING, proposal=True)
    reply = await reply_to(env, caption, env.user("later"), "Please water the Flumbix plants in the office.")
    confirmation = await bot_reply_to(env, reply)
    assert "Saved" in confirmation.content
    assert f"{MAX_PENDING} proposed terms already wait" in confirmation.content, confirmation.content
    assert terms_in(env, "proposed") == MAX_PENDING and terms_in(env, "approved") == MAX_VOCABULARY


async def test_corrections_per_member_per_minute_are_limited(env: Env, make_speech) -> None:
    _, caption = await captioned(env, make_speech, SENTENCE, env.user("poster4"))
    user = env.user("spammer")
    answers = []
    for n in range(PER_MINUTE + 1):
        reply = await reply_to(env, caption, user, f"Please water the plants in the office before lunch {n}.")
        answers.append((await bot_reply_to(env, reply)).content)
    assert all("Saved" in a for a in answers[:PER_MINUTE])
    assert answers[-1].startswith("❌") and f"{PER_MINUTE} corrections in the last minute" in answers[-1]
    rows = env.query("SELECT COUNT(*) FROM corrections WHERE user_id = ?", int(user["id"]))
    assert rows == [(PER_MINUTE,)]
    other = await reply_to(
        env, caption, env.user("neighbour"), "Please water the plants in the office today."
    )
    assert "Saved" in (await bot_reply_to(env, other)).content
