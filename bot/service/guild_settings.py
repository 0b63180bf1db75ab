"""A server's vocabulary and settings, as both front ends change and show them.

Why a module of its own: these are thin and stateless (checks on the way in, the store's rows on the way
out), unlike captioning and corrections; what moderators decide about proposals and spelling rules is
bot/service/moderation.py, reached as `service.moderation`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.core.errors import CorrectionError
from bot.core.store import ChannelSetting, ServerSettings
from bot.service.base import ServiceBase
from bot.service.moderation import checked_terms


@dataclass(frozen=True)
class PrivacyStatus:
    """What /privacy shows a member: the server's training mode, their own choice, and what follows."""

    mode: str  # 'off', 'opt_out' or 'opt_in' (bot/core/store/consent.py)
    choice: bool | None  # the member's own: in, out, or never chose
    trains: bool  # their recordings and corrections can become training data now


class GuildSettings(ServiceBase):
    """The vocabulary's terms, who may correct, the caption language, autocaption and link buttons."""

    # --- vocabulary --------------------------------------------------------------------------------------

    async def add_vocabulary(
        self, guild_id: int, terms: Sequence[str], *, user_id: int | None = None
    ) -> list[str]:
        """Add terms, all or none: a vocabulary past `max_vocabulary` is refused with how to make room."""
        cleaned = checked_terms(terms)
        limit = self.config.correction.max_vocabulary
        held = await self.store.vocabulary(guild_id)  # approved only: proposals have a bound of their own
        present = {t.casefold() for t in held}
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

    async def moderator_role(self, guild_id: int) -> int | None:
        """The role id whose members moderate this server: its own (/settings moderators), else the config's
        role id; None: only members with Manage Server. Never a role name (anyone with Manage Roles can make
        one of any name)."""
        own = await self.store.moderator_role(guild_id)
        if own is not None:
            return own
        fallback = self.config.discord.moderator_role.strip()
        return int(fallback) if fallback else None

    async def set_moderator_role(self, guild_id: int, role_id: int | None) -> None:
        """None: the server has no moderator role of its own (Manage Server, or the config's role id)."""
        await self.store.set_moderator_role(guild_id, role_id)

    async def set_server_language(self, guild_id: int, language: str | None) -> None:
        """The server's caption language (a code or 'auto'); check it first with resolve_language."""
        await self.store.set_server_language(guild_id, language)

    async def set_reply_style(self, guild_id: int, style: str) -> None:
        """'file' (the captions file attached) or 'text' (short media: the words, the .vtt on request)."""
        await self.store.set_reply_style(guild_id, style)

    async def reply_as_text(self, guild_id: int, duration: float) -> bool:
        """Whether a caption of `duration` seconds is answered as plain words: the server chose the 'text'
        style and the media is short enough ([discord] text_reply_max_seconds); long media keeps its file,
        because a long transcript does not fit a message and is read as a file anyway."""
        if duration > self.config.discord.text_reply_max_seconds:
            return False
        return await self.store.reply_style(guild_id) == "text"

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

    # --- consent before training -------------------------------------------------------------------------

    async def privacy_status(self, guild_id: int, user_id: int) -> PrivacyStatus:
        return PrivacyStatus(
            await self.store.training_mode(guild_id),
            await self.store.member_consent(guild_id, user_id),
            await self.store.allows_training(guild_id, [user_id]),
        )

    async def set_training_mode(self, guild_id: int, mode: str) -> None:
        """Whether the server trains: 'off', 'opt_out' (members train unless they opt out) or 'opt_in'."""
        await self.store.set_training_mode(guild_id, mode)

    async def set_training_consent(self, guild_id: int, user_id: int, consent: bool | None) -> None:
        """A member's own choice (None: follow the server's mode). It governs their recordings, whoever
        corrects them, and their corrections; pairs made before an opt-out stay out of every later retrain."""
        await self.store.set_member_consent(guild_id, user_id, consent)
