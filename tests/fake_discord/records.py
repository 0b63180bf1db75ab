"""What the fake stores: what the bot sent, the world it was given, and the state behind interactions.

Tests read these records (``FakeDiscord.messages``, ``callbacks``, ``reactions``, ``guilds``) instead of
mocks' call lists, so an assertion is about what Discord would have seen.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fake_discord.constants import MessageFlag, Perm


@dataclass
class SentMessage:
    """Something the bot said: a channel message, an interaction callback or a followup.

    ``kind`` is "channel" (POST /channels/{id}/messages), "callback" (an interaction callback; types 4 and 5
    are also the interaction's original message) or "followup" (POST /webhooks/{app}/{token}).  Edits change
    the same object in place and append to ``history`` so a test can see progress edits ("transcribing 40%").
    """

    kind: str
    channel_id: int | None
    content: str | None
    embeds: list[dict[str, Any]]
    files: list[tuple[str, bytes]]
    flags: int
    reference_message_id: int | None
    components: list[dict[str, Any]]
    message_id: int | None
    interaction_token: str | None
    callback_type: int | None = None
    guild_id: int | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    history: list[str | None] = field(default_factory=list)
    edit_times: list[float] = field(default_factory=list)
    deleted: bool = False
    payload: dict[str, Any] = field(default_factory=dict)
    created_at: float = field(default_factory=time.monotonic)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & MessageFlag.EPHEMERAL)

    @property
    def loading(self) -> bool:
        """True while a deferred ("thinking…") response has not been filled in yet."""
        return bool(self.flags & MessageFlag.LOADING)

    @property
    def file_names(self) -> list[str]:
        return [name for name, _ in self.files]


@dataclass
class ReactionEvent:
    channel_id: int
    message_id: int
    emoji: str
    added: bool
    at: float = field(default_factory=time.monotonic)


@dataclass
class UnknownRoute:
    method: str
    path: str
    query: str
    body: str


@dataclass
class FakeInteraction:
    """What a dispatch_* helper returns: enough to find the bot's answers."""

    id: int
    token: str
    payload: dict[str, Any]


@dataclass
class FakeGuild:
    id: int
    name: str
    owner_id: int
    channels: list[dict[str, Any]]
    roles: list[dict[str, Any]]
    members: dict[int, dict[str, Any]]
    default_user_id: int
    locale: str = "en-US"  # the server's preferred_locale (GUILD_CREATE) and every interaction's guild_locale

    @property
    def text_channel_id(self) -> int:
        """The first text channel: where helpers send things when no channel is named."""
        return next(int(c["id"]) for c in self.channels if c["type"] == 0)

    def role_id(self, name: str) -> int:
        return next(int(r["id"]) for r in self.roles if r["name"] == name)

    def permissions(self, user_id: int) -> int:
        """Guild-level permissions (no channel overwrites): what Discord sends as member.permissions."""
        if user_id == self.owner_id:
            return Perm.ALL
        member = self.members.get(user_id)
        role_ids = {str(self.id), *(member["roles"] if member else [])}
        perms = 0
        for role in self.roles:
            if role["id"] in role_ids:
                perms |= int(role["permissions"])
        return Perm.ALL if perms & Perm.ADMINISTRATOR else perms

    def channel_permissions(self, user_id: int, channel: dict[str, Any]) -> int:
        """Permissions in one channel, as Discord sends them in an interaction: the guild's, then the
        channel's overwrites for @everyone, the member's roles together, and the member, in that order."""
        perms = self.permissions(user_id)
        if perms & Perm.ADMINISTRATOR:  # the owner and administrators: overwrites do not apply
            return perms
        member = self.members.get(user_id)
        roles = set(member["roles"] if member else [])
        overwrites = channel.get("permission_overwrites") or []

        def apply(perms: int, matching: list[dict[str, Any]]) -> int:
            deny = allow = 0
            for overwrite in matching:
                deny |= int(overwrite.get("deny", 0))
                allow |= int(overwrite.get("allow", 0))
            return (perms & ~deny) | allow

        perms = apply(perms, [o for o in overwrites if o["id"] == str(self.id)])
        perms = apply(perms, [o for o in overwrites if o["type"] == 0 and o["id"] in roles])
        return apply(perms, [o for o in overwrites if o["type"] == 1 and o["id"] == str(user_id)])


@dataclass
class InteractionState:
    """The fake's side of one interaction: whether and how it was answered decides what its token allows."""

    id: int
    type: int
    token: str
    guild_id: int | None
    channel_id: int
    created_at: float
    source_message_id: int | None = None
    callback_type: int | None = None
    original_message_id: int | None = None


@dataclass
class InjectedFailure:
    """A planned error response (``FakeDiscord.fail_next``), for testing how the bot copes with Discord failing."""

    method: str
    path_contains: str
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    remaining: int


@dataclass
class GatewaySession:
    """One shard's session: what IDENTIFY created and RESUME continues (its id and sequence numbers)."""

    session_id: str
    shard_id: int
    shard_count: int
    seq: int = 0


@dataclass
class GatewayConnection:
    """One bot connection: a zlib stream has one compressor for the whole connection, so frames share it.

    ``session`` is set by IDENTIFY or RESUME; until then the connection carries no events.
    """

    ws: web.WebSocketResponse
    compressor: Any | None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    session: GatewaySession | None = None
