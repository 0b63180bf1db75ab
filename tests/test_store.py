"""The store on both engines: schema and migrations, atomic writes, one open job per guild, guild isolation.

The `store` fixture runs each test twice, on a new SQLite file and on a new database of a real throwaway
PostgreSQL server (skipped, with the reason, where PostgreSQL cannot be started). Tests that look at what only
SQLite has (PRAGMAs, its lock, its file) open a SQLite file of their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from pathlib import Path

import pytest

from bot.core.errors import BusyError, CorrectionError, NotFoundError, StoreError
from bot.core.store import SCHEMA_VERSION, ChannelSetting, Store

GUILD_A, GUILD_B = 111, 222


@pytest.fixture
async def store(database):
    s = await Store.open(database)
    yield s
    await s.close()


async def _caption(store: Store, guild: int, sha: str = "abc") -> int:
    media_id = await store.add_media(
        guild, sha256=sha, source="clip.wav", title="clip", duration=10.0, audio_path="/x.wav", uploader_id=7
    )
    cue = {"start": 0.0, "end": 2.0, "text": "hello", "words": []}
    return await store.add_caption(
        guild,
        media_id=media_id,
        model_version="base",
        language="en",
        cues=[cue],
        text="hello",
        requester_id=7,
    )


async def test_a_new_database_has_the_current_schema(store):
    version = await store._engine.schema_version(store._db)
    tables = {
        "media",
        "captions",
        "corrections",
        "training_pairs",
        "vocabulary",
        "jobs",
        "model_versions",
    }
    found = (
        {r[0] for r in await store._all("SELECT name FROM sqlite_master WHERE type = 'table'", ())}
        if (isinstance(store.path, Path))
        else {
            r[0] for r in await store._all("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", ())
        }
    )
    assert version == SCHEMA_VERSION
    assert tables <= found


async def test_new_sqlite_database_is_wal_with_foreign_keys_and_current_schema(tmp_path):
    store = await Store.open(tmp_path / "captions.db")
    await store.close()
    db = sqlite3.connect(store.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {
        "media",
        "captions",
        "corrections",
        "training_pairs",
        "vocabulary",
        "jobs",
        "model_versions",
    } <= tables
    db.close()


async def test_a_newer_schema_is_refused_with_one_line(tmp_path):
    path = tmp_path / "future.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer than this program"):
        await Store.open(path)


async def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a readable caption database"):
        await Store.open(path)


async def test_captions_are_invisible_to_other_guilds(store):
    caption_id = await _caption(store, GUILD_A)
    assert (await store.get_caption(GUILD_A, caption_id)).text == "hello"
    with pytest.raises(NotFoundError):
        await store.get_caption(GUILD_B, caption_id)
    with pytest.raises(NotFoundError):
        await store.add_correction(
            GUILD_B, caption_id=caption_id, user_id=1, kind="text", text="x", cues=[], pairs=[(0, 1, "x")]
        )
    assert await store.count_corrections(GUILD_B) == 0
    assert await store.count_corrections(GUILD_A) == 0


async def test_correction_and_pairs_are_written_together(store):
    caption_id = await _caption(store, GUILD_A)
    # the second pair breaks the end > start check: nothing of this correction may remain
    with pytest.raises(StoreError, match="refused"):
        await store.add_correction(
            GUILD_A,
            caption_id=caption_id,
            user_id=1,
            kind="text",
            text="a b",
            cues=[],
            pairs=[(0.0, 1.0, "a"), (2.0, 1.0, "b")],
        )
    assert await store.count_corrections(GUILD_A) == 0
    assert await store.count_pairs(GUILD_A) == 0
    await store.add_correction(
        GUILD_A,
        caption_id=caption_id,
        user_id=1,
        kind="text",
        text="a b",
        cues=[],
        pairs=[(0.0, 1.0, "a"), (1.0, 2.0, "b")],
    )
    pairs = await store.training_pairs(GUILD_A)
    assert [(p.start, p.end, p.text) for p in pairs] == [(0.0, 1.0, "a"), (1.0, 2.0, "b")]
    assert await store.training_pairs(GUILD_B) == []


async def test_a_newer_correction_of_a_caption_replaces_the_older_pairs(store):
    caption_id = await _caption(store, GUILD_A)
    for text in ("first try", "second try"):
        await store.add_correction(
            GUILD_A,
            caption_id=caption_id,
            user_id=1,
            kind="text",
            text=text,
            cues=[],
            pairs=[(0.0, 2.0, text)],
        )
    assert [p.text for p in await store.training_pairs(GUILD_A)] == ["second try"]


async def test_vocabulary_is_per_guild_and_case_insensitive(store):
    assert await store.add_terms(GUILD_A, ["LoRA", "lora", "Kubernetes"], added_by=1) == [
        "LoRA",
        "Kubernetes",
    ]
    assert await store.vocabulary(GUILD_A) == ["Kubernetes", "LoRA"]
    assert await store.vocabulary(GUILD_B) == []
    assert await store.remove_terms(GUILD_B, ["LoRA"]) == []
    assert await store.remove_terms(GUILD_A, ["LORA"]) == ["LORA"]
    assert await store.vocabulary(GUILD_A) == ["Kubernetes"]


async def test_one_open_job_per_guild_and_atomic_claim(store):
    job = await store.enqueue_job(GUILD_A, requested_by=5)
    with pytest.raises(BusyError, match="already queued"):
        await store.enqueue_job(GUILD_A, requested_by=6)
    other = await store.enqueue_job(GUILD_B, requested_by=5)
    claimed = await store.claim_job(worker_pid=1234, guild_id=GUILD_A)
    assert claimed.id == job and claimed.status == "running"
    with pytest.raises(BusyError, match="already running"):
        await store.enqueue_job(GUILD_A, requested_by=6)
    assert (await store.claim_job(worker_pid=1234)).id == other
    assert await store.claim_job(worker_pid=1234) is None
    await store.finish_job(GUILD_A, job, succeeded=True, message="ok", result={"promoted": True})
    assert (await store.get_job(GUILD_A, job)).result == {"promoted": True}
    with pytest.raises(NotFoundError):
        await store.get_job(GUILD_B, job)
    await store.enqueue_job(GUILD_A, requested_by=6)  # allowed again once the first is done


async def test_a_job_without_heartbeat_is_failed_not_left_running(store, config):
    from trainer.worker import DEAD_WORKER_REASON, recover

    job = await store.enqueue_job(GUILD_A, requested_by=5)
    await store.claim_job(worker_pid=999999)
    stale = await recover(config, store)
    assert [j.id for j in stale] == [job]
    row = await store.get_job(GUILD_A, job)
    assert row.status == "failed" and row.message == DEAD_WORKER_REASON


async def test_promotion_keeps_one_active_model_and_rollback_restores_the_previous(store):
    for version in (1, 2):
        await store.record_model(
            GUILD_A,
            version=version,
            path=f"/m{version}",
            promote=True,
            metrics={"wer": 0.1},
            reason="",
            job_id=None,
        )
    await store.record_model(
        GUILD_A, version=3, path="/m3", promote=False, metrics={}, reason="worse", job_id=None
    )
    assert (await store.active_model(GUILD_A)).version == 2
    assert await store.active_model(GUILD_B) is None
    assert (await store.rollback_model(GUILD_A)).version == 1
    assert await store.rollback_model(GUILD_A) is None
    with pytest.raises(NotFoundError, match="base model"):
        await store.rollback_model(GUILD_A)


async def test_forget_user_removes_their_corrections_and_uploads(store):
    caption_id = await _caption(store, GUILD_A)
    await store.add_correction(
        GUILD_A, caption_id=caption_id, user_id=9, kind="text", text="x", cues=[], pairs=[(0.0, 1.0, "x")]
    )
    report = await store.forget_user(GUILD_A, 9)
    assert report.corrections == 1 and report.audio_paths == [] and report.media == 0
    assert await store.count_pairs(GUILD_A) == 0
    report = await store.forget_user(GUILD_A, 7)  # the uploader of the media
    assert report.audio_paths == ["/x.wav"] and report.media == 1
    with pytest.raises(NotFoundError):
        await store.get_caption(GUILD_A, caption_id)


async def test_a_locked_database_gives_a_clear_error(tmp_path):
    path = tmp_path / "locked.db"
    store = await Store.open(path)
    blocker = sqlite3.connect(path, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        await store._db.execute("PRAGMA busy_timeout = 100")  # fail fast instead of waiting 15 s
        with pytest.raises(StoreError, match="locked by another program"):
            await store.add_terms(GUILD_A, ["x"], added_by=None)
    finally:
        blocker.rollback()
        blocker.close()
        await store.close()


async def test_forget_succeeds_while_another_task_reads_and_truncates_the_wal_once_it_ends(tmp_path):
    """The CI failure of stop 28: /forget's rows were deleted, yet the member read "the database is locked",
    because the WAL checkpoint ran while another task's read on the bot's one connection was between its
    query and its fetch. The checkpoint now waits for that read; the WAL still ends up empty."""
    path = tmp_path / "forget.db"
    store = await Store.open(path)
    try:
        caption_id = await _caption(store, GUILD_A)
        await store.add_correction(
            GUILD_A, caption_id=caption_id, user_id=9, kind="text", text="x", cues=[], pairs=[(0.0, 1.0, "x")]
        )
        reading = await store._db.execute(
            "SELECT name FROM sqlite_master"
        )  # another task's read, half fetched
        await reading.fetchone()

        async def finish_the_read() -> None:
            await asyncio.sleep(0.3)
            await reading.close()

        finisher = asyncio.create_task(finish_the_read())
        report = await store.forget_user(GUILD_A, 9)
        await finisher
        assert report.corrections == 1 and await store.count_pairs(GUILD_A) == 0
        assert Path(f"{path}-wal").stat().st_size == 0  # truncated once the read ended
    finally:
        await store.close()


async def test_a_version_1_database_is_migrated_and_keeps_its_rows(tmp_path):
    from bot.core.store.migrations import MIGRATIONS, _statements

    path = tmp_path / "v1.db"
    db = sqlite3.connect(path)
    for statement in _statements(MIGRATIONS[0]):
        db.execute(statement)
    db.execute("INSERT INTO vocabulary (guild_id, term, created_at) VALUES (?, 'Zorblax', 0)", (GUILD_A,))
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    store = await Store.open(path)
    try:
        assert await store.vocabulary(GUILD_A) == ["Zorblax"]
        assert await store._scalar("PRAGMA user_version") == SCHEMA_VERSION >= 2
        assert await store.leftover_pending_captions() == []
    finally:
        await store.close()


async def test_pending_caption_requests_are_per_guild_and_removed_once(store):
    first = await store.add_pending_caption(
        GUILD_A, channel_id=5, user_id=7, message_id=9, kind="link", label="https://youtu.be/x"
    )
    await store.add_pending_caption(GUILD_B, channel_id=6, user_id=8, message_id=None, kind="voice", label="")
    assert [(r.user_id, r.kind, r.label) for r in await store.pending_captions(GUILD_A)] == [
        (7, "link", "https://youtu.be/x")
    ]
    assert not await store.remove_pending_caption(GUILD_B, first)  # another guild cannot touch it
    assert [r.guild_id for r in await store.leftover_pending_captions()] == [GUILD_A, GUILD_B]
    assert await store.remove_pending_caption(GUILD_A, first)
    assert not await store.remove_pending_caption(GUILD_A, first)
    assert [r.guild_id for r in await store.leftover_pending_captions()] == [GUILD_B]
    with pytest.raises(StoreError, match="refused"):
        await store.add_pending_caption(GUILD_A, channel_id=5, user_id=7, message_id=9, kind="x", label="")


async def test_channel_settings_override_the_server_and_stay_in_their_guild(store):
    from bot.core.store import ChannelSetting

    auto, links = ChannelSetting.AUTOCAPTION, ChannelSetting.LINK_BUTTONS
    assert not await store.autocaption(GUILD_A)  # opt-in
    await store.set_channel_setting(GUILD_A, auto, 5, True)
    await store.set_channel_setting(GUILD_A, links, 6, True)
    assert await store.channel_setting(GUILD_A, auto, [5])
    assert not await store.channel_setting(GUILD_A, auto, [6])
    assert await store.channel_setting(GUILD_A, auto, [99, 5])  # a thread without its own: its parent's
    assert not await store.channel_setting(GUILD_B, auto, [5])  # same channel id, another guild
    await store.set_autocaption(GUILD_A, True)
    assert not await store.server_setting(GUILD_A, links)  # setting one switch leaves the other off
    await store.set_channel_setting(GUILD_A, auto, 6, False)
    assert not await store.channel_setting(GUILD_A, auto, [6])
    await store.set_channel_setting(GUILD_A, auto, 6, None)  # follows the server again
    assert await store.channel_setting(GUILD_A, auto, [6])
    shown = await store.server_settings(GUILD_A)
    assert (shown.autocaption, shown.link_buttons) == (True, False)
    assert [(c.channel_id, c.autocaption, c.link_buttons) for c in shown.channels] == [
        (5, True, None),
        (6, None, True),
    ]
    assert (await store.server_settings(GUILD_B)).channels == ()
    with pytest.raises(ValueError):
        await store.set_channel_setting(GUILD_A, auto, None, None)


async def test_a_servers_reply_style_is_file_until_set_and_stays_in_its_guild(store):
    assert await store.reply_style(GUILD_A) == "file"  # no row yet: the reply every server had before
    await store.set_autocaption(GUILD_A, True)
    assert await store.reply_style(GUILD_A) == "file"  # a row without the column set
    await store.set_reply_style(GUILD_A, "text")
    assert await store.reply_style(GUILD_A) == "text"
    assert await store.reply_style(GUILD_B) == "file"
    assert (await store.server_settings(GUILD_A)).reply_style == "text"
    assert await store.autocaption(GUILD_A)  # the other switches stay as they were
    await store.set_reply_style(GUILD_B, "text")  # a first write of a guild: every switch off
    assert not await store.autocaption(GUILD_B)
    with pytest.raises(ValueError):
        await store.set_reply_style(GUILD_A, "embed")
    assert await store.reply_style(GUILD_A) == "text"


async def test_servers_that_used_the_bot_keep_autocaption_after_it_became_opt_in(tmp_path):
    from bot.core.store.migrations import MIGRATIONS, _statements

    mine = next(i for i, script in enumerate(MIGRATIONS) if "CREATE TABLE channel_settings" in script)
    path = tmp_path / "before.db"
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:mine]:
        for statement in _statements(script):
            db.execute(statement)
    db.execute(
        "INSERT INTO media (guild_id, sha256, source, duration, created_at) VALUES (?, 'x', 'voice', 1, 0)",
        (GUILD_A,),
    )
    db.execute(f"PRAGMA user_version = {mine}")
    db.commit()
    db.close()
    store = await Store.open(path)
    try:
        assert await store.autocaption(GUILD_A)  # it had autocaption on (the old default) and keeps it
        assert not await store.autocaption(GUILD_B)  # a server new to the bot starts with it off
    finally:
        await store.close()


async def test_store_errors_never_show_the_database_path_but_log_it(tmp_path, caplog):
    """What a Discord member may read (str(error)) names no folder of the host; the log keeps the path."""
    caplog.set_level("INFO", logger="bot.core.store")
    messages = []
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    future = tmp_path / "future.db"
    with contextlib.closing(sqlite3.connect(future)) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    for path in (junk, future):
        with pytest.raises(StoreError) as refused:
            await Store.open(path)
        messages.append((str(refused.value), path))
    path = tmp_path / "locked.db"
    store = await Store.open(path)
    blocker = sqlite3.connect(path, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        await store._db.execute("PRAGMA busy_timeout = 100")
        with pytest.raises(StoreError) as locked:
            await store.add_terms(GUILD_A, ["x"], added_by=None)
        messages.append((str(locked.value), path))
    finally:
        blocker.rollback()
        blocker.close()
    caption_id = await _caption(store, GUILD_A)
    with pytest.raises(StoreError) as refused_change:
        await store.add_correction(
            GUILD_A, caption_id=caption_id, user_id=1, kind="text", text="a", cues=[], pairs=[(2.0, 1.0, "a")]
        )
    messages.append((str(refused_change.value), path))
    await store.close()
    for message, where in messages:
        assert str(tmp_path) not in message and "/" not in message and where.name not in message
        assert str(where) in caplog.text
    assert [m.split(";")[0] for m, _ in messages] == [
        "the database file is not a readable caption database",
        f"the database has schema version {SCHEMA_VERSION + 1}, newer than this program's {SCHEMA_VERSION}",
        "the database is locked by another program",
        "the database refused this change",
    ]


async def test_discord_ids_are_64_bit(store):
    """Snowflakes go past 2**31 (PostgreSQL's INTEGER): every id column holds them whole."""
    guild, user, channel, message = 2**62 + 1, 2**63 - 1, 2**60 + 3, 2**61 + 5
    media_id = await store.add_media(
        guild, sha256="s", source="x", title="t", duration=1.0, audio_path="/a.wav", uploader_id=user
    )
    caption_id = await store.add_caption(
        guild,
        media_id=media_id,
        model_version="base",
        language="en",
        cues=[],
        text="hi",
        requester_id=user,
        channel_id=channel,
    )
    await store.set_caption_message(guild, caption_id, message)
    job = await store.enqueue_job(guild, requested_by=user, channel_id=channel)
    caption = await store.caption_for_message(guild, message)
    assert caption is not None and (caption.requester_id, caption.channel_id) == (user, channel)
    assert (await store.get_job(guild, job)).requested_by == user
    assert (await store.get_media(guild, media_id)).uploader_id == user


async def test_a_claimed_job_names_its_worker_by_host_and_pid(store):
    import socket

    job = await store.enqueue_job(GUILD_A, requested_by=5)
    claimed = await store.claim_job(worker_pid=4321)
    assert claimed is not None and claimed.id == job
    assert (claimed.worker_pid, claimed.worker_host) == (4321, socket.gethostname())


async def test_a_job_that_was_ended_keeps_its_first_ending(store):
    """A worker taken for dead (its job failed by another) cannot turn its job into a success later."""
    job = await store.enqueue_job(GUILD_A, requested_by=5, running_pid=999999)
    await store.finish_job(GUILD_A, job, succeeded=False, message="its worker died")
    await store.finish_job(GUILD_A, job, succeeded=True, message="done", result={})
    with pytest.raises(StoreError, match="already ended"):
        await store.complete_retrain(
            GUILD_A, job, version=1, path="/m1", promote=True, metrics={}, reason="better", started_from=None
        )
    ended = await store.get_job(GUILD_A, job)
    assert (ended.status, ended.message) == ("failed", "its worker died")
    assert await store.model_history(GUILD_A) == []


async def test_a_worker_on_another_host_is_judged_by_its_heartbeat_not_its_pid(store, config):
    """Pid 999999 lives on no machine here, but a pid on another host says nothing about this one: that job
    stays running while its heartbeat is fresh, and is failed once the heartbeat is older than the timeout."""
    from trainer.worker import DEAD_WORKER_REASON, recover

    job = await store.enqueue_job(GUILD_A, requested_by=5, running_pid=999999)
    await store._execute("UPDATE jobs SET worker_host = 'trainer-b' WHERE id = ?", (job,))
    assert await recover(config, store) == []
    assert (await store.get_job(GUILD_A, job)).status == "running"
    stale = config.training.heartbeat_timeout_seconds + 1
    await store._execute("UPDATE jobs SET heartbeat_at = heartbeat_at - ? WHERE id = ?", (stale, job))
    assert [j.id for j in await recover(config, store)] == [job]
    ended = await store.get_job(GUILD_A, job)
    assert ended.status == "failed" and ended.message == DEAD_WORKER_REASON


async def test_a_spelling_rule_needs_two_members_two_recordings_and_an_approved_term(store):
    """M2: one member correcting two recordings, two members correcting the same clip captioned twice, or a
    term only proposed: no rule. A second member on a second recording, with the term approved: the rule."""
    g = GUILD_A

    async def fix(caption: int, user: int, heard: str, term: str) -> None:
        await store.add_correction(
            g, caption_id=caption, user_id=user, kind="text", text=term, cues=[],
            pairs=[(0.0, 1.0, term)], spellings=[(heard, term)],
        )  # fmt: skip

    await store.add_terms(g, ["Zorblax"], added_by=1)
    assert await store.add_terms(g, ["Quindle"], added_by=2, proposal=True) == ["Quindle"]
    one, two = await _caption(store, g, "one"), await _caption(store, g, "two")
    await fix(one, 5, "sorb lax", "Zorblax")
    await fix(two, 5, "sorb lax", "Zorblax")  # the same member again
    same_clip = await store.add_caption(  # the first recording captioned a second time
        g, media_id=(await store.get_caption(g, one)).media_id, model_version="base", language="en",
        cues=[], text="hello", requester_id=6,
    )  # fmt: skip
    for caption, user in ((one, 6), (same_clip, 7)):
        await fix(caption, user, "win dull", "Quindle")  # two members, but a proposal...
    await fix(same_clip, 6, "zor", "Zorblax")
    await fix(one, 7, "zor", "Zorblax")  # ...and two members on one recording
    assert await store.spelling_rules(g, min_captions=2) == []
    await store.review_term(g, "Quindle", approve=True)
    assert await store.spelling_rules(g, min_captions=2) == []  # still one recording for Quindle
    three = await _caption(store, g, "three")
    await fix(three, 8, "sorb lax", "Zorblax")  # a second member, a third recording: a rule
    rules = await store.spelling_rules(g, min_captions=2)
    assert [(r.heard, r.term) for r in rules] == [("sorb lax", "Zorblax")]


async def test_moderation_queries_answer_alike_on_both_engines(store):
    """The queries whose SQL differs most between dialects (optional filters, HAVING, case-insensitive
    terms, upserts, the kept-versions window) give the same answers on SQLite and PostgreSQL."""
    g = GUILD_A
    first, second = await _caption(store, g, "a"), await _caption(store, g, "b")
    await store.add_terms(g, ["Zorblax"], added_by=1)
    assert await store.add_terms(g, ["Quindle", "quindle"], added_by=2, proposal=True) == ["Quindle"]
    for caption, user in ((first, 2), (second, 3)):
        await store.add_correction(
            g,
            caption_id=caption,
            user_id=user,
            kind="text",
            text="zorblax",
            cues=[],
            pairs=[(0.0, 1.0, "zorblax")],
            spellings=[("sorb lax", "Zorblax")],
        )
    assert [c.user_id for c in await store.corrections(g)] == [3, 2]
    assert [c.user_id for c in await store.corrections(g, user_id=2)] == [2]
    assert [c.caption_id for c in await store.corrections(g, caption_id=second)] == [second]
    assert await store.review_term(g, "QUINDLE", approve=True) == "Quindle"
    rules = await store.spelling_rules(g, min_captions=2)
    assert [(r.heard, r.term, r.captions) for r in rules] == [("sorb lax", "Zorblax", 2)]
    assert await store.remove_spelling_rule(g, "SORB LAX") == ["Zorblax"]
    assert await store.spelling_rules(g, min_captions=1) == []
    await store.set_corrector_role(g, 2**60)
    assert await store.corrector_role(g) == 2**60
    for version in range(1, 8):
        await store.record_model(
            g, version=version, path=f"/m{version}", promote=True, metrics={}, reason="", job_id=None
        )
    assert [v.version for v in await store.versions_to_prune(g)] == [1, 2]
    assert (await store.rollback_model(g)).version == 6
    assert [v.version for v in await store.versions_to_prune(g)] == [1, 2, 7]  # rolled back (M5)


async def test_file_paths_of_an_older_release_become_relative_to_the_data_dir(tmp_path):
    """Audio and model paths written with any data_dir (absolute, or relative to the working directory)
    keep only the part under data_dir, so another machine mounting it elsewhere finds the files; a path this
    program did not write in that shape is left exactly as it was."""
    from bot.core.store.migrations import MIGRATIONS, _statements

    mine = next(i for i, script in enumerate(MIGRATIONS) if "SET audio_path = 'audio/'" in script)
    sha = "ab" * 32
    media = {
        "old-absolute": f"/srv/captions/data/audio/{GUILD_A}/{sha}.wav",
        "old-relative": f"data/audio/{GUILD_A}/{sha[:-1]}c.wav",  # not its own sha: left alone
        "elsewhere": "/x.wav",
    }
    path = tmp_path / "before.db"
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:mine]:
        for statement in _statements(script):
            db.execute(statement)
    for name, audio in media.items():
        db.execute(
            "INSERT INTO media (guild_id, sha256, source, duration, audio_path, created_at)"
            " VALUES (?, ?, ?, 1, ?, 0)",
            (GUILD_A, sha if name == "old-absolute" else name, name, audio),
        )
    db.execute(
        "INSERT INTO media (guild_id, sha256, source, duration, audio_path, created_at)"
        " VALUES (?, ?, 'relative', 1, ?, 0)",
        (GUILD_B, sha, f"data/audio/{GUILD_B}/{sha}.wav"),
    )
    for version, model in ((1, "/tmp/someone/picked/this"), (2, f"data/models/{GUILD_A}/v2/model")):
        db.execute(
            "INSERT INTO model_versions (guild_id, version, path, status, created_at) VALUES (?, ?, ?, ?, 0)",
            (GUILD_A, version, model, "retired" if version == 1 else "active"),
        )
    db.execute(f"PRAGMA user_version = {mine}")
    db.commit()
    db.close()
    store = await Store.open(path)
    try:
        audio = {r["source"]: r["audio_path"] for r in await store._all("SELECT * FROM media", ())}
        models = [(m.version, m.path) for m in await store.model_history(GUILD_A)]
    finally:
        await store.close()
    assert audio == {
        "old-absolute": f"audio/{GUILD_A}/{sha}.wav",
        "old-relative": media["old-relative"],
        "elsewhere": "/x.wav",
        "relative": f"audio/{GUILD_B}/{sha}.wav",
    }
    assert sorted(models) == [(1, "/tmp/someone/picked/this"), (2, f"models/{GUILD_A}/v2/model")]


