"""Permissions as properties, /forget's reach, what reaches the logs, and a stalled download, through the real
discord.py client against the fake Discord."""

from __future__ import annotations

import contextlib
import inspect
import logging
import re
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from discord import app_commands
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.discord_harness import (
    TEST_TOKEN,
    Env,
    answer,
    bot_env,
    caption_result,
    eventually,
    slash,
    text_of,
)
from tests.fake_discord import CallbackType, FakeDiscord, Perm

KICK_MEMBERS, BAN_MEMBERS, MANAGE_ROLES, MODERATE_MEMBERS = 1 << 1, 1 << 2, 1 << 28, 1 << 40
# roles exist before the bot connects (as on Discord, where the bot's cache has every role of a server)
ROLES = {
    "Admins": Perm.ADMINISTRATOR,
    "Managers": Perm.MANAGE_GUILD,
    "Kickers": KICK_MEMBERS | BAN_MEMBERS,
    "Channel Mods": Perm.MANAGE_CHANNELS | Perm.MANAGE_MESSAGES | Perm.MANAGE_THREADS,
    "Role Mods": MANAGE_ROLES | MODERATE_MEMBERS,
    "Caption Mods": 0,  # the server's moderator role (/settings moderators: by id)
    "Caption Mods copy": 0,  # a second role of the very same name, as anyone with Manage Roles can make
    "Caption Mods Fans": 0,  # names that merely look like it do not count
    "caption": 0,
}
NAMES = {"Caption Mods copy": "Caption Mods"}  # the name a role has on Discord, where it is not its key
EVERYONE = "@everyone"  # replaced by the guild's @everyone role id (the guild id) when the command is sent
MOD_ROLE = "@caption-mods"  # replaced by the Caption Mods role's id when the command is sent
# (command, subcommand, options, what a moderator gets, what the refusal names)
MODERATOR_COMMANDS = {
    "retrain": ("retrain", None, {}, "needs at least 1000", "start a retrain"),
    "rollback": ("rollback", None, {}, "already uses the base model", "roll the model back"),
    "settings autocaption": (
        "settings",
        "autocaption",
        {"state": "off"},
        "no longer be captioned",
        "change the caption settings",
    ),
    "settings linkbutton": (
        "settings",
        "linkbutton",
        {"state": "off"},
        "no longer get a Caption button",
        "change the caption settings",
    ),
    "settings requests": (
        "settings",
        "requests",
        {"state": "on"},
        "can caption messages there",
        "change the caption settings",
    ),
    "settings language": (
        "settings",
        "language",
        {"code": "en"},
        "made in 'en'",
        "change the caption settings",
    ),
    "settings training": (
        "settings",
        "training",
        {"mode": "opt_out"},
        "except those of members who opted out",
        "change the caption settings",
    ),
    "settings replies": (
        "settings",
        "replies",
        {"style": "file"},
        "with the captions file attached",
        "change the caption settings",
    ),
    "settings show": ("settings", "show", {}, "Caption settings", "see the caption settings"),
    "vocabmod add": ("vocabmod", "add", {"terms": "Glimraid"}, "Glimraid", "change the vocabulary"),
    "vocabmod remove": (
        "vocabmod",
        "remove",
        {"terms": "Nope"},
        "not in the vocabulary",
        "change the vocabulary",
    ),
    "vocabmod review": ("vocabmod", "review", {}, "Nothing waits for review", "review the vocabulary"),
    "settings correctors": (
        "settings",
        "correctors",
        {"role": EVERYONE},
        "everyone may correct captions",
        "change the caption settings",
    ),
    "settings moderators": (
        "settings",
        "moderators",
        {"role": MOD_ROLE},
        "may run the caption bot's moderator commands here",
        "change the caption settings",
    ),
    "corrections list": (
        "corrections",
        "list",
        {"caption": 999999},
        "No corrections match",
        "see the corrections",
    ),
    "corrections remove": (
        "corrections",
        "remove",
        {"id": 999999},
        "there is no correction 999999 in this server",
        "remove corrections",
    ),
    "spelling list": ("spelling", "list", {}, "No spelling rules yet", "see the spelling rules"),
    "spelling remove": (
        "spelling",
        "remove",
        {"heard": "more black"},
        "no spelling rule replaces",
        "remove spelling rules",
    ),
}
REFUSAL = "only members with the Manage Server permission or the <@&{}> role can {}."
MANAGE_SERVER_ONLY = {"settings moderators"}  # who moderates is chosen by Manage Server alone


