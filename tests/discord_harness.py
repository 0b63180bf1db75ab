"""What the tests of the Discord front end share: the real CaptionBot on a FakeDiscord, and helpers.

The bot is the production class started by `start_bot` with a config whose [discord] api_base_url and
gateway_url point at the fake; the service, faster-whisper, SQLite and yt-dlp are the real ones.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import write_sections
from bot.core.config import Config, load_config
from bot.discord_app.client import CaptionBot, start_bot
from tests.fake_discord import CallbackType, FakeDiscord, FakeGuild, MessageFlag, SentMessage

TEST_TOKEN = "MTIzNDU2Nzg5.fake-bot-token.do-not-leak"


def write_config(path: Path, data_dir: Path, fake: FakeDiscord, **sections: dict[str, Any]) -> Path:
    """A test config: data in data_dir, loopback links allowed, [discord] pointed at the fake."""
    base: dict[str, dict[str, Any]] = {
        "storage": {"data_dir": str(data_dir)},
        "media": {
            "allowed_hosts": ["127.0.0.1"],
            "allow_private_addresses": True,
            "download_timeout_seconds": 30.0,
        },
        "discord": {
            "token": fake.token,
            "api_base_url": fake.api_base,
            "gateway_url": fake.gateway_url,
        },
        "training": {"min_pairs": 2, "epochs": 1},
    }
    for name, values in sections.items():
        base.setdefault(name, {}).update(values)
    return write_sections(path, base)


def sharded(shards: int) -> dict[str, Any]:
    """FakeDiscord options for a bot on `shards` shards: Discord recommends that many and lets all identify
    at once (max_concurrency), and new guilds go round the shards."""
    return {"shards": shards, "max_concurrency": shards}


def shards_setting(shards: int) -> int | str:
    """`[discord] shards` for a test bot: 1 is the default, "auto" (the fake recommends 1); more, pinned."""
    return "auto" if shards == 1 else shards


@dataclass
class Env:
    fake: FakeDiscord
    bot: CaptionBot
    config: Config
    config_file: Path
    guild: FakeGuild
    moderator: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def channel_id(self) -> int:
        return self.guild.text_channel_id

    def user(self, name: str, guild: FakeGuild | None = None) -> dict[str, Any]:
        """A fresh member (own rate-limit window, own data)."""
        return self.fake.add_member((guild or self.guild).id, f"{name}-{self.fake.new_id() % 100000}")

    def query(self, sql: str, *params: Any) -> list[tuple]:
        """Read the database as a separate client would (tests only; the bot's SQL is in bot/core/store/)."""
        with contextlib.closing(sqlite3.connect(self.config.database_path)) as db:
            return list(db.execute(sql, params))


@contextlib.asynccontextmanager
async def bot_env(
    root: Path,
    *,
    shards: int = 1,
    fake_options: dict[str, Any] | None = None,
    bot_options: dict[str, Any] | None = None,
    prepare: Callable[[FakeDiscord], dict[str, Any]] | None = None,
    autocaption: bool = True,
    **sections: Any,
) -> AsyncIterator[Env]:
    """FakeDiscord + a guild with a moderator + the real bot, connected and with its commands synced.

    `prepare(fake)` may add more guilds before the bot connects; what it returns is `env.extra`.
    With `shards` = 1 the bot runs the default `[discord] shards = "auto"` and the fake recommends 1; with 2
    the bot runs `[discord] shards = 2` and the fake puts the guild on shard 1, a second
    guild on shard 0 (Discord's formula over the guild ids), so every scenario crosses a non-zero shard.
    Autocaption is opt-in on Discord; the guild has it on (as its moderator would have set it) unless a test
    asks for a server that never turned it on (`autocaption=False`).
    """
    async with FakeDiscord(token=TEST_TOKEN, **{**sharded(shards), **(fake_options or {})}) as fake:
        guild = fake.add_guild(name="Captions", channels=["general", "voice-notes"])
        moderator = fake.add_moderator(guild.id, "mod")
        extra = prepare(fake) if prepare else {}
        sections["discord"] = {"shards": shards_setting(shards), **sections.get("discord", {})}
        config_file = write_config(root / "config.toml", root / "data", fake, **sections)
        config = load_config(config_file)
        options = {
            "guild_ready_timeout": 0.05,
            "progress_interval": 0.1,
            "job_poll_seconds": 0.2,
            **(bot_options or {}),
        }
        async with start_bot(config, **options) as bot:
            home = bot.get_guild(guild.id)
            assert bot.shard_count == shards and home is not None and home.shard_id == shards - 1
            if autocaption:
                await bot.service.store.set_autocaption(guild.id, True)
            yield Env(fake, bot, config, config_file, guild, moderator, extra)


# --- driving and reading -----------------------------------------------------------------------------


def files_of(message: SentMessage, suffix: str) -> list[tuple[str, bytes]]:
    return [(name, data) for name, data in message.files if name.endswith(suffix)]


def text_of(message: SentMessage, suffix: str) -> str:
    found = files_of(message, suffix)
    assert found, f"no {suffix} file on the message; files: {message.file_names}"
    return found[0][1].decode("utf-8")


def has_file(suffix: str) -> Callable[[SentMessage], bool]:
    return lambda m: any(name.endswith(suffix) for name in m.file_names)


async def slash(env: Env, name: str, options: dict[str, Any] | None = None, **kwargs: Any):
    return await env.fake.dispatch_interaction(name, options, **kwargs)


async def answer(env: Env, interaction, predicate=None, timeout: float = 30.0) -> SentMessage:
    """The bot's settled answer to an interaction: not a "thinking…" placeholder, not a progress line."""

    def settled(m: SentMessage) -> bool:
        if m.loading or m.deleted:
            return False
        if m.content is None and not m.files and m.callback_type != CallbackType.MODAL:
            return False
        return predicate is None or predicate(m)

    return await env.fake.wait_for_interaction_response(interaction.token, settled, timeout)


async def caption_result(env: Env, interaction, timeout: float = 60.0) -> SentMessage:
    """The /caption answer once it carries the captions file."""

    def done(m: SentMessage) -> bool:
        return not m.deleted and any(n.endswith((".vtt", ".srt", ".txt")) for n in m.file_names)

    return await env.fake.wait_for_interaction_response(interaction.token, done, timeout)


async def post_voice_note(
    env: Env, path: Path, *, user=None, channel_id: int | None = None
) -> dict[str, Any]:
    data = path.read_bytes()
    note = env.fake.add_attachment("voice-message.ogg", data, "audio/ogg", duration_secs=3.0)
    return await env.fake.dispatch_message(
        channel_id or env.channel_id, user, "", attachments=[note], flags=MessageFlag.VOICE_MESSAGE
    )


async def caption_reply(env: Env, posted: dict[str, Any], timeout: float = 60.0) -> SentMessage:
    """The bot's reply to a posted file once it carries the captions."""
    msg_id = int(posted["id"])
    return await env.fake.wait_for_message(
        lambda m: m.reference_message_id == msg_id and has_file(".vtt")(m), timeout
    )


async def eventually(check: Callable[[], Any], timeout: float = 5.0, what: str = "condition") -> Any:
    """Poll `check` (sync or async) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        await asyncio.sleep(0.05)
