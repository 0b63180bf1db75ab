"""Corrections: a reply to a caption message (corrected text or an edited .vtt/.srt), or the Correct form.

Each becomes a correction plus training pairs for the server (CaptionService.correct); the bot confirms
with ✅ and says how many pairs the server has toward the next /retrain.
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.core.errors import CorrectionError, NotFoundError
from bot.discord_app.attachments import captions_attachment, media_attachments, read_captions_file
from bot.discord_app.channels import bot_permissions
from bot.discord_app.client import CaptionBot
from bot.discord_app.correction_limit import CorrectionLimit
from bot.discord_app.formatting import correction_confirmation, split_for_modal
from bot.discord_app.i18n import guild_language, refusal, reply_language, text
from bot.discord_app.permissions import missing, missing_text, require_corrector, send_permission
from bot.discord_app.replies import NO_MENTIONS, SAVED, defer_private, react, report_message_error
from bot.discord_app.views import CORRECTIONS_COG, CorrectButton, CorrectionModal, caption_id_of
from bot.service import CorrectionResult

log = logging.getLogger("bot.discord.corrections")


class Corrections(commands.Cog, name=CORRECTIONS_COG):
    def __init__(self, bot: CaptionBot) -> None:
        self.bot = bot
        self.limit = CorrectionLimit(bot.config.discord.user_corrections_per_minute)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(CorrectButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(CorrectButton)

    def _confirmation(self, result: CorrectionResult, lang: str) -> str:
        return correction_confirmation(
            result.pairs,
            result.total_pairs,
            self.bot.config.training.min_pairs,
            result.proposed_terms,
            [text(note.key, lang, **note.values) for note in result.details],
            lang,
        )

    # --- replies -----------------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.guild is None or message.reference is None:
            return
        if message.reference.message_id is None or media_attachments(message.attachments):
            return  # posted media is captioned, not taken as a correction
        caption = await self.bot.service.caption_for_message(message.guild.id, message.reference.message_id)
        resolved = message.reference.resolved
        was_caption = (
            isinstance(resolved, discord.Message)
            and self.bot.user is not None
            and resolved.author.id == self.bot.user.id
            and caption_id_of(resolved) is not None
        )
        if caption is None and not was_caption:
            return  # an ordinary reply
        perms = bot_permissions(message.channel)
        if not getattr(perms, send_permission(message.channel)):
            log.info("cannot post in channel %s; a correction was not taken", message.channel.id)
            return
        absent = missing(perms, ["read_message_history"])
        if absent:
            await message.channel.send(missing_text(absent, "take corrections"), allowed_mentions=NO_MENTIONS)
            return
        try:
            if caption is None:
                raise refusal(NotFoundError, "error.caption_gone")
            result = await self._correct(message, caption.id)
        except Exception as error:
            await report_message_error(message, error, can_react=perms.add_reactions)
            return
        if perms.add_reactions:
            await react(message, SAVED)
        confirmation = self._confirmation(result, guild_language(message.guild))  # a reply: the server's
        await message.reply(confirmation, mention_author=False, allowed_mentions=NO_MENTIONS)

    async def _require_corrector(self, guild_id: int, user: discord.abc.User) -> None:
        """The server's corrector setting (/settings correctors), checked before anything is read or kept."""
        service = self.bot.service
        role_id = await service.corrector_role(guild_id)
        moderators = None if role_id is None else await service.moderator_role(guild_id)
        require_corrector(user, role_id, moderators)

    async def _correct(self, message: discord.Message, caption_id: int) -> CorrectionResult:
        assert message.guild is not None
        await self._require_corrector(message.guild.id, message.author)
        self.limit.admit(message.guild.id, message.author.id)
        service = self.bot.service
        edited = captions_attachment(message.attachments)
        if edited is not None:
            content = await read_captions_file(edited)
            return await service.correct(
                message.guild.id, caption_id, user_id=message.author.id, captions_file=content, kind="file"
            )
        if not message.content.strip():
            raise refusal(CorrectionError, "error.nothing_usable")
        return await service.correct(
            message.guild.id, caption_id, user_id=message.author.id, text=message.content, kind="reply"
        )

    # --- the Correct button and its form -----------------------------------------------------------------

    async def open_correction_form(self, interaction: discord.Interaction, caption_id: int) -> None:
        """The Correct button: a form prefilled with the transcript (split across fields where needed)."""
        if interaction.guild_id is None:
            raise CorrectionError("captions can be corrected in servers only")
        await self._require_corrector(interaction.guild_id, interaction.user)
        try:
            caption = await self.bot.service.get_caption(interaction.guild_id, caption_id)
        except NotFoundError:
            raise refusal(NotFoundError, "error.caption_gone") from None
        parts = split_for_modal(caption.text)
        if parts is None:
            raise refusal(CorrectionError, "error.too_long_for_form")
        modal = CorrectionModal(caption_id, parts, self._submit_form, reply_language(interaction))
        await interaction.response.send_modal(modal)

    async def _submit_form(self, interaction: discord.Interaction, caption_id: int, text: str) -> None:
        assert interaction.guild_id is not None
        await self._require_corrector(interaction.guild_id, interaction.user)  # the role may have changed
        await defer_private(interaction)
        self.limit.admit(interaction.guild_id, interaction.user.id)
        result = await self.bot.service.correct(
            interaction.guild_id, caption_id, user_id=interaction.user.id, text=text, kind="modal"
        )
        await interaction.followup.send(
            self._confirmation(result, reply_language(interaction)), ephemeral=True
        )


async def setup(bot: CaptionBot) -> None:
    await bot.add_cog(Corrections(bot))
