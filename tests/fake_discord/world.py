"""Setting up the world the bot connects to: guilds, roles, members and uploaded files.

Tests call these before the bot connects (guilds reach it in GUILD_CREATE) or while it runs (members,
attachments); the REST routes use ``add_attachment`` too, for what the bot uploads.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from tests.fake_discord import payloads
from tests.fake_discord.constants import Perm
from tests.fake_discord.records import FakeGuild
from tests.fake_discord.state import FakeState


class WorldMixin(FakeState):
    """Guilds with their roles and members, and files served from this server's attachment URLs."""

    def add_guild(
        self,
        guild_id: int | None = None,
        name: str = "Test Guild",
        *,
        channels: Sequence[str | dict[str, Any]] = ("general",),
        owner_id: int | None = None,
        roles: Sequence[dict[str, Any]] = (),
        members: Sequence[str | dict[str, Any]] = (),
        everyone_permissions: int = Perm.EVERYONE_DEFAULT,
        bot_permissions: int = Perm.BOT_DEFAULT,
        locale: str = "en-US",
    ) -> FakeGuild:
        """Create a guild delivered in GUILD_CREATE after IDENTIFY.

        It always has @everyone (id == guild id), a "Bot" role for the bot, the bot as a member, an owner and
        a plain member "user" (the default author for dispatch helpers).  ``roles`` are dicts with at least
        "name" (and "permissions" as int); ``members`` are names or user payloads, added without extra roles.
        ``locale`` is the server's preferred locale, sent as preferred_locale and as interactions' guild_locale.
        """
        gid = guild_id or self._guild_id_on_shard((self.shards - 1 - len(self.guilds)) % self.shards)
        everyone = payloads.role(gid, "@everyone", everyone_permissions, position=0)
        guild = FakeGuild(gid, name, 0, [], [everyone], {}, 0, locale)
        self.guilds[gid] = guild
        for role in roles:
            self.add_role(
                gid, role["name"], int(role.get("permissions", 0)), role_id=payloads.snowflake(role.get("id"))
            )
        for position, channel in enumerate(channels):
            guild.channels.append(payloads.channel(self.new_id(), gid, channel, position))
        bot_role = self.add_role(gid, "Bot", bot_permissions)
        self._add_member_payload(guild, self.bot_user, [bot_role])
        owner = self._users.get(owner_id) if owner_id else None
        owner = owner or self.make_user("owner", user_id=owner_id)
        guild.owner_id = int(owner["id"])
        self._add_member_payload(guild, owner, [])
        guild.default_user_id = int(self.add_member(gid, "user")["id"])
        for member in members:
            self.add_member(gid, member)
        return guild

    def _guild_id_on_shard(self, shard: int) -> int:
        """A fresh guild id that Discord's formula puts on ``shard`` of ``self.shards``.

        New guilds go round the shards from the last one down, so with 2 shards the first guild (the one most
        tests use) is served by shard 1, not by shard 0 where direct messages arrive, and a second guild by
        shard 0. The id's timestamp moves ahead by at most ``shards - 1`` milliseconds.
        """
        gid = self.new_id()
        while (gid >> 22) % self.shards != shard:
            gid += 1 << 22
        self._next_id = max(self._next_id, gid)
        return gid

    def add_role(self, guild_id: int, name: str, permissions: int, *, role_id: int | None = None) -> int:
        guild = self.guilds[guild_id]
        role = payloads.role(role_id or self.new_id(), name, permissions, position=len(guild.roles))
        guild.roles.append(role)
        return int(role["id"])

    def add_member(
        self,
        guild_id: int,
        user: str | dict[str, Any],
        *,
        roles: Sequence[int] = (),
        permissions: int | None = None,
    ) -> dict[str, Any]:
        """Add a member (a name makes a new user) and return the user payload.

        ``permissions`` gives the member a role of their own with exactly those extra bits.
        """
        guild = self.guilds[guild_id]
        payload = self.make_user(user) if isinstance(user, str) else user
        self._users[int(payload["id"])] = payload
        role_ids = list(roles)
        if permissions is not None:
            role_ids.append(self.add_role(guild_id, f"{payload['username']}-perms", permissions))
        self._add_member_payload(guild, payload, role_ids)
        return payload

    def add_moderator(self, guild_id: int, name: str = "moderator") -> dict[str, Any]:
        """A member holding a "Moderator" role with MANAGE_GUILD (created on first use)."""
        guild = self.guilds[guild_id]
        try:
            role_id = guild.role_id("Moderator")
        except StopIteration:
            role_id = self.add_role(guild_id, "Moderator", Perm.MANAGE_GUILD)
        return self.add_member(guild_id, name, roles=[role_id])

    def add_attachment(
        self,
        filename: str,
        data: bytes,
        content_type: str,
        *,
        channel_id: int = 0,
        duration_secs: float | None = None,
        waveform: str | None = None,
    ) -> dict[str, Any]:
        """Store bytes and return a Discord attachment payload whose URLs point at this server.

        URLs carry Discord's signed query string (``?ex=..&is=..&hm=..&``) so code that looks at the
        URL's suffix instead of ``filename``/``content_type`` fails here the way it would in production.
        """
        att_id = self.new_id()
        self._files[att_id] = (filename, data, content_type)
        path = f"/attachments/{channel_id}/{att_id}/{quote(filename)}"
        query = f"?ex={int(time.time()) + 86400:x}&is={int(time.time()):x}&hm={secrets.token_hex(32)}&"
        payload: dict[str, Any] = {
            "id": str(att_id),
            "filename": filename,
            "size": len(data),
            "url": f"{self.base_url}{path}{query}",
            "proxy_url": f"{self.base_url}{path}{query}",
            "content_type": content_type,
        }
        if duration_secs is not None:
            payload["duration_secs"] = duration_secs
            payload["waveform"] = waveform or "AAAAAAAAAAAA"
        return payload

    def _add_member_payload(self, guild: FakeGuild, user: dict[str, Any], roles: list[int]) -> None:
        guild.members[int(user["id"])] = payloads.member(user, roles)