@pytest_asyncio.fixture(scope="module")
async def env(tmp_path_factory, discord_shards: int) -> AsyncIterator[Env]:
    def roles(fake: FakeDiscord) -> dict:
        guild = next(iter(fake.guilds.values()))
        return {
            "roles": {key: fake.add_role(guild.id, NAMES.get(key, key), bits) for key, bits in ROLES.items()}
        }

    async with bot_env(
        tmp_path_factory.mktemp("discord-reliability"),
        shards=discord_shards,
        prepare=roles,
        media={"download_timeout_seconds": 2.0},
        training={"min_pairs": 1000},
        discord={
            "max_concurrent_transcriptions": 1,
            "queue_size": 1,
            "user_requests_per_minute": 1000,
            "guild_requests_per_minute": 1000,
        },
    ) as env:
        await env.bot.service.store.set_moderator_role(env.guild.id, env.extra["roles"]["Caption Mods"])
        yield env


# --- moderator-only commands ---------------------------------------------------------------------------------


def test_the_list_of_moderator_only_commands_is_complete(env: Env) -> None:
    """Every command whose code asks for a moderator is in MODERATOR_COMMANDS, and only those."""
    checked = {
        command.qualified_name
        for command in env.bot.tree.walk_commands()
        if isinstance(command, app_commands.Command)
        and "require_moderator(" in inspect.getsource(command.callback)
    }
    assert checked == set(MODERATOR_COMMANDS)


def asks_for_a_moderator(command: app_commands.Command | app_commands.Group) -> list[bool]:
    """For each command (or each subcommand of a group): does its code refuse members?"""
    leaves = command.walk_commands() if isinstance(command, app_commands.Group) else [command]
    return ["require_moderator(" in inspect.getsource(leaf.callback) for leaf in leaves]


def test_registered_commands_follow_discords_conventions(env: Env) -> None:
    """What Discord was told: every command guild-only; moderator commands need Manage Server by default, so
    members do not see them; no group mixes member and moderator subcommands (a group has one setting)."""
    registered = {c["name"]: c for c in env.fake.global_commands}
    assert registered, "the bot synced no commands"
    for command in env.bot.tree.get_commands():
        spec = registered[command.name]
        assert spec["contexts"] == [0], (command.name, spec["contexts"])  # GUILD only
        assert spec["dm_permission"] is False, command.name
        moderator = asks_for_a_moderator(command)
        assert all(moderator) or not any(moderator), f"/{command.name} mixes member and moderator commands"
        wanted = str(Perm.MANAGE_GUILD) if all(moderator) else None
        got = spec["default_member_permissions"]
        assert (None if got is None else str(got)) == wanted, (command.name, got)
    assert registered["Caption"]["type"] == 3  # the message command (Apps → Caption), guild-only too
    moderator_only = {n for n, c in registered.items() if c["default_member_permissions"] is not None}
    assert moderator_only == {"retrain", "rollback", "settings", "vocabmod", "corrections", "spelling"}
    assert "rollback" not in {o["name"] for o in registered["model"]["options"]}  # /model show stays public


def is_moderator(roles: set[str], extra: int, command: str = "") -> bool:
    bits = extra
    for name in roles:
        bits |= ROLES[name]
    manages = bool(bits & (Perm.MANAGE_GUILD | Perm.ADMINISTRATOR))
    return manages or ("Caption Mods" in roles and command not in MANAGE_SERVER_ONLY)


