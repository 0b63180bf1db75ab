"""The REST API apart from messages: authentication, injected failures, unknown routes, and the plain
read/write endpoints (users, DMs, the application, command sync, channels, guilds, members, attachments).

Responses carry Discord's error codes and shapes, because discord.py turns them into its own exceptions and
the bot reacts to those.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aiohttp import web

from tests.fake_discord import payloads
from tests.fake_discord.constants import API_PREFIX
from tests.fake_discord.records import InjectedFailure, UnknownRoute
from tests.fake_discord.state import FakeState


def json_response(data: Any, status: int = 200) -> web.Response:
    """JSON with the exact content type discord.py checks (``== 'application/json'``, no charset suffix)."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def error_response(
    status: int, code: int, message: str, errors: dict[str, Any] | None = None
) -> web.Response:
    body: dict[str, Any] = {"message": message, "code": code}
    if errors:
        body["errors"] = errors
    return json_response(body, status)


def form_error(field_name: str, code: str, message: str) -> web.Response:
    """Discord's 400 "Invalid Form Body" shape (code 50035)."""
    errors = {field_name: {"_errors": [{"code": code, "message": message}]}}
    return error_response(400, 50035, "Invalid Form Body", errors)


class RestMixin(FakeState):
    """Every request passes ``_middleware``; a route the fake does not know is recorded, never guessed."""

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Callable[..., Any]) -> web.StreamResponse:
        """Log the request, apply injected failures, and check the bot token like Discord does."""
        path = request.path
        self.requests.append((request.method, path))
        for failure in self._failures:
            if failure.remaining and failure.method == request.method and failure.path_contains in path:
                failure.remaining -= 1
                resp = json_response(failure.body, failure.status)
                resp.headers.update(failure.headers)
                return resp
        authorized = request.headers.get("Authorization") == f"Bot {self.token}"
        if path.startswith(API_PREFIX) and self._needs_auth(path) and not authorized:
            return error_response(401, 0, "401: Unauthorized")
        return await handler(request)

    @staticmethod
    def _needs_auth(path: str) -> bool:
        """Interaction callbacks and webhook-token routes authenticate by their token, not the bot's."""
        tail = path[len(API_PREFIX) :]
        return not (tail.startswith(("/interactions/", "/webhooks/")) or tail == "/gateway")

    def fail_next(
        self,
        method: str,
        path_contains: str,
        *,
        status: int = 500,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` matching requests fail (to test the bot's error handling).

        For a 429 that discord.py retries, pass ``headers={"Via": "1.1 google"}`` and ``body={"retry_after":
        0.1, "global": False, "message": "..."}``; without ``Via`` discord.py treats 429 as a Cloudflare ban.
        """
        body = body if body is not None else {"message": "injected failure", "code": 0}
        self._failures.append(InjectedFailure(method, path_contains, status, body, headers or {}, times))

    async def _unknown(self, request: web.Request) -> web.Response:
        body = (await request.read()).decode(errors="replace")[:2000]
        self.unknown_routes.append(UnknownRoute(request.method, request.path, request.query_string, body))
        return error_response(404, 0, "404: Not Found")

    @staticmethod
    async def _no_content(request: web.Request) -> web.Response:
        return web.Response(status=204)

    async def _get_gateway(self, request: web.Request) -> web.Response:
        return json_response({"url": self.gateway_url})

    async def _get_gateway_bot(self, request: web.Request) -> web.Response:
        limit = {
            "total": 1000,
            "remaining": 999,
            "reset_after": 14400000,
            "max_concurrency": self.max_concurrency,
        }
        return json_response({"url": self.gateway_url, "shards": self.shards, "session_start_limit": limit})

    async def _get_me(self, request: web.Request) -> web.Response:
        return json_response({**self.bot_user, "verified": True, "mfa_enabled": False, "locale": "en-US"})

    async def _get_user(self, request: web.Request) -> web.Response:
        user = self._users.get(int(request.match_info["user_id"]))
        return json_response(user) if user else error_response(404, 10013, "Unknown User")

    async def _create_dm(self, request: web.Request) -> web.Response:
        recipient = int((await request.json())["recipient_id"])
        if recipient not in self._users:
            return error_response(404, 10013, "Unknown User")
        channel_id = next((c for c, u in self._dm_channels.items() if u == recipient), None)
        if channel_id is None:
            channel_id = self.new_id()
            self._dm_channels[channel_id] = recipient
        return json_response(self._find_channel(channel_id)[1])

    async def _get_application(self, request: web.Request) -> web.Response:
        return json_response(
            payloads.application(self.application_id, self.bot_user, self.owner_user, self.application_flags)
        )

    async def _get_commands(self, request: web.Request) -> web.Response:
        guild_id = request.match_info.get("guild_id")
        if guild_id is None:
            return json_response(self.global_commands)
        return json_response(self.guild_commands.get(int(guild_id), []))

    async def _put_commands(self, request: web.Request) -> web.Response:
        """Bulk overwrite: keep ids of commands that already existed by (name, type), like Discord."""
        guild_id = payloads.snowflake(request.match_info.get("guild_id"))
        old = self.global_commands if guild_id is None else self.guild_commands.get(guild_id, [])
        old_ids = {(c["name"], c.get("type", 1)): c["id"] for c in old}
        synced = []
        for spec in await request.json():
            command = {
                "type": 1,
                "description": "",
                "options": [],
                "default_member_permissions": None,
                "nsfw": False,
                **spec,
            }
            command["id"] = old_ids.get((command["name"], command["type"]), str(self.new_id()))
            command["application_id"] = str(self.application_id)
            command["version"] = str(self.new_id())
            if guild_id is not None:
                command["guild_id"] = str(guild_id)
            synced.append(command)
        if guild_id is None:
            self.global_commands = synced
        else:
            self.guild_commands[guild_id] = synced
        return json_response(synced)

    async def _get_channel(self, request: web.Request) -> web.Response:
        _, channel = self._find_channel(int(request.match_info["channel_id"]))
        return json_response(channel) if channel else error_response(404, 10003, "Unknown Channel")

    async def _get_guild(self, request: web.Request) -> web.Response:
        guild = self.guilds.get(int(request.match_info["guild_id"]))
        return (
            json_response(payloads.guild_create(guild))
            if guild
            else error_response(404, 10004, "Unknown Guild")
        )

    async def _get_member(self, request: web.Request) -> web.Response:
        guild = self.guilds.get(int(request.match_info["guild_id"]))
        if guild is None:
            return error_response(404, 10004, "Unknown Guild")
        member = guild.members.get(int(request.match_info["user_id"]))
        return json_response(member) if member else error_response(404, 10007, "Unknown Member")

    async def _serve_attachment(self, request: web.Request) -> web.Response:
        stored = self._files.get(int(request.match_info["attachment_id"]))
        if stored is None:
            return web.Response(status=404, text="Not Found")
        _, data, content_type = stored
        return web.Response(body=data, headers={"Content-Type": content_type})
