"""The gateway websocket: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, RESUME, event dispatch.

Sharded like Discord: each IDENTIFY may carry ``shard: [id, count]`` on its own connection; a guild's events
go only to the shard that owns it, ``(guild_id >> 22) % count``, and that shard's READY lists only its
guilds; events without a guild (direct messages) go to shard 0. A bot that sends no ``shard`` is shard 0 of 1.

Frames are zlib-stream compressed when the client asks for it, as discord.py does by default, so the client's
decompression runs in the tests too.  Heartbeat times are kept: a blocked event loop in the bot shows up as
a late heartbeat (``max_heartbeat_gap``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import time
import zlib
from typing import Any

from aiohttp import WSMsgType, web

from tests.fake_discord import payloads
from tests.fake_discord.records import GatewayConnection, GatewaySession
from tests.fake_discord.state import FakeState


class GatewayMixin(FakeState):
    """One connection per shard; a shard's events go to the connection that identified or resumed it last."""

    async def _gateway_ws(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        self._all_ws.add(ws)
        self.gateway_queries.append(dict(request.query))
        wants_zlib = request.query.get("compress") == "zlib-stream" and self.compress_frames
        conn = GatewayConnection(ws, zlib.compressobj() if wants_zlib else None)
        try:
            await self._send(conn, {"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
            async for frame in ws:
                if frame.type is WSMsgType.TEXT or frame.type is WSMsgType.BINARY:
                    await self._on_gateway_frame(conn, json.loads(frame.data))
        finally:
            self._all_ws.discard(ws)
            self._drop(conn)
        return ws

    def _drop(self, conn: GatewayConnection) -> None:
        shard = conn.session.shard_id if conn.session else None
        if shard is not None and self._conns.get(shard) is conn:
            del self._conns[shard]
            self._connected.clear()

    async def _on_gateway_frame(self, conn: GatewayConnection, frame: dict[str, Any]) -> None:
        op, data = frame.get("op"), frame.get("d")
        if op == 1:
            now = time.monotonic()
            self.heartbeats.append(now)
            shard = conn.session.shard_id if conn.session else 0
            self.heartbeats_by_shard.setdefault(shard, []).append(now)
            await self._send(conn, {"op": 11})
        elif op == 2:
            await self._on_identify(conn, data)
        elif op == 6:
            await self._on_resume(conn, data)
        elif op == 8:
            await self._on_request_members(conn, data)

    async def _on_identify(self, conn: GatewayConnection, data: dict[str, Any]) -> None:
        self.identify_payloads.append(data)
        if data.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        shard_id, count = data.get("shard", [0, 1])
        if not (isinstance(shard_id, int) and isinstance(count, int) and 0 <= shard_id < count):
            await conn.ws.close(code=4010, message=b"Invalid shard.")
            return
        mine = [g for g in self.guilds.values() if (g.id >> 22) % count == shard_id]
        if self.guilds_per_shard is not None and len(mine) > self.guilds_per_shard:
            await conn.ws.close(code=4011, message=b"Sharding required.")
            return
        if count != self._shard_count:  # a new layout: connections of the old one carry nothing more
            self._conns.clear()
            self._shard_count = count
        self._intents = int(data.get("intents", 0))
        session = GatewaySession(secrets.token_hex(16), shard_id, count)
        self._sessions[session.session_id] = session
        conn.session = session
        self._conns[shard_id] = conn
        ready: dict[str, Any] = {
            "v": 10,
            "user": {**self.bot_user, "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in mine],
            "session_id": session.session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": (1 << 19) | (1 << 23)},
            "private_channels": [],
            "relationships": [],
        }
        if "shard" in data:
            ready["shard"] = data["shard"]
        self.ready_payloads.append(ready)
        await self._send_event(conn, "READY", ready)
        for guild in mine:
            await self._send_event(conn, "GUILD_CREATE", payloads.guild_create(guild))
        self._update_connected()

    async def _on_resume(self, conn: GatewayConnection, data: dict[str, Any]) -> None:
        session = self._sessions.get(str(data.get("session_id")))
        if data.get("token") != self.token or session is None or session.shard_count != self._shard_count:
            await self._send(conn, {"op": 9, "d": False})
            return
        conn.session = session
        self._conns[session.shard_id] = conn
        self.resumes += 1
        await self._send_event(conn, "RESUMED", {})
        self._update_connected()

    async def _on_request_members(self, conn: GatewayConnection, data: dict[str, Any]) -> None:
        guild = self.guilds.get(int(data["guild_id"]))
        members = list(guild.members.values()) if guild else []
        chunk = {"guild_id": data["guild_id"], "members": members, "chunk_index": 0, "chunk_count": 1}
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await self._dispatch("GUILD_MEMBERS_CHUNK", chunk)

    def _update_connected(self) -> None:
        if all(shard in self._conns for shard in range(self._shard_count)):
            self._connected.set()

    async def _send(self, conn: GatewayConnection, payload: dict[str, Any]) -> None:
        """One frame; zlib-stream frames share one compressor, so order and compression stay under a lock."""
        async with conn.lock:
            if payload.get("op") == 0 and conn.session is not None:
                conn.session.seq += 1
                payload["s"] = conn.session.seq
            else:
                payload.setdefault("s", None)
            payload.setdefault("t", None)
            text = json.dumps(payload)
            if conn.compressor is None:
                await conn.ws.send_str(text)
            else:
                data = conn.compressor.compress(text.encode()) + conn.compressor.flush(zlib.Z_SYNC_FLUSH)
                await conn.ws.send_bytes(data)

    async def _send_event(self, conn: GatewayConnection, event: str, data: dict[str, Any]) -> None:
        await self._send(conn, {"op": 0, "t": event, "d": data})

    def shard_of(self, guild_id: int | None) -> int:
        """The shard that carries this guild's events as the bot identified (Discord's formula); DMs: 0."""
        return 0 if guild_id is None else (guild_id >> 22) % self._shard_count

    def _shard_connected(self, guild_id: int | None) -> bool:
        return self.shard_of(guild_id) in self._conns

    async def _dispatch(self, event: str, data: dict[str, Any]) -> None:
        guild_id = (
            data.get("id") if event.startswith("GUILD_") and "guild_id" not in data else data.get("guild_id")
        )
        shard = self.shard_of(None if guild_id is None else int(guild_id))
        conn = self._conns.get(shard)
        if conn is None:
            raise RuntimeError(f"cannot dispatch {event}: shard {shard} of the bot is not connected")
        self.dispatched_on.append((event, shard))
        await self._send_event(conn, event, data)

    async def wait_until_connected(self, timeout: float = 10.0) -> None:
        """Until every shard of the bot has identified (READY + GUILD_CREATEs sent) or resumed."""
        await asyncio.wait_for(self._connected.wait(), timeout)

    async def disconnect_gateway(self, code: int = 4000, shard_id: int | None = None) -> None:
        """Drop the bot's gateway connections (or one shard's); with 4000 discord.py reconnects and RESUMEs."""
        shards = list(self._conns) if shard_id is None else [shard_id]
        for shard in shards:
            conn = self._conns.pop(shard, None)
            if conn is not None:
                self._connected.clear()
                await conn.ws.close(code=code)

    def max_heartbeat_gap(self) -> float:
        """Longest time between consecutive heartbeats of one shard (seconds), to spot a blocked event loop."""
        gaps = [b - a for beats in self.heartbeats_by_shard.values() for a, b in itertools.pairwise(beats)]
        return max(gaps, default=0.0)
