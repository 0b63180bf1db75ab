"""JSON for Discord objects, in the shapes discord.py parses (every field it reads, with Discord's types).

Builders take what they need as arguments and keep nothing, so one object is built the same way for REST
responses, gateway events and interaction payloads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.fake_discord.constants import DISCORD_EPOCH_MS
from tests.fake_discord.records import FakeGuild, SentMessage


def iso(snowflake: int) -> str:
    """The creation time hidden in a snowflake, as Discord writes timestamps."""
    ms = (snowflake >> 22) + DISCORD_EPOCH_MS
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC).isoformat()


def now_iso() -> str:
    return dt.datetime.now(tz=dt.UTC).isoformat()


def snowflake(value: Any) -> int | None:
    """An id as an int: Discord sends ids as strings, and leaves optional ones out."""
    return None if value is None else int(value)


def user(user_id: int, name: str, *, bot: bool) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
        "flags": 0,
    }


def role(role_id: int, name: str, permissions: int, *, position: int) -> dict[str, Any]:
    return {
        "id": str(role_id),
        "name": name,
        "permissions": str(permissions),
        "position": position,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "icon": None,
        "unicode_emoji": None,
        "flags": 0,
    }


def channel(channel_id: int, guild_id: int, spec: str | dict[str, Any], position: int) -> dict[str, Any]:
    """A text channel named ``spec``, or the channel ``spec`` describes (its keys win, its id if it has one)."""
    base: dict[str, Any] = {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(guild_id),
        "name": spec if isinstance(spec, str) else "channel",
        "position": position,
        "permission_overwrites": [],
        "parent_id": None,
        "nsfw": False,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }
    if isinstance(spec, dict):
        base.update(spec)
        base["id"] = str(spec.get("id") or base["id"])
    return base


def dm_channel(channel_id: int, recipient: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 1,
        "recipients": [recipient],
        "last_message_id": None,
    }


def member(user: dict[str, Any], roles: list[int]) -> dict[str, Any]:
    return {
        "user": user,
        "roles": [str(r) for r in roles],
        "nick": None,
        "avatar": None,
        "banner": None,
        "joined_at": now_iso(),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
    }


def guild_create(guild: FakeGuild) -> dict[str, Any]:
    """The full guild of GUILD_CREATE (also ``GET /guilds/{id}``): its channels, roles and every member."""
    return {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "owner_id": str(guild.owner_id),
        "roles": guild.roles,
        "channels": [{k: v for k, v in c.items() if k != "guild_id"} for c in guild.channels],
        "members": list(guild.members.values()),
        "member_count": len(guild.members),
        "unavailable": False,
        "large": False,
        "joined_at": now_iso(),
        "features": [],
        "emojis": [],
        "stickers": [],
        "threads": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "preferred_locale": guild.locale,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "system_channel_flags": 0,
    }


def message(msg: SentMessage, *, author: dict[str, Any], application_id: int) -> dict[str, Any]:
    """A message the bot sent, without ``referenced_message`` (that needs a lookup the caller does)."""
    assert msg.message_id is not None
    payload: dict[str, Any] = {
        "id": str(msg.message_id),
        "channel_id": str(msg.channel_id),
        "type": 0,
        "content": msg.content or "",
        "author": author,
        "attachments": msg.attachments,
        "embeds": msg.embeds,
        "components": msg.components,
        "mentions": [],
        "mention_roles": [],
        "mention_everyone": False,
        "pinned": False,
        "tts": False,
        "timestamp": iso(msg.message_id),
        "edited_timestamp": now_iso() if len(msg.edit_times) > 1 else None,
        "flags": msg.flags,
    }
    if msg.kind != "channel":
        payload["webhook_id"] = str(application_id)
        payload["application_id"] = str(application_id)
        payload["type"] = 20 if msg.kind == "callback" else 0
    if msg.reference_message_id is not None:
        payload["type"] = 19
        payload["message_reference"] = {
            "type": 0,
            "message_id": str(msg.reference_message_id),
            "channel_id": str(msg.channel_id),
            **({"guild_id": str(msg.guild_id)} if msg.guild_id else {}),
        }
    return payload


def user_message(
    message_id: int,
    channel_id: int,
    author: dict[str, Any],
    content: str,
    *,
    attachments: list[dict[str, Any]],
    mentions: list[dict[str, Any]],
    flags: int,
) -> dict[str, Any]:
    """A message a user posts, before a reply's reference or a guild's member are added."""
    return {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "type": 0,
        "content": content,
        "author": author,
        "attachments": attachments,
        "embeds": [],
        "components": [],
        "mentions": mentions,
        "mention_roles": [],
        "mention_everyone": False,
        "pinned": False,
        "tts": False,
        "flags": flags,
        "timestamp": iso(message_id),
        "edited_timestamp": None,
    }


def application(
    application_id: int, bot_user: dict[str, Any], owner: dict[str, Any], flags: int = (1 << 19) | (1 << 23)
) -> dict[str, Any]:
    return {
        "id": str(application_id),
        "name": bot_user["username"],
        "description": "",
        "icon": None,
        "bot_public": False,
        "bot_require_code_grant": False,
        "owner": owner,
        "verify_key": "0" * 64,
        "flags": flags,
        "bot": bot_user,
        "interactions_endpoint_url": None,
        "redirect_uris": [],
        "tags": [],
    }
