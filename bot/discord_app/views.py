"""Buttons and modals: the persistent Correct and Caption buttons, the correction form, a confirm/cancel prompt.

The Correct button is a DynamicItem: its custom_id carries the caption id, so it keeps working after a
restart without the bot remembering any view. The feature logic stays in the cogs; these classes only
collect the click or the form and hand it to the callable they were given.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ClassVar

import discord

from bot.discord_app.formatting import MODAL_FIELD_LIMIT, join_modal_parts
from bot.discord_app.i18n import reply_language, text
from bot.discord_app.replies import report_interaction_error

CORRECT_ID = re.compile(r"caption:correct:(?P<id>[0-9]{1,20})")

CORRECTIONS_COG = "Corrections"  # the cog that opens the correction form (cogs/corrections.py)
SubmitHandler = Callable[[discord.Interaction, int, str], Awaitable[None]]


class CogButton(discord.ui.DynamicItem[discord.ui.Button], template=re.compile(r"(?!)")):
    """A persistent button whose click a cog of the bot that got it handles; an error is reported to the user.

    Each button names its own template, the cog (`cog_name`, `cog_is` for the error) and what to call in it
    (`press`). This base is never registered: its template matches no custom_id.
    """

    cog_name: ClassVar[str]
    cog_is: ClassVar[str]  # "the {cog_is} cog is not loaded"

    def __init__(
        self, custom_id: str, label: str, style: discord.ButtonStyle, emoji: str | None = None
    ) -> None:
        super().__init__(discord.ui.Button(label=label, emoji=emoji, style=style, custom_id=custom_id))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            # interaction.client is typed discord.Client; ours is a commands.Bot, which has get_cog (and the
            # cog, looked up by name, is not imported here: the cogs import this module)
            cog = interaction.client.get_cog(self.cog_name)  # type: ignore[attr-defined]
            if cog is None:
                raise RuntimeError(f"the {self.cog_is} cog is not loaded")
            await self.press(cog, interaction)
        except Exception as error:
            await report_interaction_error(interaction, error)

    async def press(self, cog: Any, interaction: discord.Interaction) -> None:
        raise NotImplementedError


class CorrectButton(CogButton, template=CORRECT_ID):
    """ "Correct" under a caption; a click is handed to the corrections cog of the bot that got it."""

    cog_name, cog_is = CORRECTIONS_COG, "corrections"

    def __init__(self, caption_id: int, lang: str = "en") -> None:
        label = text("button.correct", lang)
        super().__init__(f"caption:correct:{caption_id}", label, discord.ButtonStyle.secondary, "✏️")
        self.caption_id = caption_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CorrectButton:
        return cls(int(match["id"]))

    async def press(self, cog: Any, interaction: discord.Interaction) -> None:
        await cog.open_correction_form(interaction, self.caption_id)


VTT_ID = re.compile(r"caption:vtt:(?P<id>[0-9]{1,20})")
CAPTIONING_COG = "Captioning"  # the cog that sends a caption's file on a click (cogs/captioning.py)


class CaptionFileButton(CogButton, template=VTT_ID):
    """ "Get .vtt" under a 'text' style caption (no file attached); the click gets the file privately."""

    cog_name, cog_is = CAPTIONING_COG, "captioning"

    def __init__(self, caption_id: int, lang: str = "en") -> None:
        label = text("button.get_vtt", lang)
        super().__init__(f"caption:vtt:{caption_id}", label, discord.ButtonStyle.secondary, "📄")
        self.caption_id = caption_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CaptionFileButton:
        return cls(int(match["id"]))

    async def press(self, cog: Any, interaction: discord.Interaction) -> None:
        await cog.send_caption_file(interaction, self.caption_id)


LINK_ID = re.compile(r"caption:link:(?P<id>[0-9]{1,20})")
LINK_BUTTONS_COG = "LinkButtons"  # the cog that captions a link message on a click (cogs/link_buttons.py)


class CaptionLinkButton(CogButton, template=LINK_ID):
    """ "Caption" under a message with a link; its custom_id names that message, so it survives restarts."""

    cog_name, cog_is = LINK_BUTTONS_COG, "link buttons"

    def __init__(self, message_id: int, lang: str = "en") -> None:
        label = text("button.caption", lang)
        super().__init__(f"caption:link:{message_id}", label, discord.ButtonStyle.primary, "🎙️")
        self.message_id = message_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CaptionLinkButton:
        return cls(int(match["id"]))

    async def press(self, cog: Any, interaction: discord.Interaction) -> None:
        await cog.caption_link(interaction, self.message_id)


REVIEW_ID = re.compile(r"vocab:(?P<verb>approve|reject):(?P<term>.{1,80})")
VOCAB_REVIEW_COG = "VocabMod"  # the cog that approves and rejects proposals (cogs/vocab.py)


class ReviewButton(CogButton, template=REVIEW_ID):
    """Approve or Reject next to a proposed term; the term is in the custom_id, so it survives restarts."""

    cog_name, cog_is = VOCAB_REVIEW_COG, "vocabulary review"

    def __init__(self, verb: str, term: str, lang: str = "en") -> None:
        approve = verb == "approve"
        super().__init__(
            f"vocab:{verb}:{term}",
            text("button.approve" if approve else "button.reject", lang, term=term)[:80],
            discord.ButtonStyle.success if approve else discord.ButtonStyle.danger,
        )
        self.approve = approve
        self.term = term

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReviewButton:
        return cls(match["verb"], match["term"])

    async def press(self, cog: Any, interaction: discord.Interaction) -> None:
        await cog.review_press(interaction, self.term, self.approve)


REJECT_ALL_ID = re.compile(r"vocab:rejectall:(?P<before>[0-9]{1,16})")


class RejectAllButton(CogButton, template=REJECT_ALL_ID):
    """Reject every proposal waiting when the review message was made (its time, in ms, is in the
    custom_id): a flood of suggestions is one press, and a term proposed after the moderator looked is not
    rejected unseen."""

    cog_name, cog_is = VOCAB_REVIEW_COG, "vocabulary review"

    def __init__(self, before_ms: int, waiting: int = 0, lang: str = "en") -> None:
        label = (
            text("button.reject_all_n", lang, waiting=waiting) if waiting else text("button.reject_all", lang)
        )
        super().__init__(f"vocab:rejectall:{before_ms}", label, discord.ButtonStyle.danger)
        self.before = before_ms / 1000

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RejectAllButton:
        return cls(int(match["before"]))

    async def press(self, cog: Any, interaction: discord.Interaction) -> None:
        await cog.reject_all_press(interaction, self.before)


def review_view(
    terms: Sequence[str], *, waiting: int = 0, made_at: float | None = None, lang: str = "en"
) -> discord.ui.View:
    """One row per proposal shown: Approve and Reject; then Reject all for every proposal waiting at
    `made_at` (in the last row used, which has room: a row holds 5 buttons)."""
    view = discord.ui.View(timeout=None)
    shown = terms[:5]
    for row, term in enumerate(shown):
        for verb in ("approve", "reject"):
            button = ReviewButton(verb, term, lang)
            button.row = row
            view.add_item(button)
    if made_at is not None and shown:
        bulk = RejectAllButton(int(made_at * 1000), waiting or len(terms), lang)
        bulk.row = min(len(shown), 4)
        view.add_item(bulk)
    return view


def link_view(message_id: int, lang: str = "en") -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(CaptionLinkButton(message_id, lang))
    return view


def caption_view(caption_id: int, *, file_button: bool = False, lang: str = "en") -> discord.ui.View:
    """Correct under every caption; Get .vtt too under one posted as plain text (nothing attached). The
    labels are in the caption message's language."""
    view = discord.ui.View(timeout=None)
    view.add_item(CorrectButton(caption_id, lang))
    if file_button:
        view.add_item(CaptionFileButton(caption_id, lang))
    return view