@settings(max_examples=45, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    command=st.sampled_from(sorted(MODERATOR_COMMANDS)),
    roles=st.sets(st.sampled_from(sorted(ROLES))),
    extra=st.sampled_from([0, Perm.MANAGE_GUILD, Perm.MANAGE_MESSAGES | KICK_MEMBERS, Perm.ALL]),
)
@example(command="retrain", roles=set(), extra=0)  # a plain member
@example(command="rollback", roles=set(), extra=0)
@example(command="settings autocaption", roles=set(), extra=0)
@example(command="retrain", roles={"Managers"}, extra=0)  # Manage Server
@example(command="rollback", roles={"Caption Mods"}, extra=0)  # the configured role
@example(command="settings autocaption", roles={"Caption Mods Fans", "Kickers"}, extra=0)
@example(command="corrections remove", roles=set(), extra=0)
@example(command="spelling remove", roles={"Kickers"}, extra=Perm.MANAGE_MESSAGES | KICK_MEMBERS)
@example(command="settings correctors", roles={"Caption Mods"}, extra=0)
@example(command="settings show", roles={"Caption Mods copy", "Role Mods"}, extra=0)  # the name, not the role
@example(command="settings moderators", roles={"Caption Mods"}, extra=0)  # the role cannot choose the role
@example(command="settings moderators", roles={"Managers"}, extra=0)
async def test_moderator_commands_refuse_members_and_accept_moderators(
    env: Env, command: str, roles: set[str], extra: int
) -> None:
    """Random role sets (and a role of the member's own with extra permissions): only Manage Server,
    Administrator or the configured role passes; everyone else gets an ephemeral refusal and nothing changes."""
    name, sub, options, accepted, action = MODERATOR_COMMANDS[command]
    role_ids = [env.extra["roles"][r] for r in sorted(roles)]
    member = env.fake.add_member(
        env.guild.id, f"m-{env.fake.new_id() % 10**6}", roles=role_ids, permissions=extra or None
    )
    store = env.bot.service.store
    mod_role = env.extra["roles"]["Caption Mods"]
    placeholders = {EVERYONE: env.guild.id, MOD_ROLE: mod_role}
    options = {k: placeholders.get(v, v) for k, v in options.items()}
    interaction = await slash(env, name, options, subcommand=sub, user=member)
    reply = await answer(env, interaction)
    if is_moderator(roles, extra, command):
        assert accepted in reply.content, (roles, extra, reply.content)
        if command == "settings autocaption":
            assert not await store.autocaption(env.guild.id)
            await store.set_autocaption(env.guild.id, True)
    else:
        refusal = REFUSAL.format(mod_role, action)
        if command in MANAGE_SERVER_ONLY and "Caption Mods" in roles:
            refusal = "only members with the Manage Server permission can choose the moderator role."
        assert reply.content == refusal, (roles, extra, reply.content)
        assert reply.ephemeral and reply.callback_type == CallbackType.CHANNEL_MESSAGE  # at once, private
        assert await store.autocaption(env.guild.id)
    assert await store.corrector_role(env.guild.id) is None
    assert await store.moderator_role(env.guild.id) == mod_role
    assert await store.open_job(env.guild.id) is None
    assert await store.active_model(env.guild.id) is None


async def test_the_moderator_role_is_the_one_manage_server_chose_by_id(env: Env) -> None:
    """L6: the moderator role is matched by id. A Manage Server member moves it to another role: its members
    become moderators and the old role's stop; a role made with the same name as the chosen one never counts;
    the role's own members cannot move it."""
    store, roles = env.bot.service.store, env.extra["roles"]
    kicker = env.fake.add_member(env.guild.id, "kicker-l6", roles=[roles["Kickers"]])
    old_mod = env.fake.add_member(env.guild.id, "oldmod-l6", roles=[roles["Caption Mods"]])

    async def show(user) -> str:
        return (await answer(env, await slash(env, "settings", subcommand="show", user=user))).content

    assert "Caption settings" in await show(old_mod)  # control: the chosen role passes
    assert "Caption settings" not in await show(kicker)
    moved = await answer(
        env,
        await slash(env, "settings", {"role": roles["Kickers"]}, subcommand="moderators", user=env.moderator),
    )
    try:
        assert f"<@&{roles['Kickers']}>" in moved.content and not moved.ephemeral
        assert await store.moderator_role(env.guild.id) == roles["Kickers"]
        assert "Caption settings" in await show(kicker)
        assert f"<@&{roles['Kickers']}> role" in await show(old_mod)  # refused, naming the role now chosen
        # the kicker moderates now, but may not hand the role on
        refused = await answer(
            env,
            await slash(env, "settings", {"role": roles["caption"]}, subcommand="moderators", user=kicker),
        )
        assert refused.ephemeral and "only members with the Manage Server permission" in refused.content
        assert await store.moderator_role(env.guild.id) == roles["Kickers"]
        assert "Who moderates" in await show(kicker) and f"<@&{roles['Kickers']}>" in await show(kicker)
    finally:
        await store.set_moderator_role(env.guild.id, roles["Caption Mods"])


