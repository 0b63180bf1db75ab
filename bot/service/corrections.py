"""Corrections: a user's fixed text or edited captions file, checked, aligned and kept as training pairs.

Why a module of its own: a correction is untrusted input that is bounded, parsed and aligned off the event
loop before anything is stored, and it feeds the vocabulary (proposed terms) and the spelling rules; none of
that is needed to make a caption.
"""

from __future__ import annotations

import asyncio
import difflib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bot.core.captions.alignment import Chunk, align_correction, chunk_cues
from bot.core.captions.cues import Cue
from bot.core.captions.formats import CaptionFormatError, parse_captions, to_text
from bot.core.captions.spelling import everyday_words, learned_replacements
from bot.core.errors import CorrectionError, MediaError
from bot.core.media.audio import load_audio
from bot.core.store import CaptionRow, MediaRow
from bot.core.store.paths import within
from bot.core.transcription.combine import word_key
from bot.core.transcription.engine import base_model_path
from bot.service.base import ServiceBase
from bot.service.captioning import cue_from_record, cue_record
from bot.service.moderation import proposed_terms

log = logging.getLogger(__name__)

MAX_SPELLINGS = 20  # replacements one correction may teach: a correction is untrusted input
# A correction sharing fewer than this share of its words with what was heard is not what was said there (a
# translation, another clip's text, a joke): it fixes the caption but trains nothing (issue 20, bad input).
MIN_SHARED_WORDS = 0.2
MIN_WORDS_TO_JUDGE = 4  # a short caption ("Yes.", "Okay then") may be wholly wrong and rightly replaced
# A correction sharing few words still trains when the audio says it was said there: the base model, forced to
# read it on the clip, gives its tokens a mean log-probability of at least this (Engine.text_fit). Measured
# on 28 clips of the tuning communities' sentences in espeak-ng voices the base badly mishears: the right text
# -0.87 to -4.07, an unrelated English sentence -4.50 to -5.25, a German or French one -6.1 to -8.6. The
# margin on the English side is thin: a correction of a clip the base can hardly make out may still be lost.
MIN_TEXT_FIT = -4.3
UNRELATED = (
    "It fixes this caption only: it shares almost no words with what was heard ({shared:.0%}), so it does not "
    "teach the model (a correction in another language, or of another clip?)."
)
REPLACES = "It replaces the earlier correction of this caption by another member: only the newest one trains."
NOT_TRAINING = (
    "It fixes this caption only: this server does not train on it (its training setting, or the corrector's "
    "or the poster's choice in /privacy)."
)


@dataclass(frozen=True)
class CorrectionNote:
    """A note on a stored correction: `key` and `values` name it in the Discord layer's catalog (shown in the
    reader's language); `text` is the English the CLI and the logs print."""

    key: str
    text: str
    values: dict[str, Any] = field(default_factory=dict)


NOTE_NOT_TRAINING = CorrectionNote("correction.note.not_training", NOT_TRAINING)
NOTE_REPLACES = CorrectionNote("correction.note.replaces", REPLACES)


def unrelated_note(shared: float) -> CorrectionNote:
    return CorrectionNote("correction.note.unrelated", UNRELATED.format(shared=shared), {"shared": shared})


def proposals_full_note(limit: int) -> CorrectionNote:
    text = f"{limit} proposed terms already wait for a moderator's review, so no more were proposed."
    return CorrectionNote("correction.note.proposals_full", text, {"limit": limit})


@dataclass(frozen=True)
class CorrectionResult:
    correction_id: int
    pairs: int
    total_pairs: int
    proposed_terms: list[str]
    details: list[CorrectionNote] = field(default_factory=list)  # e.g. the vocabulary is full

    @property
    def notes(self) -> list[str]:
        """The notes in English (the CLI's words)."""
        return [note.text for note in self.details]


@dataclass(frozen=True)
class _PreparedCorrection:
    """What the worker thread hands back: everything to store, nothing touched yet."""

    cue_records: list[dict[str, Any]]
    chunks: list[Chunk]
    text: str
    candidates: list[str]
    spellings: list[tuple[str, str]]  # (heard words, term) the correction replaced
    shared: float  # the share of the correction's words that were heard (1.0 when too short to judge)

    @property
    def related(self) -> bool:
        return self.shared >= MIN_SHARED_WORDS