async def test_the_moderator_role_is_an_id_per_server_with_the_configs_id_as_fallback(store):
    """L6: each server's moderator role is a role id of its own; a server that set none falls back to the
    config's role id (or none), never to a role name; the captions index for a member's rows exists."""
    from bot.core.config import config_from_dict
    from bot.service.guild_settings import GuildSettings

    assert await store.moderator_role(GUILD_A) is None
    await store.set_moderator_role(GUILD_A, 2**60)
    assert await store.moderator_role(GUILD_A) == 2**60 and await store.moderator_role(GUILD_B) is None
    # a server's own role wins over the config's; a server without one gets the config's id
    service = GuildSettings(config_from_dict({"discord": {"moderator_role": "42"}}), store, None)  # type: ignore[arg-type]
    assert await service.moderator_role(GUILD_A) == 2**60 and await service.moderator_role(GUILD_B) == 42
    plain = GuildSettings(config_from_dict({}), store, None)  # type: ignore[arg-type]
    assert await plain.moderator_role(GUILD_B) is None  # Manage Server only
    await store.set_moderator_role(GUILD_A, None)
    assert await service.moderator_role(GUILD_A) == 42
    indexes = (
        await store._all("SELECT name FROM sqlite_master WHERE type = 'index'", ())
        if isinstance(store.path, Path)
        else await store._all("SELECT indexname FROM pg_indexes WHERE tablename = 'captions'", ())
    )
    assert "captions_by_requester" in {r[0] for r in indexes}


