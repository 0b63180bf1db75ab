"""`python -m bot setup` against the fake Discord: each problem is its one line naming the fix, and the invite
asks for exactly the permissions the code checks for."""

from __future__ import annotations

import ast
import asyncio
import functools
import urllib.parse
from pathlib import Path

import discord
import pytest

from bot.discord_app.permissions import BOT_PERMISSIONS, MEMBER_PERMISSIONS, invite_permissions, invite_url
from tests.cli_runner import run_cli
from tests.discord_harness import TEST_TOKEN, write_config
from tests.fake_discord import FakeDiscord

ROOT = Path(__file__).resolve().parents[1]
cli = functools.partial(run_cli, "bot")


async def setup_run(tmp_path: Path, fake: FakeDiscord, *, env: dict[str, str] | None = None, **sections):
    config_file = write_config(tmp_path / "config.toml", tmp_path / "data", fake, **sections)
    config_file.chmod(0o600)  # it holds the token: no warning about a readable file
    return await asyncio.to_thread(cli, config_file, "setup", env=env)


def lines_about(stdout: str, topic: str) -> list[str]:
    return [line for line in stdout.splitlines() if line[5:].startswith(f"{topic}:")]


async def test_setup_with_a_valid_token_passes_and_prints_the_invite(tmp_path):
    async with FakeDiscord(token=TEST_TOKEN) as fake:
        result = await setup_run(tmp_path, fake)
        assert ("GET", "/api/v10/users/@me") in fake.requests
    assert result.returncode == 0, result.stdout + result.stderr
    for topic in ("ffmpeg", "model", "data_dir", "database", "token", "intent"):
        found = lines_about(result.stdout, topic)
        assert len(found) == 1 and found[0].startswith("ok "), (topic, result.stdout)
    assert "CaptionBot" in lines_about(result.stdout, "token")[0]
    invite = next(line for line in result.stdout.splitlines() if line.startswith("invite: "))
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(invite.removeprefix("invite: ")).query)
    assert query["client_id"] == [str(fake.application_id)]
    assert query["scope"] == ["bot applications.commands"]
    assert int(query["permissions"][0]) == invite_permissions().value
    for name, _ in BOT_PERMISSIONS.values():  # each permission named
        assert f"    {name}: " in result.stdout
    assert "FIX" not in result.stdout
    assert TEST_TOKEN not in result.stdout + result.stderr


async def test_setup_names_the_intent_when_message_content_is_off(tmp_path):
    async with FakeDiscord(token=TEST_TOKEN) as fake:
        fake.application_flags = 1 << 23  # the commands badge only: the intent is off
        result = await setup_run(tmp_path, fake)
    assert result.returncode == 2
    [line] = lines_about(result.stdout, "intent")
    assert line.startswith("FIX") and "Message Content" in line and "Developer Portal" in line
    assert "Privileged Gateway Intents" in line
    assert lines_about(result.stdout, "token")[0].startswith("ok ")  # control: only the intent is wrong
    assert "1 problem(s)" in result.stdout


async def test_setup_names_the_portal_when_the_token_is_refused(tmp_path):
    async with FakeDiscord(token=TEST_TOKEN) as fake:
        result = await setup_run(tmp_path, fake, discord={"token": "MTIz.wrong-token.xyz"})
    assert result.returncode == 2
    [line] = lines_about(result.stdout, "token")
    assert line.startswith("FIX") and "refused" in line and "Developer Portal" in line
    assert not lines_about(result.stdout, "intent") and "invite:" not in result.stdout


async def test_setup_without_a_token_says_where_to_make_one(tmp_path, monkeypatch):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    async with FakeDiscord(token=TEST_TOKEN) as fake:
        result = await setup_run(tmp_path, fake, discord={"token": ""})
        assert not any(path.endswith("/users/@me") for _, path in fake.requests)
    [line] = lines_about(result.stdout, "token")
    assert line.startswith("FIX") and "Developer Portal" in line and "DISCORD_TOKEN" in line


async def test_setup_and_run_name_ffmpeg_when_it_is_not_on_the_path(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    async with FakeDiscord(token=TEST_TOKEN) as fake:
        result = await setup_run(tmp_path, fake, env={"PATH": str(empty)})
        [line] = lines_about(result.stdout, "ffmpeg")
        assert result.returncode == 2
        assert line.startswith("FIX") and "ffmpeg and ffprobe not found" in line and "apt-get install" in line
        assert lines_about(result.stdout, "token")[0].startswith("ok ")  # control: the rest still checked
        # The bot itself refuses to start without it, before connecting, in one line.
        ran = await asyncio.to_thread(
            cli, tmp_path / "config.toml", "run", env={"PATH": str(empty)}, timeout=60
        )
        assert ("GET", "/api/v10/gateway/bot") not in fake.requests
    assert ran.returncode == 2, ran.stderr
    assert ran.stderr.startswith("error: ") and ran.stderr.strip().count("\n") == 0, ran.stderr
    assert "ffmpeg" in ran.stderr


def permission_flags_used_in_code() -> set[str]:
    """Every discord.Permissions flag the Discord layer reads (an attribute of permissions: `perms.add_reactions`) or
    names (a string such as "attach_files" passed to `missing`), outside the definition of BOT_PERMISSIONS."""
    flags = set(discord.Permissions.VALID_FLAGS)
    used: set[str] = set()
    for path in (ROOT / "bot" / "discord_app").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip: set[int] = set()
        if path.name == "permissions.py":
            for node in tree.body:
                if isinstance(node, ast.AnnAssign | ast.Assign):
                    skip |= {id(n) for n in ast.walk(node)}
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.Attribute) and node.attr in flags and "perm" in ast.unparse(node.value):
                used.add(node.attr)  # perms.add_reactions, member.guild_permissions.manage_guild
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in flags:
                used.add(node.value)
            elif (
                isinstance(node, ast.keyword) and node.arg in flags
            ):  # default_permissions(manage_guild=True)
                used.add(node.arg)
    return used


def test_the_invite_asks_for_exactly_the_permissions_the_code_uses():
    used = permission_flags_used_in_code()
    assert "attach_files" in used and "manage_guild" in used  # control: the scan sees both kinds
    assert used - set(MEMBER_PERMISSIONS) == set(BOT_PERMISSIONS)
    assert not set(BOT_PERMISSIONS) & set(MEMBER_PERMISSIONS)
    expected = sum(getattr(discord.Permissions, flag).flag for flag in BOT_PERMISSIONS)
    assert invite_permissions().value == expected
    url = urllib.parse.urlsplit(invite_url(123))
    assert urllib.parse.parse_qs(url.query)["permissions"] == [str(expected)]


def test_a_runtime_check_of_a_permission_outside_the_invite_is_refused():
    from bot.discord_app.permissions import missing

    assert missing(discord.Permissions.none(), ["attach_files"]) == ["Attach Files"]
    with pytest.raises(ValueError, match="manage_messages"):
        missing(discord.Permissions.all(), ["manage_messages"])