def caption_id_of(message: discord.Message) -> int | None:
    """The caption a bot message shows, read from its Correct button (None for any other message)."""
    for row in message.components:
        for child in getattr(row, "children", []):
            match = CORRECT_ID.fullmatch(getattr(child, "custom_id", None) or "")
            if match:
                return int(match["id"])
    return None


class CorrectionModal(discord.ui.Modal):
    """The transcript in up to five fields; on submit the joined text goes to `on_done`."""

    def __init__(
        self, caption_id: int, parts: Sequence[str], on_done: SubmitHandler, lang: str = "en"
    ) -> None:
        title = text("modal.title", lang)
        super().__init__(title=title, custom_id=f"caption:modal:{caption_id}", timeout=900)
        self.caption_id = caption_id
        self._on_done = on_done
        self.inputs: list[discord.ui.TextInput] = []
        for index, part in enumerate(parts):
            field: discord.ui.TextInput = discord.ui.TextInput(
                style=discord.TextStyle.paragraph,
                custom_id=f"part{index + 1}",
                default=part or None,
                max_length=MODAL_FIELD_LIMIT,
                required=False,
            )
            if len(parts) == 1:
                label = text("modal.field", lang)
            else:
                label = text("modal.field_part", lang, part=index + 1, parts=len(parts))
            self.add_item(discord.ui.Label(text=label, component=field))
            self.inputs.append(field)

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        await self._on_done(interaction, self.caption_id, join_modal_parts([f.value for f in self.inputs]))

    # The same signature as discord.py's Modal.on_error, which itself drops BaseView.on_error's `item`.
    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:  # type: ignore[override]
        await report_interaction_error(interaction, error)


class ConfirmView(discord.ui.View):
    """Confirm / Cancel for one user; `on_confirm` does the work and edits the prompt with the outcome."""

    def __init__(
        self,
        owner_id: int,
        on_confirm: Callable[[discord.Interaction], Awaitable[None]],
        *,
        confirm_label: str,
        cancelled_text: str,
        lang: str = "en",
        timeout: float = 120.0,
    ) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self._on_confirm = on_confirm
        self._cancelled_text = cancelled_text
        self.prompt: discord.Interaction | None = None  # the interaction whose message shows the prompt
        self.confirm.label = confirm_label
        self.cancel.label = text("confirm.cancel", lang)

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        shown = text("confirm.not_yours", reply_language(interaction))  # the presser's language
        await interaction.response.send_message(shown, ephemeral=True)
        return False

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await interaction.response.defer()
        await self._on_confirm(interaction)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await interaction.response.edit_message(content=self._cancelled_text, view=None)

    async def on_timeout(self) -> None:
        if self.prompt is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.prompt.edit_original_response(content=self._cancelled_text, view=None)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await report_interaction_error(interaction, error)