async def test_captions_on_request_are_on_until_a_server_or_channel_turns_them_off(store):
    """L4: the Caption message command's switch defaults on (the other switches are opt-in), a channel's own
    value wins over the server's, and a channel that follows the server again keeps no row."""
    on_request = ChannelSetting.ON_REQUEST
    assert await store.channel_setting(GUILD_A, on_request, [5, 6])  # no row at all: on
    await store.set_autocaption(GUILD_A, True)  # a guild row written by another switch: still on
    assert await store.channel_setting(GUILD_A, on_request, [5, 6])
    await store.set_channel_setting(GUILD_A, on_request, 6, False)  # the parent channel off
    assert not await store.channel_setting(GUILD_A, on_request, [5, 6])  # a thread of it follows it
    assert await store.channel_setting(GUILD_B, on_request, [5, 6])  # control: another guild's
    await store.set_channel_setting(GUILD_A, on_request, 5, True)  # the thread's own wins
    assert await store.channel_setting(GUILD_A, on_request, [5, 6])
    settings = await store.server_settings(GUILD_A)
    assert settings.on_request and {(c.channel_id, c.on_request) for c in settings.channels} == {
        (5, True),
        (6, False),
    }
    await store.set_channel_setting(GUILD_A, on_request, 5, None)
    await store.set_channel_setting(GUILD_A, on_request, 6, None)
    assert (await store.server_settings(GUILD_A)).channels == ()
    await store.set_channel_setting(GUILD_A, on_request, None, False)
    assert not await store.channel_setting(GUILD_A, on_request, [5, 6])


