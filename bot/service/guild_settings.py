"""A server's vocabulary and settings, as both front ends change and show them.

Why a module of its own: these are thin and stateless (checks on the way in, the store's rows on the way
out), unlike captioning and corrections; what moderators decide about proposals and spelling rules is
bot/service/moderation.py, reached as `service.moderation`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.core.errors import CorrectionError
from bot.core.store import ChannelSetting, ServerSettings
from bot.service.base import ServiceBase
from bot.service.moderation import checked_terms


class GuildSettings(ServiceBase):
    """The vocabulary's terms, who may correct, the caption language, autocaption and link buttons."""

    # --- vocabulary --------------------------------------------------------------------------------------

    async def add_vocabulary(
        self, guild_id: int, terms: Sequence[str], *, user_id: int | None = None
    ) -> list[str]:
        """Add terms, all or none: a vocabulary past `max_vocabulary` is refused with how to make room."""
        cleaned = checked_terms(terms)
        limit = self.config.correction.max_vocabulary
        held = await self.store.vocabulary(guild_id) + await self.store.proposals(guild_id)
        present = {t.casefold() for t in held}  # proposals take room too; approving one takes none more
        new = {t.casefold() for t in cleaned} - present
        if len(present) + len(new) > limit:
            raise CorrectionError(
                f"the vocabulary has {len(present)} of the {limit} terms allowed, no room for {len(new)} "
                "more; remove some with /vocab remove first"
            )
        return await self.store.add_terms(guild_id, cleaned, added_by=user_id, limit=limit)

    async def remove_vocabulary(self, guild_id: int, terms: Sequence[str]) -> list[str]:
        return await self.store.remove_terms(guild_id, checked_terms(terms))

    async def vocabulary(self, guild_id: int) -> list[str]:
        """The approved terms (hints, spelling rule targets), alphabetically."""
        return await self.store.vocabulary(guild_id)

    async def proposals(self, guild_id: int) -> list[str]:
        """Terms waiting for a moderator's review, oldest first."""
        return await self.store.proposals(guild_id)

    # --- settings ----------------------------------------------------------------------------------------

    async def corrector_role(self, guild_id: int) -> int | None:
        """The role whose members may correct captions; None: everyone may."""
        return await self.store.corrector_role(guild_id)

    async def set_corrector_role(self, guild_id: int, role_id: int | None) -> None:
        await self.store.set_corrector_role(guild_id, role_id)

    async def set_server_language(self, guild_id: int, language: str | None) -> None:
        """The server's caption language (a code or 'auto'); check it first with resolve_language."""
        await self.store.set_server_language(guild_id, language)

    async def server_settings(self, guild_id: int) -> ServerSettings:
        """The server's switches and each channel's overrides (/settings show)."""
        return await self.store.server_settings(guild_id)

    async def channel_setting(self, guild_id: int, name: ChannelSetting, channel_ids: Iterable[int]) -> bool:
        """Whether a switch is on where a message was posted (a thread, then its parent, then the server)."""
        return await self.store.channel_setting(guild_id, name, channel_ids)

    async def set_channel_setting(
        self, guild_id: int, name: ChannelSetting, channel_id: int | None, enabled: bool | None
    ) -> None:
        """channel_id None sets the server's default; enabled None lets the channel follow the server again."""
        await self.store.set_channel_setting(guild_id, name, channel_id, enabled)
