"""/vocab list|suggest (members) and /vocabmod add|remove|review (moderators): the server's own words.

Two groups because a command group shares one default permission: members see and suggest, moderators
decide. Only approved terms are used (hints, scored terms, spelling rules); what corrections and members
propose waits for /vocabmod review's Approve and Reject buttons (and Reject all, for a flood). Suggesting is
for those who may correct, a few times an hour.
"""

from __future__ import annotations

import time

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import CaptionBot
from bot.discord_app.correction_limit import SuggestionLimit
from bot.discord_app.formatting import parse_terms, vocabulary_change, vocabulary_text
from bot.discord_app.i18n import reply_language
from bot.discord_app.permissions import require_corrector, require_moderator
from bot.discord_app.replies import defer_private, defer_public
from bot.discord_app.review_text import (
    REVIEW_PAGE,
    rejected_all_text,
    review_text,
    reviewed_text,
    suggested_text,
)
from bot.discord_app.views import VOCAB_REVIEW_COG, RejectAllButton, ReviewButton, review_view

TERMS_HELP = "One or more terms, separated by commas"


class Vocab(commands.GroupCog, group_name="vocab", group_description="This server's vocabulary"):
    def __init__(self, bot: CaptionBot) -> None:
        self.bot = bot
        self.limit = SuggestionLimit(bot.config.discord.user_suggestions_per_hour)
        super().__init__()

    @app_commands.command(name="list", description="Show the vocabulary")
    async def list_terms(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await defer_private(interaction)
        terms = await self.bot.service.vocabulary(interaction.guild_id)
        await interaction.followup.send(vocabulary_text(terms, reply_language(interaction)))

    @app_commands.command(name="suggest", description="Suggest words for a moderator to add")
    @app_commands.describe(terms=TERMS_HELP)
    async def suggest(self, interaction: discord.Interaction, terms: str) -> None:
        """Who may correct may suggest (the corrector role, when set), at most `user_suggestions_per_hour`
        times an hour; each refusal is one private line before anything is stored."""
        assert interaction.guild_id is not None
        service = self.bot.service
        role_id = await service.corrector_role(interaction.guild_id)
        moderators = None if role_id is None else await service.moderator_role(interaction.guild_id)
        require_corrector(interaction.user, role_id, moderators, "suggest terms")
        wanted = parse_terms(terms)
        self.limit.admit(interaction.guild_id, interaction.user.id)
        await defer_private(interaction)
        added = await self.bot.service.moderation.suggest_vocabulary(
            interaction.guild_id, wanted, user_id=interaction.user.id
        )
        await interaction.followup.send(suggested_text(added, wanted, reply_language(interaction)))


@app_commands.default_permissions(manage_guild=True)  # members do not see it; the runtime check stays
class VocabMod(
    commands.GroupCog,
    name=VOCAB_REVIEW_COG,
    group_name="vocabmod",
    group_description="Decide this server's vocabulary (moderators)",
):
    def __init__(self, bot: CaptionBot) -> None:
        self.bot = bot
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ReviewButton, RejectAllButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ReviewButton, RejectAllButton)

    @app_commands.command(name="add", description="Add words the captions should spell right")
    @app_commands.describe(terms=TERMS_HELP)
    async def add(self, interaction: discord.Interaction, terms: str) -> None:
        assert interaction.guild_id is not None
        await require_moderator(interaction, self.bot.service, "change the vocabulary")
        wanted = parse_terms(terms)
        await defer_public(interaction)
        added = await self.bot.service.add_vocabulary(
            interaction.guild_id, wanted, user_id=interaction.user.id
        )
        await interaction.followup.send(
            vocabulary_change("added", added, wanted, reply_language(interaction))
        )

    @app_commands.command(name="remove", description="Remove words from the vocabulary")
    @app_commands.describe(terms=TERMS_HELP)
    async def remove(self, interaction: discord.Interaction, terms: str) -> None:
        assert interaction.guild_id is not None
        await require_moderator(interaction, self.bot.service, "change the vocabulary")
        wanted = parse_terms(terms)
        await defer_public(interaction)
        removed = await self.bot.service.remove_vocabulary(interaction.guild_id, wanted)
        await interaction.followup.send(
            vocabulary_change("removed", removed, wanted, reply_language(interaction))
        )

    @app_commands.command(name="review", description="Approve or reject the proposed terms")
    async def review(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await require_moderator(interaction, self.bot.service, "review the vocabulary")
        await defer_public(interaction)
        made_at = time.time()  # before the read: Reject all never reaches a proposal made after this list
        proposals = await self.bot.service.proposals(interaction.guild_id)
        view = (
            self._view(proposals, made_at, reply_language(interaction))
            if proposals
            else discord.utils.MISSING
        )
        await interaction.followup.send(review_text(proposals, reply_language(interaction)), view=view)

    @staticmethod
    def _view(proposals: list[str], made_at: float, lang: str = "en") -> discord.ui.View:
        return review_view(proposals[:REVIEW_PAGE], waiting=len(proposals), made_at=made_at, lang=lang)

    async def review_press(self, interaction: discord.Interaction, term: str, approve: bool) -> None:
        """A moderator's Approve or Reject: one line to them, and the review message shows what is left."""
        assert interaction.guild_id is not None
        await require_moderator(interaction, self.bot.service, "review the vocabulary")
        reviewed = await self.bot.service.moderation.review_term(interaction.guild_id, term, approve=approve)
        shown = reviewed_text(reviewed, approve, reply_language(interaction))
        await interaction.response.send_message(shown, ephemeral=True)
        await self._refresh(interaction)

    async def reject_all_press(self, interaction: discord.Interaction, before: float) -> None:
        """Reject all: every proposal waiting when the review message was made, in one transaction."""
        assert interaction.guild_id is not None
        await require_moderator(interaction, self.bot.service, "review the vocabulary")
        rejected = await self.bot.service.moderation.reject_proposals(
            interaction.guild_id, proposed_before=before
        )
        shown = rejected_all_text(rejected, reply_language(interaction))
        await interaction.response.send_message(shown, ephemeral=True)
        await self._refresh(interaction)

    async def _refresh(self, interaction: discord.Interaction) -> None:
        """The review message shows what is left (a new Reject all covers what waits now)."""
        assert interaction.guild_id is not None
        made_at = time.time()
        proposals = await self.bot.service.proposals(interaction.guild_id)
        if interaction.message is not None:
            view = self._view(proposals, made_at, reply_language(interaction)) if proposals else None
            await interaction.message.edit(
                content=review_text(proposals, reply_language(interaction)), view=view
            )


async def setup(bot: CaptionBot) -> None:
    await bot.add_cog(Vocab(bot))
    await bot.add_cog(VocabMod(bot))