async def test_proposals_and_approved_terms_are_bounded_apart_and_rejected_by_time(store):
    """M4: waiting proposals count toward their own bound, approved terms toward theirs; approving past the
    vocabulary's limit is refused in the same transaction; bulk reject takes what was proposed up to a time."""
    assert await store.add_terms(GUILD_A, ["Aone", "Atwo"], added_by=1, limit=2) == ["Aone", "Atwo"]
    # two approved terms fill an approved limit of 2, yet proposals still fit under their own bound of 3
    proposed = await store.add_terms(
        GUILD_A, ["Pone", "Ptwo", "Pthree", "Pfour"], added_by=2, limit=3, proposal=True
    )
    assert proposed == ["Pone", "Ptwo", "Pthree"]  # the fourth is past the proposals' bound
    assert await store.count_terms(GUILD_A) == 2 and await store.count_terms(GUILD_A, proposed=True) == 3
    assert await store.add_terms(GUILD_A, ["Athree"], added_by=1, limit=2) == []  # approved: full
    with pytest.raises(CorrectionError, match="vocabulary is full"):
        await store.review_term(GUILD_A, "Pone", approve=True, limit=2)
    assert await store.proposals(GUILD_A) == ["Pone", "Ptwo", "Pthree"]  # nothing changed
    assert await store.review_term(GUILD_A, "Pone", approve=True, limit=3) == "Pone"  # control: room
    cutoff = time.time()
    await asyncio.sleep(0.01)
    await store.add_terms(GUILD_A, ["Plate"], added_by=2, limit=3, proposal=True)
    await store.add_terms(GUILD_B, ["Pother"], added_by=2, limit=3, proposal=True)
    assert await store.reject_proposals(GUILD_A, proposed_before=cutoff) == ["Pthree", "Ptwo"]
    assert await store.proposals(GUILD_A) == ["Plate"] and await store.proposals(GUILD_B) == ["Pother"]
    # a rejected term is never proposed again
    assert await store.add_terms(GUILD_A, ["Ptwo"], added_by=3, limit=3, proposal=True) == []


