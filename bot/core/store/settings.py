"""A server's settings: who may correct, its caption language, its reply style, and autocaption and link
buttons, for the server and per channel.

Why one module: all of them are rows of guild_settings or channel_settings, and every first write of a guild
creates its guild_settings row the same way (every switch off: both switches are opt-in).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.store.base import StoreBase, guild_row
from bot.core.store.rows import SWITCH_DEFAULTS, ChannelOverride, ChannelSetting, ServerSettings

REPLY_STYLES = ("file", "text")
DEFAULT_REPLY_STYLE = "file"  # NULL in the database: servers keep the reply they had before styles existed


class SettingsQueries(StoreBase):
    """The guild_settings and channel_settings tables (the serving plan column is the models' own)."""

    # --- who may correct ---------------------------------------------------------------------------------

    async def corrector_role(self, guild_id: int) -> int | None:
        """The role whose members may correct captions; None: everyone may."""
        value = await self._scalar(
            "SELECT corrector_role FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        return None if value is None else int(value)

    async def set_corrector_role(self, guild_id: int, role_id: int | None) -> None:
        await self._set_guild_setting(guild_id, "corrector_role", role_id)

    async def moderator_role(self, guild_id: int) -> int | None:
        """The role (by id) whose members moderate this server; None: only Manage Server (or the config's)."""
        value = await self._scalar(
            "SELECT moderator_role FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        return None if value is None else int(value)

    async def set_moderator_role(self, guild_id: int, role_id: int | None) -> None:
        await self._set_guild_setting(guild_id, "moderator_role", role_id)

    # --- guild settings ----------------------------------------------------------------------------------

    async def autocaption(self, guild_id: int) -> bool:
        """The server's default (opt-in: off until a moderator turns it on)."""
        return await self.server_setting(guild_id, ChannelSetting.AUTOCAPTION)

    async def set_autocaption(self, guild_id: int, enabled: bool) -> None:
        await self.set_channel_setting(guild_id, ChannelSetting.AUTOCAPTION, None, enabled)

    async def server_setting(self, guild_id: int, name: ChannelSetting) -> bool:
        column = ChannelSetting(name).value  # a column name from the enum, never from the user
        value = await self._scalar(f"SELECT {column} FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return SWITCH_DEFAULTS[ChannelSetting(name)] if value is None else bool(value)

    async def channel_setting(self, guild_id: int, name: ChannelSetting, channel_ids: Iterable[int]) -> bool:
        """The first of `channel_ids` (a thread, then its parent) with an override decides; else the server."""
        column = ChannelSetting(name).value
        rows = await self._all(
            f"SELECT channel_id, {column} AS value FROM channel_settings"
            f" WHERE guild_id = ? AND {column} IS NOT NULL",
            (guild_id,),
        )
        overrides = {r["channel_id"]: bool(r["value"]) for r in rows}
        for channel_id in channel_ids:
            if channel_id in overrides:
                return overrides[channel_id]
        return await self.server_setting(guild_id, name)

    async def set_channel_setting(
        self, guild_id: int, name: ChannelSetting, channel_id: int | None, enabled: bool | None
    ) -> None:
        """channel_id None sets the server's default; enabled None lets the channel follow the server again."""
        column = ChannelSetting(name).value
        if channel_id is None and enabled is None:
            raise ValueError("the server's setting is on or off, never 'follow the server'")
        value = None if enabled is None else int(enabled)
        async with self.transaction(guild_id) as db:
            if channel_id is None:
                await guild_row(db, guild_id)
                await db.run(f"UPDATE guild_settings SET {column} = ? WHERE guild_id = ?", (value, guild_id))
                return
            await db.run(
                "INSERT INTO channel_settings (guild_id, channel_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (guild_id, channel_id),
            )
            await db.run(
                f"UPDATE channel_settings SET {column} = ? WHERE guild_id = ? AND channel_id = ?",
                (value, guild_id, channel_id),
            )
            await db.run(  # a channel that follows the server in everything needs no row
                "DELETE FROM channel_settings WHERE guild_id = ? AND channel_id = ?"
                " AND autocaption IS NULL AND link_buttons IS NULL AND on_request IS NULL",
                (guild_id, channel_id),
            )

    async def server_language(self, guild_id: int) -> str | None:
        """The server's caption language (a code or 'auto'); None: the configured default applies."""
        value = await self._scalar("SELECT language FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return None if value is None else str(value)

    async def set_server_language(self, guild_id: int, language: str | None) -> None:
        await self._set_guild_setting(guild_id, "language", language)

    async def reply_style(self, guild_id: int) -> str:
        """'file' (the default: the captions file attached) or 'text' (short media: the words in the message)."""
        value = await self._scalar("SELECT reply_style FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return str(value) if value in REPLY_STYLES else DEFAULT_REPLY_STYLE

    async def set_reply_style(self, guild_id: int, style: str) -> None:
        if style not in REPLY_STYLES:
            raise ValueError(f"reply style {style!r} is not one of {', '.join(REPLY_STYLES)}")
        await self._set_guild_setting(guild_id, "reply_style", style)

    async def server_settings(self, guild_id: int) -> ServerSettings:
        """Everything /settings show lists: the server's defaults and each channel's overrides."""
        rows = await self._all(
            "SELECT channel_id, autocaption, link_buttons, on_request FROM channel_settings"
            " WHERE guild_id = ? ORDER BY channel_id",
            (guild_id,),
        )

        def flag(value: int | None) -> bool | None:
            return None if value is None else bool(value)

        return ServerSettings(
            await self.server_setting(guild_id, ChannelSetting.AUTOCAPTION),
            await self.server_setting(guild_id, ChannelSetting.LINK_BUTTONS),
            tuple(
                ChannelOverride(
                    r["channel_id"], flag(r["autocaption"]), flag(r["link_buttons"]), flag(r["on_request"])
                )
                for r in rows
            ),
            await self.server_language(guild_id),
            await self.reply_style(guild_id),
            await self.server_setting(guild_id, ChannelSetting.ON_REQUEST),
        )
