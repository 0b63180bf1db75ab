"""The fake Discord server: one object that tests configure, drive and inspect."""

from __future__ import annotations

import asyncio
import contextlib
import json
import mimetypes
import secrets
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from aiohttp import web

from tests.fake_discord import payloads
from tests.fake_discord.constants import API_PREFIX, CallbackType, Intent, MessageFlag, Perm
from tests.fake_discord.gateway import GatewayMixin
from tests.fake_discord.records import (
    FakeGuild,
    FakeInteraction,
    InteractionState,
    ReactionEvent,
    SentMessage,
)
from tests.fake_discord.rest import RestMixin, error_response, form_error, json_response
from tests.fake_discord.world import WorldMixin


class FakeDiscord(WorldMixin, RestMixin, GatewayMixin):
    """Fake Discord REST API + gateway.  Use as ``async with FakeDiscord() as fake:``.

    Configure guilds with ``add_guild`` before the bot connects; drive the bot with the ``dispatch_*``
    helpers; inspect ``messages``, ``callbacks``, ``reactions``, ``heartbeats``, ``unknown_routes``.
    """

    # ----------------------------------------------------------------------------------------- lifecycle

    async def __aenter__(self) -> FakeDiscord:
        app = web.Application(client_max_size=256 * 1024 * 1024, middlewares=[self._middleware])
        self._add_routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        for ws in list(self._all_ws):
            await ws.close(code=1001, message=b"fake discord shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @contextlib.contextmanager
    def patch_discord_py(self) -> Iterator[None]:
        """Point discord.py's REST base and default gateway here, restoring both afterwards."""
        import discord.gateway
        import discord.http
        import yarl

        old_base = discord.http.Route.BASE
        old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
        discord.http.Route.BASE = self.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            yield
        finally:
            discord.http.Route.BASE = old_base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    # ---------------------------------------------------------------------------------------- routing

    def _add_routes(self, app: web.Application) -> None:
        p = API_PREFIX
        r = app.router
        r.add_get("/gateway", self._gateway_ws)
        r.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._serve_attachment)
        r.add_get(f"{p}/gateway", self._get_gateway)
        r.add_get(f"{p}/gateway/bot", self._get_gateway_bot)
        r.add_get(f"{p}/users/@me", self._get_me)
        r.add_post(f"{p}/users/@me/channels", self._create_dm)
        r.add_get(f"{p}/users/{{user_id}}", self._get_user)
        r.add_get(f"{p}/oauth2/applications/@me", self._get_application)
        r.add_get(f"{p}/applications/@me", self._get_application)
        r.add_get(f"{p}/applications/{{app_id}}/commands", self._get_commands)
        r.add_put(f"{p}/applications/{{app_id}}/commands", self._put_commands)
        r.add_get(f"{p}/applications/{{app_id}}/guilds/{{guild_id}}/commands", self._get_commands)
        r.add_put(f"{p}/applications/{{app_id}}/guilds/{{guild_id}}/commands", self._put_commands)
        r.add_post(f"{p}/interactions/{{interaction_id}}/{{token}}/callback", self._interaction_callback)
        r.add_post(f"{p}/webhooks/{{app_id}}/{{token}}", self._followup)
        wh_msg = f"{p}/webhooks/{{app_id}}/{{token}}/messages/{{message_id}}"
        r.add_get(wh_msg, self._webhook_message)
        r.add_patch(wh_msg, self._webhook_message)
        r.add_delete(wh_msg, self._webhook_message)
        r.add_get(f"{p}/channels/{{channel_id}}", self._get_channel)
        r.add_post(f"{p}/channels/{{channel_id}}/typing", self._no_content)
        r.add_post(f"{p}/channels/{{channel_id}}/messages", self._create_message)
        msg = f"{p}/channels/{{channel_id}}/messages/{{message_id}}"
        r.add_get(msg, self._channel_message)
        r.add_patch(msg, self._channel_message)
        r.add_delete(msg, self._channel_message)
        reaction = f"{msg}/reactions/{{emoji}}/@me"
        r.add_put(reaction, self._reaction)
        r.add_delete(reaction, self._reaction)
        r.add_get(f"{p}/guilds/{{guild_id}}", self._get_guild)
        r.add_get(f"{p}/guilds/{{guild_id}}/members/{{user_id}}", self._get_member)
        r.add_route("*", "/{tail:.*}", self._unknown)

    # ------------------------------------------------------------------------------- REST: message bodies

    async def _read_body(self, request: web.Request) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
        """JSON body, or multipart ``payload_json`` + ``files[n]`` as discord.py sends uploads."""
        if request.content_type != "multipart/form-data":
            raw = await request.read()
            return (json.loads(raw) if raw else {}), []
        body: dict[str, Any] = {}
        files: list[tuple[str, bytes]] = []
        reader = await request.multipart()
        async for part in reader:
            if part.name == "payload_json":
                body = json.loads(await part.text())
            else:
                files.append((part.filename or part.name or "file", bytes(await part.read())))
        return body, files

    def _validate(
        self, body: dict[str, Any], files: list[tuple[str, bytes]], *, creating: bool
    ) -> web.Response | None:
        """The limits Discord enforces that a caption bot is most likely to hit."""
        content = body.get("content")
        if content is not None and len(content) > 2000:
            return form_error("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
        embeds = body.get("embeds") or []
        if len(embeds) > 10:
            return form_error("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
        for embed in embeds:
            if len(embed.get("description") or "") > 4096 or len(embed.get("title") or "") > 256:
                return form_error("embeds", "BASE_TYPE_MAX_LENGTH", "Embed field too long.")
        if sum(len(data) for _, data in files) > self.attachment_size_limit:
            return error_response(413, 40005, "Request entity too large")
        has_anything = content or embeds or files or body.get("components") or body.get("sticker_ids")
        if creating and not has_anything and not body.get("poll"):
            return error_response(400, 50006, "Cannot send an empty message")
        return None

    def _attach_files(
        self, msg: SentMessage, body: dict[str, Any], files: list[tuple[str, bytes]], *, editing: bool
    ) -> None:
        """Apply ``attachments``/``files[n]``: keep listed existing attachments, add uploads."""
        listed = body.get("attachments")
        if editing and listed is not None:
            keep = {str(a["id"]) for a in listed}
            pairs = [(a, f) for a, f in zip(msg.attachments, msg.files, strict=True) if a["id"] in keep]
            msg.attachments = [a for a, _ in pairs]
            msg.files = [f for _, f in pairs]
        for filename, data in files:
            # discord.py labels every upload application/octet-stream; Discord infers the type from the name.
            content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
            payload = self.add_attachment(filename, data, content_type, channel_id=msg.channel_id or 0)
            msg.attachments.append(payload)
            msg.files.append((filename, data))

    def _new_message(
        self,
        kind: str,
        body: dict[str, Any],
        files: list[tuple[str, bytes]],
        *,
        channel_id: int | None,
        guild_id: int | None,
        token: str | None = None,
        callback_type: int | None = None,
        flags: int | None = None,
        with_id: bool = True,
    ) -> SentMessage:
        ref = body.get("message_reference") or {}
        msg = SentMessage(
            kind=kind,
            channel_id=channel_id,
            content=body.get("content"),
            embeds=list(body.get("embeds") or []),
            files=[],
            flags=int(body.get("flags") or 0) if flags is None else flags,
            reference_message_id=payloads.snowflake(ref.get("message_id")),
            components=list(body.get("components") or []),
            message_id=self.new_id() if with_id else None,
            interaction_token=token,
            callback_type=callback_type,
            guild_id=guild_id,
            payload=body,
        )
        msg.history.append(msg.content)
        msg.edit_times.append(msg.created_at)
        self._attach_files(msg, body, files, editing=False)
        if msg.message_id is not None:
            self._sent[msg.message_id] = msg
            self.messages.append(msg)
        return msg

    def _apply_edit(self, msg: SentMessage, body: dict[str, Any], files: list[tuple[str, bytes]]) -> None:
        if "content" in body:
            msg.content = body["content"]
        if "embeds" in body:
            msg.embeds = list(body["embeds"] or [])
        if "components" in body:
            msg.components = list(body["components"] or [])
        msg.flags &= ~MessageFlag.LOADING
        self._attach_files(msg, body, files, editing=True)
        msg.payload = body
        msg.history.append(msg.content)
        msg.edit_times.append(time.monotonic())

    async def _after_create(self, msg: SentMessage) -> None:
        await self._notify()
        if self.echo_bot_messages and not msg.ephemeral:
            await self._echo("MESSAGE_CREATE", msg)

    async def _after_edit(self, msg: SentMessage) -> None:
        await self._notify()
        if self.echo_bot_messages and not msg.ephemeral:
            await self._echo("MESSAGE_UPDATE", msg)

    async def _echo(self, event: str, msg: SentMessage) -> None:
        """Discord echoes the bot's own messages: a bot that doesn't ignore itself loops here, as in prod."""
        wanted = Intent.GUILD_MESSAGES if msg.guild_id else Intent.DIRECT_MESSAGES
        if self._conn is None or not self._intents & wanted:
            return
        payload = self._message_payload(msg)
        if msg.guild_id:
            payload["guild_id"] = str(msg.guild_id)
        await self._dispatch(event, payload)

    # ------------------------------------------------------------------------------ REST: channel messages

    async def _create_message(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel_id"])
        guild, channel = self._find_channel(channel_id)
        if channel is None:
            return error_response(404, 10003, "Unknown Channel")
        body, files = await self._read_body(request)
        if error := self._validate(body, files, creating=True):
            return error
        ref = body.get("message_reference")
        strict_ref = bool(ref) and ref.get("fail_if_not_exists", True)
        if strict_ref and self._lookup_message_payload(int(ref["message_id"])) is None:
            return form_error("message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
        msg = self._new_message("channel", body, files, channel_id=channel_id, guild_id=guild and guild.id)
        await self._after_create(msg)
        return json_response(self._message_payload(msg))

    async def _channel_message(self, request: web.Request) -> web.Response:
        message_id = int(request.match_info["message_id"])
        if request.method == "GET":
            payload = self._lookup_message_payload(message_id)
            return json_response(payload) if payload else error_response(404, 10008, "Unknown Message")
        msg = self._sent.get(message_id)
        if msg is not None and not msg.deleted:
            return await self._edit_or_delete(request, msg)
        if message_id not in self._incoming:
            return error_response(404, 10008, "Unknown Message")
        if request.method == "PATCH":
            return error_response(403, 50005, "Cannot edit a message authored by another user")
        del self._incoming[message_id]  # the bot deleting a user's message (needs MANAGE_MESSAGES on Discord)
        return web.Response(status=204)

    async def _edit_or_delete(self, request: web.Request, msg: SentMessage) -> web.Response:
        if request.method == "DELETE":
            msg.deleted = True
            await self._notify()
            if self.echo_bot_messages and not msg.ephemeral and self._conn is not None:
                data = {"id": str(msg.message_id), "channel_id": str(msg.channel_id)}
                if msg.guild_id:
                    data["guild_id"] = str(msg.guild_id)
                await self._dispatch("MESSAGE_DELETE", data)
            return web.Response(status=204)
        if request.method == "GET":
            return json_response(self._message_payload(msg))
        body, files = await self._read_body(request)
        if error := self._validate(body, files, creating=False):
            return error
        self._apply_edit(msg, body, files)
        await self._after_edit(msg)
        return json_response(self._message_payload(msg))

    async def _reaction(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel_id"])
        message_id = int(request.match_info["message_id"])
        if self._lookup_message_payload(message_id) is None:
            return error_response(404, 10008, "Unknown Message")
        emoji = request.match_info["emoji"]
        self.reactions.append(ReactionEvent(channel_id, message_id, emoji, added=request.method == "PUT"))
        await self._notify()
        return web.Response(status=204)

    def reactions_on(self, message_id: int) -> set[str]:
        """Emoji the bot currently has on a message (adds minus removes, in order)."""
        current: set[str] = set()
        for event in self.reactions:
            if event.message_id == message_id:
                (current.add if event.added else current.discard)(event.emoji)
        return current

    # -------------------------------------------------------------------------------- REST: interactions

    async def _interaction_callback(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        state = self._interactions.get(token)
        if state is None or str(state.id) != request.match_info["interaction_id"] or self._expired(state):
            return error_response(404, 10062, "Unknown interaction")
        if state.callback_type is not None:
            return error_response(400, 40060, "Interaction has already been acknowledged.")
        body, files = await self._read_body(request)
        ctype = int(body["type"])
        data = body.get("data") or {}
        if ctype in (CallbackType.CHANNEL_MESSAGE, CallbackType.UPDATE_MESSAGE) and (
            error := self._validate(data, files, creating=ctype == CallbackType.CHANNEL_MESSAGE)
        ):
            return error
        state.callback_type = ctype
        record, message = self._record_callback(state, ctype, data, files)
        self.callbacks.append(record)
        if message is not None and message is record:
            await self._after_create(message)
        elif message is not None:
            await self._after_edit(message)
        else:
            await self._notify()
        return json_response(self._callback_response(state, ctype, message))

    def _expired(self, state: InteractionState) -> bool:
        timeout = self.interaction_ack_timeout
        return timeout is not None and time.monotonic() - state.created_at > timeout

    def _record_callback(
        self, state: InteractionState, ctype: int, data: dict[str, Any], files: list[tuple[str, bytes]]
    ) -> tuple[SentMessage, SentMessage | None]:
        """Record one callback; return it and the message it created or changed (if any)."""
        guild_id, channel_id, token = state.guild_id, state.channel_id, state.token
        if ctype in (CallbackType.CHANNEL_MESSAGE, CallbackType.DEFERRED_CHANNEL_MESSAGE):
            flags = int(data.get("flags") or 0)
            if ctype == CallbackType.DEFERRED_CHANNEL_MESSAGE:
                flags = (flags & MessageFlag.EPHEMERAL) | MessageFlag.LOADING
                data = {**data, "content": ""}
            msg = self._new_message(
                "callback", data, files, channel_id=channel_id, guild_id=guild_id, token=token,
                callback_type=ctype, flags=flags,
            )  # fmt: skip
            state.original_message_id = msg.message_id
            return msg, msg
        record = self._new_message(
            "callback", data, [], channel_id=channel_id, guild_id=guild_id, token=token, callback_type=ctype,
            with_id=False,
        )  # fmt: skip
        target = self._sent.get(state.source_message_id or 0)
        if ctype in (CallbackType.UPDATE_MESSAGE, CallbackType.DEFERRED_UPDATE_MESSAGE):
            state.original_message_id = state.source_message_id
            record.message_id = state.source_message_id
            if ctype == CallbackType.UPDATE_MESSAGE and target is not None:
                self._apply_edit(target, data, files)
                return record, target
        return record, None

    def _callback_response(
        self, state: InteractionState, ctype: int, msg: SentMessage | None
    ) -> dict[str, Any]:
        """``?with_response=1`` shape: discord.py reads response_message_id to bind views to the message."""
        info: dict[str, Any] = {"id": str(state.id), "type": state.type}
        resource: dict[str, Any] = {"type": ctype}
        if msg is not None and msg.message_id is not None:
            info["response_message_id"] = str(msg.message_id)
            info["response_message_loading"] = msg.loading
            info["response_message_ephemeral"] = msg.ephemeral
            resource["message"] = self._message_payload(msg)
        return {"interaction": info, "resource": resource}

    def _webhook_state(self, request: web.Request) -> InteractionState | None:
        if request.match_info["app_id"] != str(self.application_id):
            return None
        state = self._interactions.get(request.match_info["token"])
        return state if state is not None and state.callback_type is not None else None

    async def _followup(self, request: web.Request) -> web.Response:
        """Followups; the first one after a "thinking" defer fills in the deferred message, as Discord does.

        That replacement keeps the defer's ephemeral flag: ``defer()`` then ``followup.send(ephemeral=True)``
        is public on Discord, and is public here.
        """
        state = self._webhook_state(request)
        if state is None:
            return error_response(404, 10015, "Unknown Webhook")
        body, files = await self._read_body(request)
        if error := self._validate(body, files, creating=True):
            return error
        original = self._sent.get(state.original_message_id or 0)
        if original is not None and original.loading and not original.deleted:
            self._apply_edit(original, body, files)
            await self._after_edit(original)
            return json_response(self._message_payload(original))
        msg = self._new_message(
            "followup", body, files, channel_id=state.channel_id, guild_id=state.guild_id, token=state.token
        )
        await self._after_create(msg)
        if request.query.get("wait", "0") in ("0", "false"):
            return web.Response(status=204)
        return json_response(self._message_payload(msg))

    async def _webhook_message(self, request: web.Request) -> web.Response:
        state = self._webhook_state(request)
        if state is None:
            return error_response(404, 10015, "Unknown Webhook")
        raw_id = request.match_info["message_id"]
        message_id = state.original_message_id if raw_id == "@original" else int(raw_id)
        msg = self._sent.get(message_id or 0)
        if msg is None or msg.deleted:
            return error_response(404, 10008, "Unknown Message")
        return await self._edit_or_delete(request, msg)

    # ------------------------------------------------------------------------------ driving the bot

    def _guild_and_channel(
        self, guild_id: int | None, channel_id: int | None
    ) -> tuple[FakeGuild, dict[str, Any]]:
        if channel_id is not None:
            guild, channel = self._find_channel(channel_id)
            if guild is None or channel is None:
                raise LookupError(f"channel {channel_id} is not a guild channel of the fake")
            return guild, channel
        guild = self.guilds[guild_id] if guild_id else next(iter(self.guilds.values()))
        return guild, self._find_channel(guild.text_channel_id)[1]  # type: ignore[return-value]

    def _user_id(self, guild: FakeGuild, user: int | dict[str, Any] | None) -> int:
        if user is None:
            return guild.default_user_id
        uid = int(user["id"]) if isinstance(user, dict) else int(user)
        if uid not in guild.members:
            self.add_member(guild.id, user if isinstance(user, dict) else self._users[uid])
        return uid

    def _interaction_base(
        self,
        itype: int,
        data: dict[str, Any],
        *,
        guild_id: int | None,
        channel_id: int | None,
        user: int | dict[str, Any] | None,
        locale: str,
        source_message_id: int | None = None,
    ) -> tuple[dict[str, Any], InteractionState]:
        guild, channel = self._guild_and_channel(guild_id, channel_id)
        uid = self._user_id(guild, user)
        iid = self.new_id()
        token = f"itok{iid}{secrets.token_urlsafe(24)}"
        perms = str(guild.permissions(uid))
        payload: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": itype,
            "data": data,
            "guild_id": str(guild.id),
            "guild": {"id": str(guild.id), "locale": "en-US", "features": []},
            "channel_id": channel["id"],
            "channel": {**channel, "permissions": perms},
            "member": self._member_for_interaction(guild, uid),
            "token": token,
            "version": 1,
            "app_permissions": str(guild.permissions(self.bot_id)),
            "locale": locale,
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild.id)},
            "context": 0,
            "attachment_size_limit": self.attachment_size_limit,
        }
        if source_message_id is not None:
            message = self._lookup_message_payload(source_message_id)
            if message is None:
                raise LookupError(f"message {source_message_id} is unknown to the fake")
            payload["message"] = message
        state = InteractionState(
            iid, itype, token, guild.id, int(channel["id"]), time.monotonic(), source_message_id
        )
        return payload, state

    async def _send_interaction(self, payload: dict[str, Any], state: InteractionState) -> FakeInteraction:
        state.created_at = time.monotonic()
        self._interactions[state.token] = state
        await self._dispatch("INTERACTION_CREATE", payload)
        return FakeInteraction(state.id, state.token, payload)

    def _find_command(self, name: str, guild_id: int, ctype: int) -> dict[str, Any]:
        for command in [*self.guild_commands.get(guild_id, []), *self.global_commands]:
            if command["name"] == name and command.get("type", 1) == ctype:
                return command
        synced = [c["name"] for c in [*self.global_commands, *self.guild_commands.get(guild_id, [])]]
        raise LookupError(f"command {name!r} (type {ctype}) was never synced; synced: {synced}")

    async def dispatch_interaction(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        guild_id: int | None = None,
        channel_id: int | None = None,
        user: int | dict[str, Any] | None = None,
        subcommand: str | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """Send an APPLICATION_COMMAND interaction for a synced slash command.

        Option types come from the synced command (so ints stay ints, attachments get ``resolved``); pass an
        attachment payload from ``add_attachment`` for attachment options, a user id/payload for user options.
        ``subcommand`` is "sub" or "group sub".
        """
        guild, _ = self._guild_and_channel(guild_id, channel_id)
        command = self._find_command(name, guild.id, 1)
        spec_options, path = command.get("options", []), (subcommand.split() if subcommand else [])
        for part in path:
            found = [o for o in spec_options if o["name"] == part]
            if not found:
                raise LookupError(f"/{name} has no subcommand {subcommand!r}")
            spec_options = found[0].get("options", [])
        resolved: dict[str, dict[str, Any]] = {}
        built = [self._option(guild, spec_options, k, v, resolved) for k, v in (options or {}).items()]
        kinds = {0: [], 1: [1], 2: [2, 1]}[len(path)]  # SUB_COMMAND_GROUP is 2, SUB_COMMAND is 1
        for part, kind in reversed(list(zip(path, kinds, strict=True))):
            built = [{"type": kind, "name": part, "options": built}]
        data: dict[str, Any] = {"id": command["id"], "name": name, "type": 1, "options": built}
        if resolved:
            data["resolved"] = resolved
        if "guild_id" in command:
            data["guild_id"] = command["guild_id"]
        payload, state = self._interaction_base(
            2, data, guild_id=guild_id, channel_id=channel_id, user=user, locale=locale
        )
        return await self._send_interaction(payload, state)

    def _option(
        self,
        guild: FakeGuild,
        specs: list[dict[str, Any]],
        name: str,
        value: Any,
        resolved: dict[str, dict[str, Any]],
    ) -> dict[str, Any]:
        spec = next((s for s in specs if s["name"] == name), None)
        otype = spec["type"] if spec else self._infer_option_type(value)
        if otype == 11:
            resolved.setdefault("attachments", {})[value["id"]] = value
            return {"type": 11, "name": name, "value": value["id"]}
        if otype in (6, 9) and (isinstance(value, dict) or int(value) in self._users):
            uid = int(value["id"]) if isinstance(value, dict) else int(value)
            resolved.setdefault("users", {})[str(uid)] = self._users[uid]
            if uid in guild.members:
                member = {k: v for k, v in self._member_for_interaction(guild, uid).items() if k != "user"}
                resolved.setdefault("members", {})[str(uid)] = member
            return {"type": otype, "name": name, "value": str(uid)}
        if otype == 7:
            _, channel = self._find_channel(int(value))
            resolved.setdefault("channels", {})[str(value)] = {
                **(channel or {}),
                "permissions": str(Perm.ALL),
            }
            return {"type": 7, "name": name, "value": str(value)}
        if otype in (8, 9):
            role = next(r for r in guild.roles if int(r["id"]) == int(value))
            resolved.setdefault("roles", {})[str(value)] = role
            return {"type": otype, "name": name, "value": str(value)}
        cast: dict[int, Callable[[Any], Any]] = {3: str, 4: int, 5: bool, 10: float}
        return {"type": otype, "name": name, "value": cast.get(otype, lambda v: v)(value)}

    @staticmethod
    def _infer_option_type(value: Any) -> int:
        if isinstance(value, dict) and "filename" in value:
            return 11
        if isinstance(value, dict) and "username" in value:
            return 6
        if isinstance(value, bool):
            return 5
        if isinstance(value, int):
            return 4
        if isinstance(value, float):
            return 10
        return 3

    async def dispatch_context_menu(
        self,
        name: str,
        target_message_id: int,
        *,
        user: int | dict[str, Any] | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """A message context-menu command ("Apps > name") run on a message the fake knows."""
        target = self._lookup_message_payload(target_message_id)
        if target is None:
            raise LookupError(f"message {target_message_id} is unknown to the fake")
        guild, _ = self._guild_and_channel(None, int(target["channel_id"]))
        command = self._find_command(name, guild.id, 3)
        data: dict[str, Any] = {
            "id": command["id"],
            "name": name,
            "type": 3,
            "target_id": str(target_message_id),
            "resolved": {"messages": {str(target_message_id): target}},
        }
        if "guild_id" in command:
            data["guild_id"] = command["guild_id"]
        payload, state = self._interaction_base(
            2, data, guild_id=None, channel_id=int(target["channel_id"]), user=user, locale=locale
        )
        return await self._send_interaction(payload, state)

    async def dispatch_component_interaction(
        self,
        custom_id: str,
        message_id: int,
        *,
        component_type: int = 2,
        values: Sequence[str] | None = None,
        user: int | dict[str, Any] | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """A button click (component_type 2) or select (3, with ``values``) on a message the bot sent."""
        message = self._lookup_message_payload(message_id)
        if message is None:
            raise LookupError(f"message {message_id} is unknown to the fake")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = list(values)
        payload, state = self._interaction_base(
            3, data, guild_id=None, channel_id=int(message["channel_id"]), user=user, locale=locale,
            source_message_id=message_id,
        )  # fmt: skip
        return await self._send_interaction(payload, state)

    async def dispatch_modal_submit(
        self,
        custom_id: str | None,
        fields: dict[str, str],
        *,
        user: int | dict[str, Any] | None = None,
        message_id: int | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """Submit a modal the bot opened.  ``custom_id=None`` means the most recent modal.

        ``fields`` is keyed by text-input custom_id or by its label (discord.py generates random custom_ids).
        The submitted components mirror the modal's layout (action rows or labels), as Discord does.
        """
        modal = self._find_modal(custom_id)
        opener = next((s for s in self._interactions.values() if s.token == modal.interaction_token), None)
        source = message_id or (opener.source_message_id if opener else None)
        components = [self._submitted(c, fields) for c in modal.payload.get("components", [])]
        data = {"custom_id": modal.payload["custom_id"], "components": components}
        channel_id = opener.channel_id if opener else None
        payload, state = self._interaction_base(
            5, data, guild_id=None, channel_id=channel_id, user=user, locale=locale, source_message_id=source
        )
        return await self._send_interaction(payload, state)

    def _find_modal(self, custom_id: str | None) -> SentMessage:
        for record in reversed(self.callbacks):
            if record.callback_type == CallbackType.MODAL and custom_id in (
                None,
                record.payload["custom_id"],
            ):
                return record
        raise LookupError(f"the bot never opened a modal with custom_id {custom_id!r}")

    @staticmethod
    def _submitted(component: dict[str, Any], fields: dict[str, str]) -> dict[str, Any]:
        def text_input(child: dict[str, Any], label: str | None) -> dict[str, Any]:
            value = fields.get(child["custom_id"], fields.get(label or child.get("label") or "", ""))
            return {"type": 4, "id": child.get("id", 0), "custom_id": child["custom_id"], "value": value}

        if component["type"] == 18:  # Label wrapping one input
            inner = component["component"]
            return {
                "type": 18,
                "id": component.get("id", 0),
                "component": text_input(inner, component["label"]),
            }
        children = [text_input(c, None) for c in component.get("components", []) if c["type"] == 4]
        return {"type": 1, "id": component.get("id", 0), "components": children}

    async def dispatch_message(
        self,
        channel_id: int,
        author: int | dict[str, Any] | None = None,
        content: str = "",
        *,
        attachments: Sequence[dict[str, Any]] = (),
        message_reference: int | dict[str, Any] | None = None,
        flags: int = 0,
        mentions: Sequence[dict[str, Any]] = (),
    ) -> dict[str, Any]:
        """A user posts a message (MESSAGE_CREATE).  Voice messages: ``flags=8192`` + an audio attachment.

        Delivery follows the bot's intents: without GUILD_MESSAGES a guild message never arrives, and without
        MESSAGE_CONTENT content/attachments/embeds are blanked unless the bot is mentioned (see
        ``dropped_events``).  Returns the full (unblanked) payload.
        """
        guild, channel = self._find_channel(channel_id)
        if channel is None:
            raise LookupError(f"channel {channel_id} is unknown to the fake")
        uid = self._user_id(guild, author) if guild else self._dm_channels[channel_id]
        payload = payloads.user_message(
            self.new_id(), channel_id, self._users[uid], content,
            attachments=list(attachments), mentions=list(mentions), flags=flags,
        )  # fmt: skip
        if message_reference is not None:
            payload["type"] = 19
            ref = (
                message_reference
                if isinstance(message_reference, dict)
                else {"message_id": message_reference}
            )
            payload["message_reference"] = {"type": 0, "channel_id": str(channel_id), **ref}
            referenced = self._lookup_message_payload(int(ref["message_id"]), with_reference=False)
            payload["referenced_message"] = referenced
        if guild is not None:
            payload["guild_id"] = str(guild.id)
            payload["member"] = {k: v for k, v in guild.members[uid].items() if k != "user"}
        self._incoming[int(payload["id"])] = payload
        await self._deliver_user_message(payload, is_dm=guild is None)
        return payload

    async def _deliver_user_message(self, payload: dict[str, Any], *, is_dm: bool) -> None:
        needed = Intent.DIRECT_MESSAGES if is_dm else Intent.GUILD_MESSAGES
        if not self._intents & needed:
            self.dropped_events.append(("MESSAGE_CREATE", "bot lacks the (direct/guild) messages intent"))
            return
        mentioned = any(int(m["id"]) == self.bot_id for m in payload["mentions"])
        delivered = payload
        if not (self._intents & Intent.MESSAGE_CONTENT or is_dm or mentioned):
            self.dropped_events.append(("MESSAGE_CREATE", "content blanked: no message_content intent"))
            delivered = {**payload, "content": "", "attachments": [], "embeds": [], "components": []}
        await self._dispatch("MESSAGE_CREATE", delivered)

    # --------------------------------------------------------------------------------------- waiting

    async def _wait(self, find: Callable[[], SentMessage | None], timeout: float, what: str) -> SentMessage:
        async with self._changed:
            try:
                return await asyncio.wait_for(self._changed.wait_for(find), timeout)  # type: ignore[return-value]
            except TimeoutError:
                raise TimeoutError(f"no {what} within {timeout}s\n{self.describe()}") from None

    async def wait_for_message(
        self, predicate: Callable[[SentMessage], bool] | None = None, timeout: float = 5.0
    ) -> SentMessage:
        """First bot message (sent, or edited into shape) matching ``predicate``; rechecked on each change."""

        def find() -> SentMessage | None:
            return next((m for m in self.messages if predicate is None or predicate(m)), None)

        return await self._wait(find, timeout, "matching message")

    async def wait_for_interaction_response(
        self,
        token: str,
        predicate: Callable[[SentMessage], bool] | None = None,
        timeout: float = 5.0,
    ) -> SentMessage:
        """First callback or message for this interaction token matching ``predicate``."""

        def find() -> SentMessage | None:
            seen = [*self.callbacks, *(m for m in self.messages if m.callback_type is None)]
            candidates = (m for m in seen if m.interaction_token == token)
            return next((m for m in candidates if predicate is None or predicate(m)), None)

        return await self._wait(find, timeout, f"response to interaction {token[:16]}…")

    def describe(self) -> str:
        """A readable dump for assertion messages."""
        lines = ["messages:"]
        lines += [
            f"  {m.kind}/{m.callback_type} id={m.message_id} flags={m.flags} deleted={m.deleted} "
            f"files={m.file_names} history={m.history!r}"
            for m in self.messages
        ]
        lines.append(f"callbacks: {[(c.callback_type, c.content) for c in self.callbacks]}")
        lines.append(f"unknown routes: {[(u.method, u.path) for u in self.unknown_routes]}")
        lines.append(f"dropped events: {self.dropped_events}")
        return "\n".join(lines)