async def test_forget_withdraws_the_versions_trained_on_the_members_pairs(store):
    """L5 on both engines: /forget's store call marks every version holding the member's pairs withdrawn;
    rollback passes over a withdrawn version, and a retired withdrawn one is named for pruning."""
    caption = await _caption(store, GUILD_A, "w")
    await store.add_correction(
        GUILD_A, caption_id=caption, user_id=9, kind="text", text="x", cues=[], pairs=[(0.0, 1.0, "x")]
    )
    pairs = [p.id for p in await store.training_pairs(GUILD_A)]
    for version, pair_ids in ((1, []), (2, pairs), (3, [])):
        await store.record_model(
            GUILD_A, version=version, path=f"models/{GUILD_A}/v{version}/model", promote=True,
            metrics={"pair_ids": pair_ids}, reason="", job_id=None,
        )  # fmt: skip
    await store.forget_user(GUILD_A, 8)  # control: a member with no pairs withdraws nothing
    assert [m.withdrawn for m in await store.model_history(GUILD_A)] == [False, False, False]
    report = await store.forget_user(GUILD_A, 9)
    assert report.models == [(2, 1)]
    assert [(m.version, m.withdrawn) for m in await store.model_history(GUILD_A)] == [
        (3, False),
        (2, True),
        (1, False),
    ]
    assert [v.version for v in await store.versions_to_prune(GUILD_A)] == [2]
    assert (await store.rollback_model(GUILD_A)).version == 1  # v2 passed over


async def test_a_bots_leftover_requests_are_its_own_not_another_bots_on_the_same_database(store):
    """L8: two bot processes on one database: at its restart, bot A finds its own cut-off requests (and
    rows from before instances were recorded), never bot B's live ones."""
    for instance, user in (("bot-a", 1), ("bot-b", 2), (None, 3)):
        await store.add_pending_caption(
            GUILD_A, channel_id=5, user_id=user, message_id=None, kind="link", label="x", instance=instance
        )
    assert [r.user_id for r in await store.leftover_pending_captions("bot-a")] == [1, 3]
    assert [r.user_id for r in await store.leftover_pending_captions("bot-b")] == [2, 3]
    assert [r.user_id for r in await store.leftover_pending_captions()] == [1, 2, 3]  # control: all there
