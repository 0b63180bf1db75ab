"""Proves tests/fake_discord/ against the real, unmodified discord.py client.

If these pass, a bot test can trust that what the fake records is what discord.py really sent, and that what
the fake dispatches is parsed by discord.py the way Discord's own payloads are.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import discord
import pytest
import pytest_asyncio
from discord import app_commands
from discord.ext import commands

from tests.fake_discord import CallbackType, FakeDiscord, FakeGuild, MessageFlag


class RenameModal(discord.ui.Modal, title="Rename"):
    """A modal with a random-custom_id text input: the fake must find it by label."""

    new_name = discord.ui.TextInput(label="New name")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"renamed to {self.new_name.value}", ephemeral=True)


class PanelView(discord.ui.View):
    @discord.ui.button(label="Approve", custom_id="panel:approve")
    async def approve(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.edit_message(content="approved", view=None)

    @discord.ui.button(label="Rename", custom_id="panel:rename")
    async def rename(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_modal(RenameModal())


@dataclass
class BotUnderTest:
    bot: commands.Bot
    errors: list[app_commands.AppCommandError] = field(default_factory=list)


def make_bot(guild_id: int) -> BotUnderTest:
    """A plain commands.Bot wired the way the caption bot will be (slash commands, views, on_message)."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.message_content = True
    # guild_ready_timeout: discord.py waits this long after the last GUILD_CREATE before on_ready (default 2 s).
    bot = commands.Bot(command_prefix="!", intents=intents, guild_ready_timeout=0.05)
    state = BotUnderTest(bot)

    @bot.tree.command(description="Echo text back as a followup with a file")
    async def echo(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.edit_original_response(content="transcribing 40%")
        await interaction.followup.send(
            f"echo: {text}", file=discord.File(io.BytesIO(text.encode()), "echo.txt")
        )

    @bot.tree.command(description="Defer publicly, then try to answer privately")
    async def quiet(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("meant to be private", ephemeral=True)

    @bot.tree.command(description="Post a panel with buttons")
    async def panel(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("panel", view=PanelView())

    caption = app_commands.Group(name="caption", description="Caption things")

    @caption.command(name="file", description="Caption an uploaded file")
    async def caption_file(
        interaction: discord.Interaction,
        audio: discord.Attachment,
        speaker: discord.Member,
        speed: float = 1.0,
    ) -> None:
        data = await audio.read()
        is_mod = interaction.permissions.manage_guild
        text = f"{audio.filename} {audio.content_type} {len(data)}B by {speaker.name} x{speed} mod={is_mod}"
        await interaction.response.send_message(text)

    @app_commands.context_menu(name="Caption")
    async def caption_menu(interaction: discord.Interaction, message: discord.Message) -> None:
        names = [a.filename for a in message.attachments]
        await interaction.response.send_message(f"captioning {message.id} {names}", ephemeral=True)

    guild = discord.Object(guild_id)
    bot.tree.add_command(caption, guild=guild)
    bot.tree.add_command(caption_menu, guild=guild)

    @bot.tree.error
    async def on_app_command_error(
        interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        state.errors.append(error)

    @bot.event
    async def setup_hook() -> None:
        await bot.tree.sync()
        await bot.tree.sync(guild=guild)

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if message.author.bot or not message.attachments:
            return
        await message.add_reaction("👀")
        attachment = message.attachments[0]
        data = await attachment.read()
        kind = "voice message" if message.flags.voice else "file"
        await message.reply(f"got {kind} {attachment.filename}: {len(data)} bytes")

    return state


@dataclass
class Env:
    fake: FakeDiscord
    guild: FakeGuild
    bot: BotUnderTest


@pytest_asyncio.fixture(scope="module")
async def env() -> AsyncIterator[Env]:
    async with FakeDiscord(heartbeat_interval_ms=100) as fake:
        guild = fake.add_guild(name="Captions", channels=["general", "voice-notes"])
        with fake.patch_discord_py():
            test_bot = make_bot(guild.id)
            bot = test_bot.bot
            await bot.login(fake.token)
            runner = asyncio.create_task(bot.connect())
            try:
                await asyncio.wait_for(bot.wait_until_ready(), 10)
                yield Env(fake, guild, test_bot)
            finally:
                await bot.close()
                await asyncio.wait_for(runner, 5)


def _clear(fake: FakeDiscord) -> None:
    fake.messages.clear()
    fake.callbacks.clear()
    fake.reactions.clear()


async def test_bot_connects_and_syncs(env: Env) -> None:
    fake, bot = env.fake, env.bot.bot
    guild = bot.get_guild(env.guild.id)
    assert guild is not None and guild.name == "Captions"
    assert [c.name for c in guild.text_channels] == ["general", "voice-notes"]
    assert guild.me is not None and guild.me.id == fake.bot_id
    assert {c["name"] for c in fake.global_commands} == {"echo", "quiet", "panel"}
    assert fake.identify_payloads[-1]["intents"] == bot.intents.value
    assert fake.gateway_queries[0] == {"v": "10", "encoding": "json", "compress": "zlib-stream"}
    assert {c["name"] for c in fake.guild_commands[env.guild.id]} == {"caption", "Caption"}
    assert fake.unknown_routes == []


async def test_slash_command_defer_progress_followup_with_file(env: Env) -> None:
    fake = env.fake
    _clear(fake)
    interaction = await fake.dispatch_interaction("echo", {"text": "hello"})
    followup = await fake.wait_for_interaction_response(interaction.token, lambda m: m.kind == "followup")

    defer = fake.callbacks[0]
    assert defer.callback_type == CallbackType.DEFERRED_CHANNEL_MESSAGE
    assert defer.interaction_token == interaction.token
    assert defer.history == ["", "transcribing 40%"]  # the thinking message, then the progress edit
    assert followup.content == "echo: hello"
    assert followup.files == [("echo.txt", b"hello")]
    assert not followup.ephemeral
    assert env.bot.errors == []


async def test_first_followup_after_defer_fills_the_thinking_message(env: Env) -> None:
    """Discord's rule, which the bot must respect: the first followup replaces the deferred message and keeps
    the defer's visibility, so ``ephemeral=True`` on it is ignored."""
    fake = env.fake
    _clear(fake)
    interaction = await fake.dispatch_interaction("quiet")
    message = await fake.wait_for_interaction_response(
        interaction.token, lambda m: m.content == "meant to be private"
    )
    assert message.kind == "callback" and message.callback_type == CallbackType.DEFERRED_CHANNEL_MESSAGE
    assert not message.ephemeral and not message.loading
    assert [m for m in fake.messages if m.kind == "followup"] == []


async def test_message_with_attachments_is_downloaded_and_replied_to(env: Env) -> None:
    fake, guild = env.fake, env.guild
    _clear(fake)
    channel_id = guild.text_channel_id
    note = fake.add_attachment("voice-message.ogg", b"OggS" + bytes(60), "audio/ogg", duration_secs=1.5)
    sent = await fake.dispatch_message(
        channel_id, None, "", attachments=[note], flags=MessageFlag.VOICE_MESSAGE
    )

    reply = await fake.wait_for_message(lambda m: m.reference_message_id == int(sent["id"]))
    assert reply.content == "got voice message voice-message.ogg: 64 bytes"
    assert reply.kind == "channel" and reply.channel_id == channel_id
    assert fake.reactions_on(int(sent["id"])) == {"👀"}


async def test_button_click_and_modal_submit_round_trip(env: Env) -> None:
    fake = env.fake
    _clear(fake)
    command = await fake.dispatch_interaction("panel")
    panel = await fake.wait_for_interaction_response(command.token, lambda m: m.content == "panel")
    assert [b["custom_id"] for row in panel.components for b in row["components"]] == [
        "panel:approve",
        "panel:rename",
    ]

    rename = await fake.dispatch_component_interaction("panel:rename", panel.message_id)
    modal = await fake.wait_for_interaction_response(rename.token)
    assert modal.callback_type == CallbackType.MODAL and modal.payload["title"] == "Rename"
    submit = await fake.dispatch_modal_submit(None, {"New name": "Standup notes"})
    answer = await fake.wait_for_interaction_response(submit.token)
    assert answer.content == "renamed to Standup notes" and answer.ephemeral

    await fake.dispatch_component_interaction("panel:approve", panel.message_id)
    await fake.wait_for_message(lambda m: m is panel and m.content == "approved")
    assert panel.history == ["panel", "approved"] and panel.components == []
    assert env.bot.errors == []


async def test_guild_subcommand_with_attachment_and_member_options(env: Env) -> None:
    fake, guild = env.fake, env.guild
    _clear(fake)
    moderator = fake.add_moderator(guild.id, "mia")
    audio = fake.add_attachment("memo.wav", b"RIFF" + bytes(40), "audio/wav")
    options = {"audio": audio, "speaker": moderator, "speed": 1.5}

    by_mod = await fake.dispatch_interaction("caption", options, subcommand="file", user=moderator)
    answer = await fake.wait_for_interaction_response(by_mod.token)
    assert answer.content == "memo.wav audio/wav 44B by mia x1.5 mod=True"
    by_user = await fake.dispatch_interaction("caption", options, subcommand="file")
    answer = await fake.wait_for_interaction_response(by_user.token)
    assert answer.content.endswith("mod=False")


async def test_message_context_menu(env: Env) -> None:
    fake, guild = env.fake, env.guild
    _clear(fake)
    clip = fake.add_attachment("clip.mp3", b"ID3" + bytes(10), "audio/mpeg")
    posted = await fake.dispatch_message(guild.text_channel_id, None, "listen", attachments=[clip])
    menu = await fake.dispatch_context_menu("Caption", int(posted["id"]))
    answer = await fake.wait_for_interaction_response(menu.token)
    assert answer.content == f"captioning {posted['id']} ['clip.mp3']" and answer.ephemeral


async def test_gateway_resume_after_drop(env: Env) -> None:
    fake = env.fake
    _clear(fake)
    await fake.disconnect_gateway(4000)
    await fake.wait_until_connected(timeout=5)
    assert fake.resumes == 1 and len(fake.identify_payloads) == 1
    interaction = await fake.dispatch_interaction("panel")
    await fake.wait_for_interaction_response(interaction.token)


async def test_discord_rules_are_enforced(env: Env) -> None:
    fake, bot = env.fake, env.bot.bot
    channel = bot.get_channel(env.guild.text_channel_id)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as too_long:
        await channel.send("x" * 2001)
    assert too_long.value.code == 50035

    fake.interaction_ack_timeout = 0.0  # as if the bot took more than 3 s before deferring
    try:
        await fake.dispatch_interaction("echo", {"text": "late"})
        for _ in range(100):
            if env.bot.errors:
                break
            await asyncio.sleep(0.02)
    finally:
        fake.interaction_ack_timeout = 3.0
    error = env.bot.errors.pop()
    assert isinstance(error, app_commands.CommandInvokeError)
    assert isinstance(error.original, discord.NotFound) and error.original.code == 10062

    with pytest.raises(discord.NotFound):
        await bot.http.request(discord.http.Route("GET", "/guilds/{guild_id}/audit-logs", guild_id=1))
    assert fake.unknown_routes[-1].path.endswith("/guilds/1/audit-logs")
    fake.unknown_routes.clear()


async def test_heartbeats_arrive_on_time(env: Env) -> None:
    fake = env.fake
    await asyncio.sleep(0.35)
    assert len(fake.heartbeats) >= 3
    assert fake.max_heartbeat_gap() < 1.0
    assert env.bot.bot.latency < 1.0
