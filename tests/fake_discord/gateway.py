"""The gateway websocket: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, RESUME, event dispatch.

Frames are zlib-stream compressed when the client asks for it, as discord.py does by default, so the client's
decompression runs in the tests too.  Heartbeat times are kept: a blocked event loop in the bot shows up as
a late heartbeat (``max_heartbeat_gap``).
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
import zlib
from typing import Any

from aiohttp import WSMsgType, web

from tests.fake_discord import payloads
from tests.fake_discord.records import GatewayConnection
from tests.fake_discord.state import FakeState


class GatewayMixin(FakeState):
    """One bot connection at a time; events go to the one that identified or resumed last."""

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
            if self._conn is conn:
                self._conn = None
                self._connected.clear()
        return ws

    async def _on_gateway_frame(self, conn: GatewayConnection, frame: dict[str, Any]) -> None:
        op, data = frame.get("op"), frame.get("d")
        if op == 1:
            self.heartbeats.append(time.monotonic())
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
        self._intents = int(data.get("intents", 0))
        self._session_id = secrets.token_hex(16)
        self._seq = 0
        self._conn = conn
        ready: dict[str, Any] = {
            "v": 10,
            "user": {**self.bot_user, "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(gid), "unavailable": True} for gid in self.guilds],
            "session_id": self._session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": (1 << 19) | (1 << 23)},
            "private_channels": [],
            "relationships": [],
        }
        if "shard" in data:
            ready["shard"] = data["shard"]
        await self._dispatch("READY", ready)
        for guild in self.guilds.values():
            await self._dispatch("GUILD_CREATE", payloads.guild_create(guild))
        self._connected.set()

    async def _on_resume(self, conn: GatewayConnection, data: dict[str, Any]) -> None:
        if data.get("token") != self.token or data.get("session_id") != self._session_id:
            await self._send(conn, {"op": 9, "d": False})
            return
        self._conn = conn
        self.resumes += 1
        await self._dispatch("RESUMED", {})
        self._connected.set()

    async def _on_request_members(self, conn: GatewayConnection, data: dict[str, Any]) -> None:
        guild = self.guilds.get(int(data["guild_id"]))
        members = list(guild.members.values()) if guild else []
        chunk = {"guild_id": data["guild_id"], "members": members, "chunk_index": 0, "chunk_count": 1}
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await self._dispatch("GUILD_MEMBERS_CHUNK", chunk)

    async def _send(self, conn: GatewayConnection, payload: dict[str, Any]) -> None:
        """One frame; zlib-stream frames share one compressor, so order and compression stay under a lock."""
        async with conn.lock:
            if payload.get("op") == 0:
                self._seq += 1
                payload["s"] = self._seq
            else:
                payload.setdefault("s", None)
            payload.setdefault("t", None)
            text = json.dumps(payload)
            if conn.compressor is None:
                await conn.ws.send_str(text)
            else:
                data = conn.compressor.compress(text.encode()) + conn.compressor.flush(zlib.Z_SYNC_FLUSH)
                await conn.ws.send_bytes(data)

    async def _dispatch(self, event: str, data: dict[str, Any]) -> None:
        if self._conn is None:
            raise RuntimeError(f"cannot dispatch {event}: no bot is connected to the fake gateway")
        await self._send(self._conn, {"op": 0, "t": event, "d": data})

    async def wait_until_connected(self, timeout: float = 10.0) -> None:
        """Until the bot has identified (READY + GUILD_CREATEs sent) or resumed."""
        await asyncio.wait_for(self._connected.wait(), timeout)

    async def disconnect_gateway(self, code: int = 4000) -> None:
        """Drop the bot's gateway connection; with 4000 discord.py reconnects and RESUMEs."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            self._connected.clear()
            await conn.ws.close(code=code)

    def max_heartbeat_gap(self) -> float:
        """Longest time between consecutive heartbeats (seconds), to spot a blocked event loop."""
        gaps = [b - a for a, b in zip(self.heartbeats, self.heartbeats[1:], strict=False)]
        return max(gaps, default=0.0)
