"""What every part of the fake shares: its configuration, what it stored, and how it finds things again.

The fake is one object (``FakeDiscord``) assembled from mixins by responsibility: world set-up, REST, message
routes, gateway and the driver that tests use.  They all read and write the state held here, and signal
each other only through ``_notify`` (something the bot did changed the records) and ``_dispatch`` (send a
gateway event), so no mixin needs to know another's internals.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aiohttp import web

from tests.fake_discord import payloads
from tests.fake_discord.constants import API_PREFIX, DISCORD_EPOCH_MS
from tests.fake_discord.records import (
    FakeGuild,
    GatewayConnection,
    GatewaySession,
    InjectedFailure,
    InteractionState,
    ReactionEvent,
    SentMessage,
    UnknownRoute,
)


class FakeState:
    """The state of the fake Discord and the lookups over it."""

    def __init__(
        self,
        *,
        token: str = "fake-token",
        bot_name: str = "CaptionBot",
        heartbeat_interval_ms: int = 41250,
        interaction_ack_timeout: float | None = 3.0,
        attachment_size_limit: int = 10 * 1024 * 1024,
        compress_frames: bool = True,
        echo_bot_messages: bool = True,
        shards: int = 1,
        max_concurrency: int = 1,
        guilds_per_shard: int | None = None,
    ) -> None:
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.interaction_ack_timeout = interaction_ack_timeout
        self.attachment_size_limit = attachment_size_limit
        self.compress_frames = compress_frames
        self.echo_bot_messages = echo_bot_messages
        # What GET /gateway/bot recommends, and how add_guild spreads new guilds over the shards.
        self.shards = shards
        self.max_concurrency = max_concurrency
        # More guilds than this on one shard: IDENTIFY is refused with 4011, as Discord does past 2,500.
        self.guilds_per_shard = guilds_per_shard

        self._next_id = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._users: dict[int, dict[str, Any]] = {}
        self.application_id = self.new_id()
        self.bot_user = self.make_user(bot_name, user_id=self.application_id, bot=True)
        self.owner_user = self.make_user("app-owner")
        # The application's flags (GET /applications/@me): the Message Content intent for a bot on under 100
        # servers (1 << 19) and the commands badge (1 << 23). A test clears 1 << 19 to turn the intent off.
        self.application_flags = (1 << 19) | (1 << 23)

        self.guilds: dict[int, FakeGuild] = {}
        self.messages: list[SentMessage] = []
        self.callbacks: list[SentMessage] = []
        self.reactions: list[ReactionEvent] = []
        self.heartbeats: list[float] = []
        self.heartbeats_by_shard: dict[int, list[float]] = {}
        self.unknown_routes: list[UnknownRoute] = []
        self.requests: list[tuple[str, str]] = []
        self.dropped_events: list[tuple[str, str]] = []
        self.identify_payloads: list[dict[str, Any]] = []
        self.ready_payloads: list[dict[str, Any]] = []  # what each successful IDENTIFY got back
        # ?v=10&encoding=json&compress=zlib-stream, per connect
        self.gateway_queries: list[dict[str, str]] = []
        self.resumes = 0
        self.dispatched_on: list[tuple[str, int]] = []  # (event, shard) of each event dispatched, in order
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}

        self._dm_channels: dict[int, int] = {}  # channel id -> recipient user id
        self._sent: dict[int, SentMessage] = {}
        self._incoming: dict[int, dict[str, Any]] = {}
        self._files: dict[int, tuple[str, bytes, str]] = {}
        self._interactions: dict[str, InteractionState] = {}
        self._failures: list[InjectedFailure] = []
        self._intents = 0
        self._sessions: dict[str, GatewaySession] = {}
        self._conns: dict[int, GatewayConnection] = {}  # shard id -> the connection carrying its events
        self._shard_count = 1  # as the bot identified
        self._all_ws: set[web.WebSocketResponse] = set()
        self._connected = asyncio.Event()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """The value for ``discord.http.Route.BASE``."""
        return f"{self.base_url}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """The value for ``DiscordWebSocket.DEFAULT_GATEWAY`` (also what ``GET /gateway/bot`` returns)."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def bot_id(self) -> int:
        return int(self.bot_user["id"])

    def new_id(self) -> int:
        """A fresh, increasing snowflake (its timestamp part is "now", so ``created_at`` is sensible)."""
        now = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._next_id = max(self._next_id + 1, now)
        return self._next_id

    def make_user(self, name: str, *, user_id: int | None = None, bot: bool = False) -> dict[str, Any]:
        uid = user_id or self.new_id()
        user = payloads.user(uid, name, bot=bot)
        self._users[uid] = user
        return user

    def _find_channel(self, channel_id: int) -> tuple[FakeGuild | None, dict[str, Any] | None]:
        for guild in self.guilds.values():
            for channel in guild.channels:
                if int(channel["id"]) == channel_id:
                    return guild, channel
        if channel_id in self._dm_channels:
            return None, payloads.dm_channel(channel_id, self._users[self._dm_channels[channel_id]])
        return None, None

    def _member_for_interaction(self, guild: FakeGuild, user_id: int) -> dict[str, Any]:
        member = dict(guild.members[user_id])
        member["permissions"] = str(guild.permissions(user_id))
        return member

    def _message_payload(self, msg: SentMessage, *, with_reference: bool = True) -> dict[str, Any]:
        payload = payloads.message(msg, author=self.bot_user, application_id=self.application_id)
        if with_reference and msg.reference_message_id is not None:
            referenced = self._lookup_message_payload(msg.reference_message_id, with_reference=False)
            if referenced is not None:
                payload["referenced_message"] = referenced
        return payload

    def _lookup_message_payload(
        self, message_id: int, *, with_reference: bool = True
    ) -> dict[str, Any] | None:
        """Any message the bot could fetch: one a user posted, or one the bot sent and has not deleted."""
        if message_id in self._incoming:
            return self._incoming[message_id]
        sent = self._sent.get(message_id)
        if sent is None or sent.deleted:
            return None
        return self._message_payload(sent, with_reference=with_reference)

    async def _notify(self) -> None:
        """Wake the ``wait_for_*`` helpers: they recheck their condition on every change the bot makes."""
        async with self._changed:
            self._changed.notify_all()

    def _shard_connected(self, guild_id: int | None) -> bool:
        """Whether the shard carrying this guild's events (shard 0 for direct messages) is connected."""
        raise NotImplementedError

    async def _dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway event to the connected bot, on the shard of its guild (``GatewayMixin`` does)."""
        raise NotImplementedError