# --- /forget deletes the caller's data and nobody else's -------------------------------------------------


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    uploads=st.lists(st.integers(0, 2), min_size=1, max_size=4),  # who uploaded each recording
    corrections=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 3)), max_size=6),  # (who, which)
    caller=st.integers(0, 2),
)
@example(uploads=[0, 1], corrections=[(0, 1), (1, 0), (1, 1), (2, 1)], caller=0)
async def test_forget_deletes_only_the_callers_corrections_and_uploads(
    env: Env, tmp_path_factory, uploads: list[int], corrections: list[tuple[int, int]], caller: int
) -> None:
    store, guild = env.bot.service.store, env.guild.id
    users = [env.user(f"u{n}") for n in range(3)]
    uids = [int(u["id"]) for u in users]
    # under data_dir: a stored path outside it is never deleted (bot/core/store/paths.py)
    folder = Path(tmp_path_factory.mktemp("forget", numbered=True).name)
    folder = Path(env.config.data_dir) / "audio" / folder
    folder.mkdir(parents=True, exist_ok=True)
    captions, files = [], []
    for n, uploader in enumerate(uploads):
        path = folder / f"{n}.wav"
        path.write_bytes(b"RIFF")
        media_id = await store.add_media(
            guild, sha256=uuid.uuid4().hex, source="x", title="x", duration=5.0, audio_path=str(path),
            uploader_id=uids[uploader],
        )  # fmt: skip
        caption_id = await store.add_caption(
            guild, media_id=media_id, model_version="base", language="en", cues=[], text="t",
            requester_id=uids[uploader],
        )  # fmt: skip
        captions.append(caption_id)
        files.append(path)
    for who, which in corrections:
        caption = captions[which % len(captions)]
        await store.add_correction(
            guild, caption_id=caption, user_id=uids[who], kind="reply", text="fix", cues=[],
            pairs=[(0.0, 1.0, "fix")],
        )  # fmt: skip
    me = uids[caller]
    mine = [i for i, u in enumerate(uploads) if u == caller]
    kept_corrections = {  # others' corrections, except those on the caller's recordings (they go with them)
        uid: sum(1 for who, which in corrections if uids[who] == uid and which % len(captions) not in mine)
        for uid in uids
        if uid != me
    }

    prompt = await answer(env, await slash(env, "forget", user=users[caller]), lambda m: bool(m.components))
    buttons = {b["label"]: b["custom_id"] for row in prompt.components for b in row["components"]}
    intruder = users[(caller + 1) % 3]
    refused = await env.fake.dispatch_component_interaction(
        buttons["Delete my data"], prompt.message_id, user=intruder
    )
    assert "belongs to someone else" in (await answer(env, refused, lambda m: m.ephemeral)).content
    await env.fake.dispatch_component_interaction(
        buttons["Delete my data"], prompt.message_id, user=users[caller]
    )
    done = await env.fake.wait_for_message(lambda m: m is prompt and "Done" in (m.content or ""), timeout=10)

    owned = sum(1 for who, _ in corrections if who == caller)
    assert f"deleted {owned} correction" in done.content and f"{len(mine)} stored audio file" in done.content
    assert env.query("SELECT COUNT(*) FROM corrections WHERE guild_id = ? AND user_id = ?", guild, me) == [
        (0,)
    ]
    assert env.query("SELECT COUNT(*) FROM media WHERE guild_id = ? AND uploader_id = ?", guild, me) == [(0,)]
    for index, uploader in enumerate(uploads):
        assert files[index].exists() == (uploader != caller)
        if uploader != caller:
            row = env.query("SELECT COUNT(*) FROM media WHERE audio_path = ?", str(files[index]))
            assert row == [(1,)]
    for uid, count in kept_corrections.items():
        assert env.query("SELECT COUNT(*) FROM corrections WHERE user_id = ?", uid) == [(count,)]
    orphans = "SELECT COUNT(*) FROM corrections c WHERE NOT EXISTS (SELECT 1 FROM training_pairs p WHERE p.correction_id = c.id)"
    assert env.query(orphans) == [(0,)]


# --- logs: no token, no words anybody said or wrote ----------------------------------------------------------


