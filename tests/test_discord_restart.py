"""No caption request is silently dropped: a bot killed mid-transcription tells the user after its restart.

The first test runs the production entry point (`python -m bot run`) as a subprocess against the fake
Discord, kills it with SIGKILL while it transcribes a /caption, starts it again and checks what the user is
told and what the database holds. The second covers the notice's edge cases in-process (no transcription).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import sys
from pathlib import Path

from bot.core.config import load_config
from bot.core.store import Store
from bot.discord_app.client import start_bot
from bot.discord_app.formatting import INTERRUPTED_PROGRESS
from tests.discord_harness import TEST_TOKEN, eventually, sharded, shards_setting, write_config
from tests.fake_discord import FakeDiscord, SentMessage

ROOT = Path(__file__).resolve().parents[1]
# about 74 s of speech: transcription (about 25 s on 2 cores, a few seconds on a fast machine) is still
# running when the first "Transcribing…" progress edit shows, 1.5 s in; that is when the test kills the bot
LONG_SPEECH = " ".join(
    [
        "The garden needs water every morning during the summer.",
        "Please send the quarterly report to the finance team before Friday afternoon.",
        "Our team meets every Monday morning in the small library.",
    ]
    * 6
)


class BotProcess:
    """`python -m bot run` with its output drained (a full pipe would stall the bot) and searchable."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self._changed = asyncio.Event()
        self._reader = asyncio.create_task(self._drain())

    @classmethod
    async def start(cls, config_file: Path) -> BotProcess:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--config", str(config_file), "run",
            cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            env={**os.environ, "HF_HUB_OFFLINE": "1"},
        )  # fmt: skip
        return cls(proc)

    async def _drain(self) -> None:
        assert self.proc.stdout is not None
        while line := await self.proc.stdout.readline():
            self.lines.append(line.decode(errors="replace"))
            self._changed.set()

    @property
    def output(self) -> str:
        return "".join(self.lines)

    async def wait_for(self, marker: str, timeout: float) -> None:
        async def seen() -> None:
            while marker not in self.output:
                if self._reader.done():
                    raise AssertionError(f"the bot exited before '{marker}':\n{self.output[-3000:]}")
                self._changed.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), 0.5)

        await asyncio.wait_for(seen(), timeout)

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(sig)
        try:
            await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
        await self._reader
        return self.proc.returncode


def consistency_problems(database: Path, data_dir: Path) -> list[str]:
    """What a crash must never leave: a broken file, dangling rows, half a correction, missing audio."""
    problems = []
    with contextlib.closing(sqlite3.connect(database)) as db:
        if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            problems.append("integrity_check failed")
        if db.execute("PRAGMA foreign_key_check").fetchall():
            problems.append("rows point at rows that do not exist")
        checks = {
            "captions without media": "SELECT COUNT(*) FROM captions c"
            " WHERE NOT EXISTS (SELECT 1 FROM media m WHERE m.id = c.media_id AND m.guild_id = c.guild_id)",
            "corrections without training pairs": "SELECT COUNT(*) FROM corrections c"
            " WHERE NOT EXISTS (SELECT 1 FROM training_pairs p WHERE p.correction_id = c.id)",
            "training pairs without a correction": "SELECT COUNT(*) FROM training_pairs p"
            " WHERE NOT EXISTS (SELECT 1 FROM corrections c WHERE c.id = p.correction_id)",
        }
        for name, sql in checks.items():
            if db.execute(sql).fetchone()[0]:
                problems.append(name)
        for (path,) in db.execute("SELECT audio_path FROM media WHERE audio_path IS NOT NULL"):
            if not (data_dir / path).is_file():  # relative to data_dir (bot/core/store/paths.py)
                problems.append(f"media row without its audio file {path}")
    return problems


def pending_rows(database: Path) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(database)) as db:
        return db.execute(
            "SELECT guild_id, user_id, message_id, kind, label FROM pending_captions"
        ).fetchall()


def transcribing(message: SentMessage) -> bool:
    return any("Transcribing" in (text or "") for text in message.history) and not message.files


