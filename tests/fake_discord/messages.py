"""The REST routes that create, edit or delete messages: channel messages, reactions, interaction callbacks,
followups and webhook edits.

They enforce the limits Discord enforces (2000 characters, embeds, upload size, empty messages, the 3-second
interaction window, one callback per interaction) and its quirks (the first followup after a "thinking" defer
fills in that message; the bot's own messages are echoed back on the gateway), because those are where a
bot's bugs hide.
"""

from __future__ import annotations

import json
import mimetypes
import time
from typing import Any

from aiohttp import web

from tests.fake_discord import payloads
from tests.fake_discord.constants import CallbackType, Intent, MessageFlag
from tests.fake_discord.records import InteractionState, ReactionEvent, SentMessage
from tests.fake_discord.rest import error_response, form_error, json_response
from tests.fake_discord.world import WorldMixin


class MessagesMixin(WorldMixin):
    """Every message the bot sends is a ``SentMessage`` in ``messages`` (and ``callbacks``), edited in place."""

    # ----------------------------------------------------------- request bodies and the records they make

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
        if not self._shard_connected(msg.guild_id) or not self._intents & wanted:
            return
        payload = self._message_payload(msg)
        if msg.guild_id:
            payload["guild_id"] = str(msg.guild_id)
        await self._dispatch(event, payload)

    # ----------------------------------------------------------------------------------- channel messages

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
            if self.echo_bot_messages and not msg.ephemeral and self._shard_connected(msg.guild_id):
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

    # ----------------------------------------------------------------- interaction callbacks and webhooks

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