def shared_words(heard: str, corrected: str) -> float:
    """The share of the correction's words found, in order, in what was heard (letters and digits only,
    case folded); 1.0 for a correction too short to judge."""
    said = [k for w in corrected.split() if (k := word_key(w))]
    if len(said) < MIN_WORDS_TO_JUDGE:
        return 1.0
    matcher = difflib.SequenceMatcher(
        a=[k for w in heard.split() if (k := word_key(w))], b=said, autojunk=False
    )
    return sum(block.size for block in matcher.get_matching_blocks()) / len(said)


class Corrections(ServiceBase):
    """Store corrections and their training pairs; find the caption a correction is for."""

    # --- corrections -------------------------------------------------------------------------------------

    async def correct(
        self,
        guild_id: int,
        caption_id: int,
        *,
        user_id: int | None = None,
        text: str | None = None,
        captions_file: str | None = None,
        kind: str | None = None,
    ) -> CorrectionResult:
        """Store a correction (full text or an edited .vtt/.srt) and the training pairs made from it.

        Parsing, alignment and chunking run in a worker thread: a large edited file must never stall the
        event loop (Discord heartbeats, every other command). The text is bounded by the audio's length first.
        """
        if captions_file is None and text is None:
            raise CorrectionError("give the corrected text or an edited captions file")
        caption = await self.store.get_caption(guild_id, caption_id)
        media = await self.store.get_media(guild_id, caption.media_id)
        duration = media.duration if media else 0.0
        known = await self.store.vocabulary(guild_id) + await self.store.proposals(guild_id)
        prepared = await asyncio.to_thread(
            self._prepare_correction, caption.cues, duration, text, captions_file, known
        )
        # Consent before training: a correction the server, the corrector or the recording's poster does not
        # allow to train is kept as a correction (it can be audited and forgotten) but makes no pairs and
        # teaches no spelling; the retrain's own query filters again (bot/core/store/consent.py).
        consents = await self.store.may_train_on(guild_id, caption.media_id, user_id)
        if consents and not prepared.related and await self._said_there(media, prepared.text):
            prepared = replace(prepared, shared=1.0)
        trains = consents and prepared.related
        earlier = await self.store.corrections(guild_id, caption_id=caption_id, limit=1)
        correction_id = await self.store.add_correction(
            guild_id,
            caption_id=caption_id,
            user_id=user_id,
            kind=kind or ("file" if captions_file is not None else "text"),
            text=prepared.text,
            cues=prepared.cue_records,
            pairs=[(c.start, c.end, c.text) for c in prepared.chunks] if trains else [],
            spellings=prepared.spellings if trains else [],
        )
        proposed, notes = await self._propose(guild_id, prepared.candidates, user_id)
        if not consents:
            notes = [*notes, NOTE_NOT_TRAINING]
        elif not prepared.related:
            notes = [*notes, unrelated_note(prepared.shared)]
        if earlier and earlier[0].user_id != user_id:
            notes = [*notes, NOTE_REPLACES]
        total = await self.store.count_pairs(guild_id)
        pairs = len(prepared.chunks) if trains else 0
        return CorrectionResult(correction_id, pairs, total, proposed, notes)

    def _prepare_correction(
        self,
        records: list[dict[str, Any]],
        duration: float,
        text: str | None,
        captions_file: str | None,
        known_terms: Sequence[str] = (),
    ) -> _PreparedCorrection:
        """The CPU-bound part of a correction (runs in a worker thread): cues, chunks, vocabulary candidates."""
        original = [cue_from_record(r) for r in records]
        if captions_file is not None:
            cues = self._cues_from_file(duration, captions_file)
            self._check_length(sum(len(c.text) for c in cues), duration)
        else:
            assert text is not None
            checked = self._checked_text(text)
            self._check_length(len(checked), duration)
            cues = align_correction(original, checked)
        chunks = chunk_cues(cues, self.config.correction.max_chunk_seconds)
        if not chunks:
            raise CorrectionError(
                "the correction has no text that lines up with the audio; nothing was saved"
            )
        corrected_text = " ".join(c.text for c in chunks)
        candidates: list[str] = []
        if self.config.correction.propose_vocabulary:
            candidates = proposed_terms(
                to_text(original), corrected_text, limit=self.config.correction.max_proposed_terms
            )
        terms = {t.casefold() for t in [*known_terms, *candidates]}
        everyday = everyday_words(base_model_path(self.config.model))
        spellings = learned_replacements(to_text(original).split(), corrected_text.split(), terms, everyday)
        return _PreparedCorrection(
            [cue_record(c) for c in cues],
            chunks,
            corrected_text,
            candidates,
            spellings[:MAX_SPELLINGS],
            shared_words(to_text(original), corrected_text),
        )

    async def _said_there(self, media: MediaRow | None, text: str) -> bool:
        """Does the clip's audio say this text, though it shares few words with the caption? Then the base
        badly misheard the clip ("Klorbane, holocaust" for "A Korvane hull"), and that correction is the one
        that teaches most. Only clips of one 30 s window with their audio kept can be asked; for the rest the
        shared words decide alone."""
        path = within(self.config.data_dir, media.audio_path) if media and media.audio_path else None
        if path is None or media is None or media.duration > 30 or not path.exists():
            return False
        try:
            audio = await asyncio.to_thread(load_audio, path)
            fit = await self.engine.text_fit_async(audio, text)
        except (MediaError, OSError) as exc:
            log.warning("could not check a correction against its audio: %s", exc)
            return False
        return fit is not None and fit >= MIN_TEXT_FIT

    def _check_length(self, chars: int, duration: float) -> None:
        """Speech runs at about 15 characters a second; far more text than that is not a correction."""
        settings = self.config.correction
        limit = int(settings.max_chars_per_second * duration) + settings.max_chars_slack
        if chars > limit:
            raise CorrectionError(
                f"the correction has {chars} characters of text for {duration:.1f} s of audio; the limit is "
                f"{limit} ({settings.max_chars_per_second:g} a second plus {settings.max_chars_slack}); "
                "nothing was saved"
            )

    async def _propose(
        self, guild_id: int, candidates: list[str], user_id: int | None
    ) -> tuple[list[str], list[CorrectionNote]]:
        """Propose a correction's candidate terms for review, up to the bound on waiting proposals; say when
        it is reached. A term a moderator rejected is not proposed again."""
        if not candidates:
            return [], []
        limit = self.config.correction.max_pending_proposals
        added = await self.store.add_terms(
            guild_id, candidates, added_by=user_id, origin="proposed", limit=limit, proposal=True
        )
        if len(added) < len(candidates) and await self.store.count_terms(guild_id, proposed=True) >= limit:
            return added, [proposals_full_note(limit)]
        return added, []

    def _checked_text(self, text: str) -> str:
        text = text.strip()
        if not text:
            raise CorrectionError(
                "the correction is empty; send the corrected words of the caption",
                key="error.correction_empty",
            )
        limit = self.config.correction.max_chars
        if len(text) > limit:
            raise CorrectionError(
                f"the correction has {len(text)} characters; the limit is {limit} (send an edited .vtt instead)"
            )
        return text

    def _cues_from_file(self, duration: float, content: str) -> list[Cue]:
        limit = 50 * self.config.correction.max_chars
        if len(content) > limit:
            raise CorrectionError(
                f"the captions file has {len(content)} characters; the limit is {limit}; nothing was saved"
            )
        try:
            cues = parse_captions(content)
        except CaptionFormatError as exc:
            raise CorrectionError(f"the captions file is not valid: {exc}") from None
        late = [c for c in cues if c.start > duration + 1.0]
        if late:
            raise CorrectionError(
                f"the captions file has a cue at {late[0].start:.1f} s but the audio is {duration:.1f} s long"
            )
        return cues

    # --- the captions corrections are for, and what they add up to ----------------------------------------

    async def get_caption(self, guild_id: int, caption_id: int) -> CaptionRow:
        """The guild's caption by id; NotFoundError for one of another server or none."""
        return await self.store.get_caption(guild_id, caption_id)

    async def caption_for_message(self, guild_id: int, message_id: int) -> CaptionRow | None:
        """The caption a bot message shows (a reply to it is a correction of it), if any."""
        return await self.store.caption_for_message(guild_id, message_id)

    async def count_pairs(self, guild_id: int) -> int:
        """How many training pairs a retrain would use now."""
        return await self.store.count_pairs(guild_id)

    async def count_corrections(self, guild_id: int, user_id: int | None = None) -> int:
        """The guild's corrections, or one user's."""
        return await self.store.count_corrections(guild_id, user_id)
