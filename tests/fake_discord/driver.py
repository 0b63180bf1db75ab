"""What tests use to play the users and watch the bot: ``dispatch_*`` sends what a user's action makes
Discord send (a slash command, a button click, a modal, a message), ``wait_for_*`` waits for the bot's answer.

Dispatches are built from what the bot synced and what the fake stores (command ids and option types,
permissions, the message a button is on), so a test names a command and its options, not payload details.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Sequence
from typing import Any

from tests.fake_discord import payloads
from tests.fake_discord.constants import CallbackType, Intent, Perm
from tests.fake_discord.records import FakeGuild, FakeInteraction, InteractionState, SentMessage
from tests.fake_discord.world import WorldMixin


class DriverMixin(WorldMixin):
    """Interactions and messages from users, and waiting on the records for the bot's response."""

    # ------------------------------------------------------------------------------------ acting as users

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
        perms = str(guild.channel_permissions(uid, channel))
        payload: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": itype,
            "data": data,
            "guild_id": str(guild.id),
            "guild": {"id": str(guild.id), "locale": guild.locale, "features": []},
            "channel_id": channel["id"],
            "channel": {**channel, "permissions": perms},
            "member": {**self._member_for_interaction(guild, uid), "permissions": perms},
            "token": token,
            "version": 1,
            "app_permissions": str(guild.channel_permissions(self.bot_id, channel)),
            "locale": locale,
            "guild_locale": guild.locale,
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

    # -------------------------------------------------------------------------------- waiting and reading

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

    def reactions_on(self, message_id: int) -> set[str]:
        """Emoji the bot currently has on a message (adds minus removes, in order)."""
        current: set[str] = set()
        for event in self.reactions:
            if event.message_id == message_id:
                (current.add if event.added else current.discard)(event.emoji)
        return current