async def test_a_caption_cut_off_by_kill_9_is_announced_after_the_restart(
    tmp_path: Path, make_speech, media_server, discord_shards: int
) -> None:
    url = media_server.publish(make_speech(LONG_SPEECH), "restart-clip.wav")
    async with FakeDiscord(token=TEST_TOKEN, **sharded(discord_shards)) as fake:
        guild = fake.add_guild(name="Restarts")
        user = fake.add_member(guild.id, "patient-user")
        uid = int(user["id"])
        config_file = write_config(
            tmp_path / "config.toml",
            tmp_path / "data",
            fake,
            discord={"shards": shards_setting(discord_shards)},
        )
        database = load_config(config_file).database_path

        first = await BotProcess.start(config_file)
        try:
            await first.wait_for("connected as", 90)
            interaction = await fake.dispatch_interaction("caption", {"link": url}, user=user)
            progress = await fake.wait_for_interaction_response(interaction.token, transcribing, timeout=60)
            assert pending_rows(database) == [(guild.id, uid, progress.message_id, "link", url)]
        finally:
            code = await first.stop(signal.SIGKILL)  # kill -9 while it transcribes
        assert code == -signal.SIGKILL
        assert not progress.files, "the caption finished before the kill; make LONG_SPEECH longer"
        assert len(pending_rows(database)) == 1  # the request outlived the process
        assert consistency_problems(database, tmp_path / "data") == []

        second = await BotProcess.start(config_file)
        try:
            await second.wait_for("connected as", 90)
            notice = await fake.wait_for_message(
                lambda m: m.kind == "channel" and m.reference_message_id == progress.message_id, timeout=30
            )
            await eventually(lambda: pending_rows(database) == [], what="the pending row removed")
            # the bot serves again: a command is answered after the notices
            await fake.dispatch_interaction("vocab", subcommand="list", user=user)
        finally:
            code = await second.stop(signal.SIGTERM)
        assert code == 0, second.output[-3000:]

    assert notice.channel_id == guild.text_channel_id
    assert notice.content.startswith(f"<@{uid}> I restarted while captioning your link")
    assert url in notice.content and "run /caption again" in notice.content
    mentions = notice.payload["allowed_mentions"]
    assert [int(u) for u in mentions["users"]] == [uid] and "everyone" not in mentions.get("parse", [])
    assert progress.content == INTERRUPTED_PROGRESS  # the stale "Transcribing… n%" line was replaced
    told = [m for m in fake.messages if f"<@{uid}>" in (m.content or "") and "restarted" in m.content]
    assert told == [notice]  # told once
    assert consistency_problems(database, tmp_path / "data") == []
    with contextlib.closing(sqlite3.connect(database)) as db:
        assert db.execute("SELECT COUNT(*) FROM captions").fetchone()[0] == 0  # nothing half-made
    logs = first.output + second.output + (tmp_path / "data" / "logs" / "bot.log").read_text("utf-8")
    assert TEST_TOKEN not in logs and "quarterly" not in logs.lower()


async def test_the_restart_notice_in_odd_cases(tmp_path: Path, discord_shards: int) -> None:
    """A gone progress message, a voice note, a deleted channel, a row naming another server's channel."""
    async with FakeDiscord(token=TEST_TOKEN, **sharded(discord_shards)) as fake:
        guild = fake.add_guild(name="Here", channels=["general", "notes"])
        other = fake.add_guild(name="Elsewhere")
        config_file = write_config(
            tmp_path / "config.toml",
            tmp_path / "data",
            fake,
            discord={"shards": shards_setting(discord_shards)},
        )
        config = load_config(config_file)
        store = await Store.open(config.database_path)
        general, notes = (int(c["id"]) for c in guild.channels if c["type"] == 0)
        rows = {
            "gone": (guild.id, general, 11, 999, "file", "my `talk`.ogg"),
            "voice": (guild.id, notes, 12, None, "voice", ""),
            "no channel": (guild.id, 123456789, 13, 5, "link", "https://youtu.be/x"),
            "cross guild": (guild.id, other.text_channel_id, 14, None, "link", "https://youtu.be/y"),
        }
        try:
            for guild_id, channel_id, user_id, message_id, kind, label in rows.values():
                await store.add_pending_caption(
                    guild_id,
                    channel_id=channel_id,
                    user_id=user_id,
                    message_id=message_id,
                    kind=kind,
                    label=label,
                )
        finally:
            await store.close()

        async with start_bot(config, guild_ready_timeout=0.05) as bot:
            await eventually(
                lambda: pending_rows(config.database_path) == [], timeout=10, what="rows settled"
            )
            sent = {m.channel_id: m for m in fake.messages if m.kind == "channel"}
            assert set(sent) == {general, notes}  # nothing in a channel that is gone or in another server
            assert sent[general].content == (
                "<@11> I restarted while captioning your file `my 'talk'.ogg`, so it was not finished. "
                "Please post it again."
            )
            assert sent[general].reference_message_id == 999  # a reply where possible, a message if not
            assert sent[notes].content.startswith("<@12> I restarted while captioning your voice message,")
            assert not bot.is_closed()


async def test_a_restart_announces_only_this_bots_requests_not_another_bots_live_ones(
    tmp_path: Path, discord_shards: int
) -> None:
    """L8: two bot processes share a database ([discord] instance "bot-a" and "bot-b"). Bot A restarting
    tells its own cut-off user, and leaves bot B's live request alone: no notice, the row kept."""
    async with FakeDiscord(token=TEST_TOKEN, **sharded(discord_shards)) as fake:
        guild = fake.add_guild(name="Shared", channels=["general"])
        config_file = write_config(
            tmp_path / "config.toml",
            tmp_path / "data",
            fake,
            discord={"shards": shards_setting(discord_shards), "instance": "bot-a"},
        )
        config = load_config(config_file)
        store = await Store.open(config.database_path)
        try:
            for instance, user_id in (("bot-a", 21), ("bot-b", 22)):
                await store.add_pending_caption(
                    guild.id,
                    channel_id=guild.text_channel_id,
                    user_id=user_id,
                    message_id=None,
                    kind="link",
                    label="https://youtu.be/z",
                    instance=instance,
                )
        finally:
            await store.close()

        async with start_bot(config, guild_ready_timeout=0.05) as bot:
            await eventually(
                lambda: [r[1] for r in pending_rows(config.database_path)] == [22], timeout=10, what="own row"
            )
            await asyncio.sleep(0.5)  # time for a wrong notice to arrive
            sent = [m.content for m in fake.messages if m.kind == "channel"]
            assert len(sent) == 1 and sent[0].startswith("<@21> I restarted"), sent  # bot A's own user
            assert [r[1] for r in pending_rows(config.database_path)] == [22]  # bot B's request stays
            assert not bot.is_closed()