async def test_logs_above_debug_hold_neither_the_token_nor_what_was_said(
    env: Env, make_speech, media_server, caplog
) -> None:
    caplog.set_level(logging.INFO)
    spoken = "The lighthouse keeper painted seven purple boats before breakfast."
    url = media_server.publish(make_speech(spoken), "clip-for-log-test.wav")
    user = env.user("talker")
    message = await caption_result(env, await slash(env, "caption", {"link": url}, user=user))
    vtt = text_of(message, ".vtt")
    heard = [line for line in vtt.splitlines()[1:] if line and "-->" not in line]
    correction = "The lighthouse keeper painted seven Zorblaxian boats before breakfast."
    reply = await env.fake.dispatch_message(
        env.channel_id, env.user("fixer"), correction, message_reference=message.message_id
    )
    confirmation = await env.fake.wait_for_message(lambda m: m.reference_message_id == int(reply["id"]))
    assert "Saved" in confirmation.content
    words = {w for w in re.findall(r"[a-z]{5,}", " ".join([*heard, spoken, correction]).lower())}
    assert {"lighthouse", "zorblaxian"} <= words and len(caplog.records) > 0
    logged = "\n".join(
        f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records if r.levelno > logging.DEBUG
    ).lower()
    assert TEST_TOKEN.lower() not in logged
    assert [w for w in sorted(words) if w in logged] == []


async def no_pending(env: Env) -> bool:
    return await env.bot.service.store.pending_captions(env.guild.id) == []


# --- a stalled download ends with a clear error and frees its slot ----------------------------------------


@pytest.mark.parametrize("path", ["stall.ogg", "trickle.ogg"])
async def test_a_stalled_download_fails_clearly_and_frees_its_slot(
    env: Env, make_speech, media_server, path: str
) -> None:
    """A host that stops sending, or sends a byte every 0.2 s: an ephemeral error at the timeout (2 s here),
    the queue's only running slot free again, and the next /caption runs."""
    from tests.test_media import _TrickyServer  # the loopback host that stalls or trickles mid-download

    server = _TrickyServer(make_speech("A clip that never finishes downloading.", suffix=".ogg").read_bytes())
    try:
        started = time.monotonic()
        stalled = await slash(env, "caption", {"link": f"http://127.0.0.1:{server.port}/{path}"})
        await eventually(lambda: env.bot.jobs.queue.size == 1, what="the request holding the slot")
        error = await answer(env, stalled, lambda m: m.ephemeral, timeout=30)
        elapsed = time.monotonic() - started
    finally:
        server.close()
    print(f"{path}: error after {elapsed:.1f} s with download_timeout_seconds = 2")
    assert re.search("stopped answering|took longer", error.content) and "\n" not in error.content
    assert elapsed < 2.0 + 2.0  # the timeout, plus the interaction and yt-dlp starting up
    assert env.bot.jobs.queue.size == 0
    await eventually(lambda: no_pending(env), what="the request settled")
    public = [m for m in env.fake.messages if m.interaction_token == stalled.token and not m.ephemeral]
    assert all(m.deleted for m in public)  # no "Downloading…" left behind

    url = media_server.publish(make_speech("The next request gets the slot."), f"after-{path}.wav")
    after = await caption_result(env, await slash(env, "caption", {"link": url}, user=env.user("next")))
    assert "slot" in text_of(after, ".vtt").lower()


# --- retention runs inside the bot ------------------------------------------------------------------------


async def test_the_bot_deletes_audio_past_retention_every_hour(env: Env, tmp_path) -> None:
    store, guild = env.bot.service.store, env.guild.id
    folder = Path(env.config.data_dir) / "audio" / tmp_path.name  # stored paths must lie under data_dir
    folder.mkdir(parents=True, exist_ok=True)
    old, young = folder / "old.wav", folder / "young.wav"
    ids = {}
    for path in (old, young):
        path.write_bytes(b"RIFF")
        ids[path] = await store.add_media(
            guild, sha256=uuid.uuid4().hex, source="x", title="x", duration=1.0, audio_path=str(path),
            uploader_id=None,
        )  # fmt: skip
    days = env.config.storage.retention_days
    with contextlib.closing(sqlite3.connect(env.config.database_path)) as db, db:
        db.execute(
            "UPDATE media SET created_at = ? WHERE id = ?", (time.time() - (days + 1) * 86400, ids[old])
        )
    privacy = env.bot.get_cog("Privacy")
    assert privacy.retention.is_running() and privacy.retention.hours == 1
    await privacy.retention()  # one round, as the hourly loop runs it
    assert not old.exists() and young.exists()
    assert (await store.get_media(guild, ids[old])).audio_path is None
    assert (await store.get_media(guild, ids[young])).audio_path == str(young)
